/**
 * Issue 5's life story through the console, on every backend, with the clock moved: a P1's initial
 * notice, two updates on time, one missed (reminder at the promised time, second reminder at
 * time + grace, recorded), the resolve (all-clear, no more reminders), the customer-report reminder at
 * +20 h and the interim notice at +24 h. Then: `report send` stops the deadline; a reminder already
 * claimed when the resolve lands posts nothing; nothing is posted about a closed incident.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unsubscribe } from "../../src/commands/index.js";
import type { OutgoingMail } from "../../src/app/ports.js";
import { parsePolicy } from "../../src/config/policy-file.js";
import { communications, incidentEvents, incidents, outbox, timers } from "../../src/db/schema.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DECLARE = '/incident declare "Payment API down" --impact I1 --urgency U2 --service payments';

describe.each(backends)("communications on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const events = async (kind: string) =>
    (await database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, kind)).orderBy(asc(incidentEvents.id))).map((e) => ({ at: e.at.toISOString(), ...e.data }));

  it("keeps the promise through a P1's life: notice, updates, a miss, all-clear, report deadline", async () => {
    // 10:00Z is 11:00 in Paris (CET).
    const h = consoleHarness(database);
    const declared = await h.type(DECLARE);
    expect(declared).toContain(`[#${ROOM}] bot: Incident notice: INC-2026-0001 · P1 Critical · Payment API down`);
    expect(declared).toContain("Affected: service payments");
    expect(declared).toContain("Impact: I1 — Total outage: Total unavailability of production.");
    expect(declared).toContain("Incident manager: @alice");
    expect(declared).toContain("Next update: 2026-11-23 11:30 UTC+01:00"); // P1 cadence: 30 min
    expect(declared).toMatch(/\[#announcements\] bot: Incident declared: INC-2026-0001[\s\S]*Next update: 2026-11-23 11:30 UTC\+01:00/);
    await h.type(`:in #${ROOM}`);

    // Update 1 at 10:20Z, on time; the next one promised in 20 minutes.
    await h.type(":advance 20m");
    const u1 = await h.type("/incident update Rolling back release 42 --next 20m");
    expect(u1).toContain("INC-2026-0001: update posted to stakeholders. Next update by 2026-11-23 11:40 UTC+01:00.");
    expect(u1).toMatch(/\[#announcements\] bot: Update on INC-2026-0001[\s\S]*Actions in progress: Rolling back release 42[\s\S]*Next update: 2026-11-23 11:40 UTC\+01:00/);
    // The notice's promise (11:30) was replaced: nothing fires at 10:30Z.
    expect(await h.type(":advance 15m")).not.toContain("due now");

    // Update 2 at 10:38Z, before 10:40Z: on time; cadence gives 11:08Z (12:08 Paris).
    await h.type(":advance 3m");
    expect(await h.type("/incident update Rollback done, watching error rates")).toContain("Next update by 2026-11-23 12:08 UTC+01:00.");

    // Missed: at 11:08Z the reminder (war room and DM), at 11:18Z the second, recorded as missed.
    const due = await h.type(":advance 30m");
    expect(due).toContain(`[#${ROOM}] bot: @alice: a stakeholder update on INC-2026-0001 is due now (2026-11-23 12:08 UTC+01:00).`);
    expect(due).toContain("[DM @alice] bot: @alice: a stakeholder update on INC-2026-0001 is due now");
    expect(due).not.toMatch(/ late /);
    const late = await h.type(":advance 10m");
    expect(late).toContain(`[#${ROOM}] bot: @alice: the stakeholder update on INC-2026-0001 promised for 2026-11-23 12:08 UTC+01:00 is 10 min late and is recorded as missed.`);
    expect(late).toContain("[DM @alice] bot: @alice: the stakeholder update on INC-2026-0001 promised for 2026-11-23 12:08 UTC+01:00 is 10 min late");
    expect(await events("update.missed")).toEqual([{ at: "2026-11-23T11:18:00.000Z", dueAt: "2026-11-23T11:08:00.000Z" }]);
    expect((await events("update.posted")).map((e) => (e as Record<string, unknown>).onTime)).toEqual([true, true]);

    // Resolve at 11:20Z: all-clear in plain words, the cadence stops.
    await h.type(":advance 2m");
    const resolved = await h.type("/incident resolve Rolled back release 42; the new connection pool sizing caused it");
    expect(resolved).toContain(`[#announcements] bot: All clear: INC-2026-0001 · Payment API down is resolved`);
    expect(resolved).toContain("What happened: Payment API down (affecting service payments).");
    expect(resolved).toContain("How it was fixed: Rolled back release 42; the new connection pool sizing caused it");
    expect(resolved).toContain("It lasted 1 h 20 min, from 2026-11-23 11:00 UTC+01:00 to 2026-11-23 12:20 UTC+01:00.");
    expect(await h.type(":advance 19h")).not.toMatch(/due now|late|report/);

    // +20 h: the IM is reminded of the customer report; +24 h: the interim notice to stakeholders.
    const reminder = await h.type(":advance 1h");
    expect(reminder).toContain("[DM @alice] bot: @alice: the customer incident report for INC-2026-0001 is due by 2026-11-24 12:20 UTC+01:00.");
    expect(reminder).not.toContain("in preparation");
    const interim = await h.type(":advance 4h");
    expect(interim).toContain("[#announcements] bot: Incident report in preparation: INC-2026-0001 · P1 Critical · Payment API down");
    expect(interim).toContain("is being prepared and will be sent as soon as it is complete.");
    expect(await events("report.interim_posted")).toEqual([{ at: "2026-11-24T11:20:00.000Z" }]);
    expect((await h.type(":advance 7d")).split("\n").filter((l) => l.includes("bot:"))).toEqual([]);

    // Every communication is stored with its deliveries.
    const log = await h.type("/incident comms");
    expect(log).toContain("Communications of INC-2026-0001:");
    expect(log).toMatch(/notice by @bot: Incident notice: .* → warroom sent, announcements sent/);
    expect(log).toMatch(/update by @alice: Rolling back release 42 → warroom sent, announcements sent/);
    expect(log).toMatch(/interim by @bot: .* → announcements sent, warroom sent/);
    const kinds = (await database.db.select().from(communications).orderBy(asc(communications.id))).map((c) => c.kind);
    expect(kinds).toEqual(["notice", "update", "update", "reminder", "reminder", "allclear", "reminder", "interim"]);
    expect((await database.db.select().from(outbox).orderBy(outbox.id)).every((o) => o.status === "sent")).toBe(true);
  });

  it("the communications log lists only deliveries that exist: an address that left the list has no key", async () => {
    const policy = parsePolicy({
      stakeholders: { destinations: { customers: { email: ["ops@acme.example", "cto@acme.example"] } }, rules: [{ priorities: ["P1"], to: ["customers"] }] },
    });
    const mails: OutgoingMail[] = [];
    const h = consoleHarness(database, { policy, publicUrl: "https://bot.example", paging: { mail: { send: async (m) => void mails.push(m) } } });
    await h.type(DECLARE);
    // cto@ leaves the list by the token of the announcement mailed to them (the link's token).
    const token = mails.find((m) => m.to === "cto@acme.example")!.unsubscribeUrl!.split("/").pop()!;
    expect(await unsubscribe(h.bot.ctx, token)).toMatchObject({ destination: "customers", address: "cto@acme.example", already: false });

    await h.type('/incident declare "Checkout down" --impact I1 --urgency U2');
    const [second] = await database.db.select().from(incidents).where(eq(incidents.seq, 2));
    const [notice] = await database.db.select().from(communications).where(eq(communications.incidentId, second!.id));
    expect(notice!.kind).toBe("notice");
    expect(notice!.deliveryKeys.filter((k) => k.includes("cto@acme.example"))).toEqual([]);
    expect(notice!.deliveryKeys).toContain(`announce:${second!.id}:dest:customers:ops@acme.example`);
    const queued = new Set((await database.db.select({ key: outbox.key }).from(outbox)).map((r) => r.key));
    expect(notice!.deliveryKeys.filter((k) => !queued.has(k))).toEqual([]);
  });

  it("report send stops the customer-report deadline", async () => {
    const h = consoleHarness(database);
    await h.type(DECLARE);
    await h.type(`:in #${ROOM}`);
    expect(await h.type("/incident report send")).toContain("INC-2026-0001 is not resolved yet: the customer report follows the resolution.");
    await h.type("/incident resolve fixed");
    const sent = await h.type("/incident report send");
    expect(sent).toContain("[#announcements] bot: Incident report INC-2026-0001: Payment API down");
    expect(await h.type("/incident comms")).toMatch(/report by @alice: Incident report INC-2026-0001: Payment API down → announcements sent/);
    expect(await h.type(":advance 25h")).not.toMatch(/report|preparation/);
    expect(await events("report.interim_posted")).toEqual([]);
  });

  it("a reminder claimed just as the resolve lands posts nothing", async () => {
    const h = consoleHarness(database);
    await h.type(DECLARE);
    await h.type(`:in #${ROOM}`);
    h.clock.advance(31 * MIN);
    // The scheduler claims the due reminder (as another replica would), then the resolve commits.
    const [due] = await database.db.select().from(timers).where(eq(timers.kind, "comms.update_due"));
    await database.db.update(timers).set({ status: "running", lockedBy: "other", lockedUntil: new Date(h.clock.now().getTime() + 5 * MIN) }).where(eq(timers.id, due!.id));
    await h.type("/incident resolve fixed");
    // The other replica's handler now runs the claimed timer.
    const handler = (h.bot.scheduler as unknown as { handlers: Map<string, (j: unknown) => Promise<void>> }).handlers.get("comms.update_due")!;
    await handler({ id: due!.id, kind: due!.kind, key: due!.key, incidentId: due!.incidentId, payload: due!.payload, attempts: 1, lastAttempt: false });
    await h.bot.scheduler.drain();
    expect(h.lines.join("\n")).not.toContain("due now");
    expect(await events("update.reminded")).toEqual([]);
  });

  it("nothing is posted about a closed incident", async () => {
    const h = consoleHarness(database);
    await h.type(DECLARE);
    await h.type(`:in #${ROOM}`);
    // Close it behind the bot's back (the closure gate is issue 7): pending posts must not go out.
    await database.db.update(incidents).set({ status: "closed" });
    const queued = await h.type("/incident update still here");
    expect(queued).toContain("INC-2026-0001 is closed; closed incidents are read-only.");
    const from = h.lines.length;
    h.clock.advance(2 * HOUR);
    await h.bot.scheduler.drain();
    expect(h.lines.slice(from).join("\n")).toBe("");
  });

  it("refuses bad input with one sentence", async () => {
    const h = consoleHarness(database);
    expect(await h.type("/incident update the database is back")).toContain("This channel is not an incident war room");
    await h.type(DECLARE);
    await h.type(`:in #${ROOM}`);
    // Without its text the update's form opens: the console asks for it.
    expect(await h.type("/incident update")).toContain("The update? What is being done? (for stakeholders):");
    expect(await h.type(":cancel")).toContain("Update INC-2026-0001: abandoned.");
    expect(await h.type("/incident update fine --next soon")).toContain('--next takes a duration between 1m and 24h, such as 30m or 1h30m (got "soon").');
    expect(await h.type("/incident update fine --next 3d")).toContain("--next takes a duration between 1m and 24h");
    expect((await events("update.posted")).length).toBe(0);
  });

  it("says where a P3's update went: the channel, not stakeholders", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Slow search" --impact I3 --urgency U3');
    const out = await h.type("/incident update Reindexing --incident INC-2026-0001");
    expect(out).toContain("INC-2026-0001: update posted here (P3 incidents are not sent to stakeholders).");
    expect(out).not.toContain("[#announcements]");
  });
});
