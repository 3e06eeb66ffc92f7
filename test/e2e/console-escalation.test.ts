/**
 * The escalation ladder end to end through the console, on every backend, with the clock moved:
 * which ladder pages at 17:29 / 17:31, on a holiday and across DST; level 2 after the timeout;
 * acknowledgement stops it; the top level repeats up to its bound; /incident escalate; resolve-by.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { incidentEvents, pages, timers } from "../../src/db/schema.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const DECLARE = '/incident declare "Payment API down" --impact I1 --urgency U2';
const policy: Policy = { ...DEFAULT_POLICY, businessHours: { ...DEFAULT_POLICY.businessHours, holidays: ["2026-12-25"] } };

describe.each(backends)("console escalation on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const events = async (kind: string) =>
    (await database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, kind)).orderBy(asc(incidentEvents.id))).map((e) => e.data);
  const dms = (lines: string[]) => lines.filter((l) => /^\[DM @[^\]]+\] bot: 🚨 Page/.test(l)).map((l) => /^\[DM @([^\]]+)\]/.exec(l)![1]);

  it("a P1 declared at 03:00 pages the off-hours level 1; 90 minutes later level 2, and level 1 stays in", async () => {
    const h = consoleHarness(database, { start: "2026-11-24T02:00:00Z", policy });
    const room = "inc-20261124-0001-payment-api-down";
    const out = await h.type(DECLARE);
    expect(out).toContain("[DM @oncall] bot: 🚨 Page: INC-2026-0001 · P1 Critical · Payment API down");
    expect(out).toContain("You are paged as level 1 — service desk (on call) (off-hours)");
    expect(out).toContain("[DM @oncall]        [Acknowledge]");
    expect(out).toContain(`[#${room}] * invited @oncall`);
    expect(out).toContain(`[#${room}] bot: 📟 Paging level 1 — service desk (on call) (off-hours) for INC-2026-0001.`);
    expect(await h.type(":advance 89m")).not.toContain("Page");
    const later = await h.type(":advance 1m");
    expect(later).toContain("[DM @engineering] bot: 🚨 Page");
    expect(later).toContain("level 2 — engineering (off-hours)");
    expect(later).toContain(`[#${room}] * invited @engineering`);
    expect(dms(h.lines)).toEqual(["oncall", "engineering"]);
    expect(await events("page.sent")).toMatchObject([
      { level: 1, levelName: "service desk (on call)", ladder: "offhours", targets: ["oncall"], channel: "console", kind: "technical" },
      { level: 2, levelName: "engineering", ladder: "offhours", targets: ["engineering"], channel: "console" },
    ]);
    expect(await events("escalated")).toEqual([{ type: "technical", level: 2, reason: null, auto: true }]);
    const rows = await database.db.select().from(pages).orderBy(asc(pages.id));
    expect(rows.map((p) => [p.level, p.channel, p.target, p.status])).toEqual([
      [1, "warroom", "warroom", "sent"],
      [1, "dm", "oncall", "queued"],
      [2, "warroom", "warroom", "sent"],
      [2, "dm", "engineering", "queued"],
    ]);
  });

  it("the console's :at sets the clock to a local time, so the off-hours ladder can be tried by day", async () => {
    const h = consoleHarness(database, { policy });
    expect(await h.type(":at 2026-11-24 03:00")).toContain("Clock set: it is now 2026-11-24 03:00 UTC+01:00.");
    await h.type(DECLARE);
    expect(dms(h.lines)).toEqual(["oncall"]);
  });

  it.each([
    ["a weekday at 17:29", "2026-11-24T16:29:00Z", "business", "desk", 30],
    ["a weekday at 17:31", "2026-11-24T16:31:00Z", "offhours", "oncall", 90],
    ["a holiday at 11:00", "2026-12-25T10:00:00Z", "offhours", "oncall", 90],
    ["08:30 on the Friday before DST starts", "2026-03-27T07:30:00Z", "offhours", "oncall", 90],
    ["09:30 on the Monday after DST starts (same UTC time)", "2026-03-30T07:30:00Z", "business", "desk", 30],
  ])("on %s the %s ladder pages, with its timeout", async (_, start, ladder, first, minutes) => {
    const h = consoleHarness(database, { start, policy });
    await h.type(DECLARE);
    expect(dms(h.lines)).toEqual([first]);
    expect((await events("page.sent"))[0]).toMatchObject({ ladder, level: 1 });
    const [t] = await database.db.select().from(timers).where(eq(timers.kind, "escalation.ack_timeout"));
    expect(t!.dueAt.getTime() - new Date(start).getTime()).toBe(minutes * 60_000);
  });

  it("acknowledgement stops the ladder: no page after it, the timeout cancelled", async () => {
    const h = consoleHarness(database, { start: "2026-11-24T10:00:00Z", policy });
    await h.type(DECLARE);
    await h.type(":as desk");
    expect(await h.type("/incident ack --incident INC-2026-0001")).toContain("acknowledged by @desk (within respond-by)");
    await h.type(":advance 3h50m");
    expect(dms(h.lines)).toEqual(["desk"]);
    const [t] = await database.db.select().from(timers).where(eq(timers.kind, "escalation.ack_timeout"));
    expect(t!.status).toBe("cancelled");
    expect(await events("escalated")).toEqual([]);
  });

  it("an acknowledgement by someone else stands the paged people down, by direct message", async () => {
    const h = consoleHarness(database, { start: "2026-11-24T10:00:00Z", policy });
    await h.type(DECLARE);
    const out = await h.type("/incident ack --incident INC-2026-0001");
    expect(out).toContain("acknowledged by @alice");
    expect(out).toContain("[DM @desk] bot: INC-2026-0001 was acknowledged by @alice: you can stand down (no need to acknowledge).");
  });

  it("a respond-by that passes with nobody acknowledging is said in the war room; raised late, at once", async () => {
    const h = consoleHarness(database, { start: "2026-11-24T10:00:00Z", policy });
    await h.type(DECLARE);
    const passed = await h.type(":advance 16m");
    expect(passed).toContain("INC-2026-0001: nobody acknowledged it by its respond-by (2026-11-24 11:15 UTC+01:00); paging goes on.");
    await h.type('/incident declare "Slow reports" --impact I3 --urgency U3');
    await h.type(":advance 9h");
    const raised = await h.type("/incident classify --impact I1 --urgency U1 --incident INC-2026-0002");
    expect(raised).toContain("INC-2026-0002: its respond-by");
    expect(raised).toContain("had already passed when it became P1; acknowledge now with /incident ack.");
  });

  it("repeats the top level every timeout, loudly, up to the bound, then stops", async () => {
    const short: Policy = {
      ...policy,
      escalation: { ...policy.escalation, repeatTopLevel: 2, businessHours: [{ name: "desk", targets: { console: ["desk"] }, ackTimeoutMinutes: 10 }, { name: "management", targets: { console: ["manager"] }, ackTimeoutMinutes: 20 }] },
    };
    const h = consoleHarness(database, { start: "2026-11-24T10:00:00Z", policy: short });
    await h.type(DECLARE);
    await h.type(":advance 10m");
    const again = [await h.type(":advance 20m"), await h.type(":advance 20m")];
    expect(again[0]).toContain("🚨🚨 INC-2026-0001 IS STILL NOT ACKNOWLEDGED — paging level 2 — management (business hours) AGAIN (repeat 1)");
    expect(again[1]).toContain("(repeat 2); this was the last repeat, the bot stops paging now");
    await h.type(":advance 3h");
    expect(dms(h.lines)).toEqual(["desk", "manager", "manager", "manager"]);
    expect((await events("page.sent")).map((d) => [d.level, d.repeat])).toEqual([[1, 0], [2, 0], [2, 1], [2, 2]]);
    expect(await events("escalated")).toEqual([{ type: "technical", level: 2, reason: null, auto: true }]);
  });

  it("/incident escalate pages management with the reason; resolve-by breach escalates by itself", async () => {
    const h = consoleHarness(database, { start: "2026-11-24T10:00:00Z", policy });
    await h.type(DECLARE);
    await h.type(":in #inc-20261124-0001-payment-api-down");
    await h.type("/incident ack");
    const out = await h.type("/incident escalate no technical solution, vendor needed");
    expect(out).toContain("INC-2026-0001 escalated to level 4 — management (business hours) by @alice: no technical solution, vendor needed");
    expect(out).toContain("[DM @manager] bot: 🚨 Page");
    expect(out).toContain("📣 Managerial escalation of INC-2026-0001");
    await h.type("/incident investigating");
    expect(await h.type("/incident wait vendor")).toContain("waiting on a vendor"); // the SLA clock stops: no breach at 15:00
    await h.type(":advance 4h");
    expect(await events("escalated")).toHaveLength(1);
    await h.type("/incident investigating"); // resolve-by moved 4 h, to 19:00
    await h.type(":advance 3h59m");
    expect(await events("escalated")).toHaveLength(1);
    const breach = await h.type(":advance 1m");
    expect(breach).toContain("Managerial escalation of INC-2026-0001: paging level 4 — management (off-hours) — resolve-by breached (was due 2026-11-24 19:00 UTC+01:00)");
    expect(await events("escalated")).toEqual([
      { type: "managerial", level: 4, reason: "no technical solution, vendor needed", auto: false },
      { type: "managerial", level: 4, reason: "resolve-by breached (was due 2026-11-24 19:00 UTC+01:00)", auto: true },
    ]);
    // The manager paged takes the escalation in hand: recorded, not "already acknowledged".
    await h.type(":as manager");
    expect(await h.type("/incident ack")).toContain("INC-2026-0001: @manager has the escalation in hand (the incident was acknowledged by @alice).");
  });

  it("raising a P3 to P1 pages level 1; resolving cancels every pending escalation timer", async () => {
    const h = consoleHarness(database, { start: "2026-11-24T10:00:00Z", policy });
    await h.type('/incident declare "Slow reports" --impact I3 --urgency U3');
    expect(dms(h.lines)).toEqual([]);
    await h.type("/incident classify --impact I1 --incident INC-2026-0001");
    expect(dms(h.lines)).toEqual(["desk"]);
    await h.type("/incident resolve cache flushed --incident INC-2026-0001");
    await h.type(":advance 1d");
    expect(dms(h.lines)).toEqual(["desk"]);
    const pending = await database.db.select().from(timers).where(eq(timers.status, "pending"));
    expect(pending).toEqual([]);
  });

  it.each([
    ["/incident escalate we need help --incident INC-2026-0042", "No incident INC-2026-0042", "in the war room"],
    ["/incident escalate we need help", "This channel is not an incident war room", "in #general"],
  ])("%s → refused (%s)", async (line, sentence, where) => {
    const h = consoleHarness(database, { policy });
    await h.type(DECLARE);
    if (where === "in the war room") await h.type(":in #inc-20261123-0001-payment-api-down");
    const out = await h.type(line);
    expect(out).toContain(`bot (only @alice): ${sentence}`);
    expect(await events("escalated")).toEqual([]);
  });

  it("refuses to escalate a resolved or a closed incident", async () => {
    const h = consoleHarness(database, { policy });
    await h.type(DECLARE);
    await h.type("/incident resolve fixed --incident INC-2026-0001");
    expect(await h.type("/incident escalate help --incident INC-2026-0001")).toContain("INC-2026-0001 is resolved: there is nothing to escalate.");
    const { incidents } = await import("../../src/db/schema.js");
    await database.db.update(incidents).set({ status: "closed" });
    expect(await h.type("/incident escalate help --incident INC-2026-0001")).toContain("INC-2026-0001 is closed; closed incidents are read-only.");
    expect(await events("escalated")).toEqual([]);
  });
});
