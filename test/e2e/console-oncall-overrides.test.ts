/**
 * Overrides, cover requests and shift notices end to end through the console, with
 * examples/oncall.yaml. Week 46 of the desk's off-hours rotation (from Monday 23 November 09:00 Paris)
 * is oscar's; the daily desk of Friday 27 November is dana's.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureShiftNotices } from "../../src/app/oncall/shift-notices.js";
import { addOverride } from "../../src/app/oncall/manage.js";
import { loadPolicy } from "../../src/config/policy-file.js";
import { oncallOverrides, outbox, timers } from "../../src/db/schema.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const policy = loadPolicy("examples/oncall.yaml");
const DECLARE = '/incident declare "Payment API down" --impact I1 --urgency U2';
const pages = (lines: string[]) => lines.filter((l) => /^\[DM @[^\]]+\] bot: 🚨 Page/.test(l)).map((l) => /^\[DM @([^\]]+)\]/.exec(l)![1]);

describe.each(backends)("console on-call overrides and cover on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const pendingHandOffs = async () =>
    (await database.db.select({ key: timers.key }).from(timers).where(and(eq(timers.kind, "oncall.handoff"), eq(timers.status, "pending"))).orderBy(asc(timers.key))).map((t) => t.key);

  it("an override by command: refusals in one sentence, listed, paged at 17:31 on a Friday, removed", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T10:00:00Z", policy });
    // alice is in no layer of desk.
    expect(await h.type('/incident oncall override desk @olivia --from "2026-11-27 17:00" --to "2026-11-28 09:00"')).toContain(
      "Only the people of the desk schedule can override its shifts; ask one of them.",
    );
    await h.type(":as oscar");
    expect(await h.type("/incident oncall override nope @olivia --from now --to 2026-11-28 09:00")).toContain('No schedule "nope"; schedules: desk, sre.');
    expect(await h.type("/incident oncall override desk @olivia --from 2026-11-28 09:00 --to 2026-11-27 17:00")).toContain("--to must be after --from.");
    expect(await h.type("/incident oncall override remove 7")).toContain("There is no override #7; /incident oncall <schedule> lists them.");
    expect(await database.db.select().from(oncallOverrides)).toEqual([]);

    const made = await h.type("/incident oncall override desk @olivia --from 2026-11-27 17:00 --to 2026-11-28 09:00");
    expect(made).toContain("Override #1: @olivia is on call on desk from Fri 2026-11-27 17:00 to Sat 2026-11-28 09:00 (Europe/Paris). Undo: /incident oncall override remove 1");
    const listed = await h.type("/incident oncall desk");
    expect(listed).toContain("• desk: @dana (desk); next: @olivia (override) from Fri 2026-11-27 17:00 (Europe/Paris)");
    expect(listed).toContain("  override #1: @olivia from Fri 2026-11-27 17:00 to Sat 2026-11-28 09:00");
    // The override moved desk's next hand-off to 17:00 (16:00Z): one timer for it.
    expect(await pendingHandOffs()).toEqual(["oncall.handoff:desk:2026-11-27T16:00:00.000Z"]);

    // 17:31 on Friday: the off-hours ladder pages desk, where the override is in force.
    await h.type(":at 2026-11-27 17:31");
    await h.type(DECLARE);
    expect(pages(h.lines)).toEqual(["olivia"]);

    expect(await h.type("/incident oncall override remove 1")).toContain("Override #1 removed: @olivia is no longer on call on desk from Fri 2026-11-27 17:00 to Sat 2026-11-28 09:00.");
    expect(await h.type("/incident oncall override remove 1")).toContain("There is no override #1; /incident oncall <schedule> lists them.");
    expect(await h.type("/incident oncall desk")).toContain("• desk: @oscar (oncall); next: @dave (desk) from Mon 2026-11-30 09:00 (Europe/Paris)");
    expect(await pendingHandOffs()).toEqual(["oncall.handoff:desk:2026-11-30T08:00:00.000Z"]);
    // An override that moves the next hand-off, then its removal: the hand-off cancelled before is armed again.
    await h.type("/incident oncall override desk @owen --from 2026-11-28 10:00 --to 2026-11-28 12:00");
    expect(await pendingHandOffs()).toEqual(["oncall.handoff:desk:2026-11-28T09:00:00.000Z"]);
    await h.type("/incident oncall override remove 2");
    expect(await pendingHandOffs()).toEqual(["oncall.handoff:desk:2026-11-30T08:00:00.000Z"]);
  });

  it("cover: the request is posted with Accept; the first to accept covers the asker's shift, the request says so, a second accept is thanked", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T17:00:00Z", policy });
    await h.type(":as dana");
    // Friday 18:00: dana's desk day is over and her next is after Saturday 20:00.
    expect(await h.type("/incident oncall cover desk --until 2026-11-28 20:00")).toContain(
      "You are not on call on desk before 2026-11-28 20:00 UTC+01:00; there is nothing to cover.",
    );
    await h.type(":as oscar");
    const asked = await h.type("/incident oncall cover desk --until 2026-11-28 20:00");
    expect(asked).toContain("Cover request #1 posted: whoever accepts takes your shifts on desk until Sat 2026-11-28 20:00 (Europe/Paris).");
    expect(asked).toContain("[#general] bot: @oscar asks for cover on desk until 2026-11-28 20:00 UTC+01:00: who takes their shift?");
    expect(asked).toContain("[Accept]");

    expect(await h.type(":press cover 1")).toContain("You asked for this cover; someone else accepts it.");
    await h.type(":as alice");
    expect(await h.type(":press cover 1")).toContain("Only the people of the desk schedule can ask for or give cover on it; ask one of them.");
    await h.type(":as owen");
    const taken = await h.type(":press cover 1");
    expect(taken).toContain("Thank you: you cover @oscar on desk, Fri 2026-11-27 18:00 → Sat 2026-11-28 20:00 (override #1).");
    expect(taken).toContain("@owen covers @oscar on desk (2026-11-27 18:00 UTC+01:00 → 2026-11-28 20:00 UTC+01:00).");
    await h.type(":as olivia");
    expect(await h.type(":press cover 1")).toContain("Thank you, but @owen already covers @oscar on desk.");
    expect(await h.type(":press cover 9")).toContain("There is no cover request #9.");

    expect(await h.type("/incident oncall desk")).toContain("• desk: @owen (override); next: @oscar (oncall) from Sat 2026-11-28 20:00 (Europe/Paris)");
    expect(await database.db.select({ userId: oncallOverrides.userId, coverRequestId: oncallOverrides.coverRequestId }).from(oncallOverrides)).toEqual([{ userId: "owen", coverRequestId: 1 }]);
  });

  const edits = async () =>
    database.db.select({ key: outbox.key, target: outbox.target, status: outbox.status, attempts: outbox.attempts }).from(outbox).where(eq(outbox.action, "edit")).orderBy(asc(outbox.id));
  const covered = (lines: string[]) => lines.filter((l) => l.includes("@owen covers @oscar on desk"));

  it("cover: the request's edit is an outbox row, queued with the acceptance and delivered once", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T17:00:00Z", policy });
    await h.type(":as oscar");
    await h.type("/incident oncall cover desk --until 2026-11-28 20:00");
    await h.type(":as owen");
    await h.type(":press cover 1");
    expect(await edits()).toEqual([{ key: expect.stringMatching(/^oncall\.cover:console:.+:covered$/), target: "general", status: "sent", attempts: 1 }]);
    expect(covered(h.lines)).toHaveLength(1);
    expect(await database.db.select().from(timers).where(eq(timers.kind, "oncall.cover_update"))).toEqual([]);
    // A timer of the old kind (armed before the upgrade, when no row was queued) queues the keyed row.
    const [edit] = await edits();
    await database.db.delete(outbox).where(eq(outbox.key, edit!.key));
    await h.bot.ctx.store.transaction((uow) => uow.timers.schedule({ kind: "oncall.cover_update", key: "oncall.cover_update:1", dueAt: h.clock.now(), payload: { request: 1, shifts: [] } }));
    await h.type(":advance 1h");
    expect(await database.db.select({ status: timers.status }).from(timers).where(eq(timers.kind, "oncall.cover_update"))).toEqual([{ status: "done" }]);
    expect(await edits()).toEqual([{ ...edit, status: "sent", attempts: 1 }]);
    expect(covered(h.lines)).toHaveLength(2); // the message edited again, from the timer's row
    // …and a second run of it queues nothing more (same key).
    await h.bot.ctx.store.transaction((uow) => uow.timers.schedule({ kind: "oncall.cover_update", key: "oncall.cover_update:2", dueAt: h.clock.now(), payload: { request: 1, shifts: [] } }));
    await h.type(":advance 1h");
    expect(await edits()).toHaveLength(1);
    expect(covered(h.lines)).toHaveLength(2);
    expect(covered(h.lines)[0]).toContain("[#general] bot: (message m1 edited) @owen covers @oscar on desk (2026-11-27 18:00 UTC+01:00 → 2026-11-28 20:00 UTC+01:00).");
  });

  it("cover: an edit the chat fails is retried; an edit accepted before its request is posted waits for the post", async () => {
    let failUpdates = 1;
    let failPosts = 0;
    const h = consoleHarness(database, {
      start: "2026-11-27T17:00:00Z",
      policy,
      scheduler: { backoffMs: () => 60_000 },
      wrapChat: (chat) =>
        Object.assign(Object.create(chat) as typeof chat, {
          post: async (channel: string, message: Parameters<typeof chat.post>[1]) => {
            if (message.headline.includes("asks for cover") && failPosts-- > 0) throw new Error("channel_not_found");
            return chat.post(channel, message);
          },
          update: async (channel: string, id: string, message: Parameters<typeof chat.update>[2]) => {
            if (failUpdates-- > 0) throw new Error("ratelimited");
            return chat.update(channel, id, message);
          },
        }),
    });
    await h.type(":as oscar");
    await h.type("/incident oncall cover desk --until 2026-11-28 20:00");
    await h.type(":as owen");
    await h.type(":press cover 1");
    expect(covered(h.lines)).toEqual([]);
    expect(await edits()).toEqual([expect.objectContaining({ status: "pending", attempts: 1 })]);
    await h.type(":advance 1m");
    expect(covered(h.lines)).toHaveLength(1);
    await h.type(":advance 1h");
    expect(covered(h.lines)).toHaveLength(1);
    expect(await edits()).toEqual([expect.objectContaining({ status: "sent", attempts: 2 })]);

    // The second request's post fails once; it is accepted meanwhile: the edit waits for the post (no attempt counted), then edits it once.
    failPosts = 1;
    await h.type(":as oscar");
    const asked = await h.type("/incident oncall cover desk --until 2026-11-29 20:00");
    expect(asked).not.toContain("asks for cover on desk until 2026-11-29");
    await h.type(":as olivia");
    expect(await h.type(":press cover 2")).toContain("Thank you: you cover @oscar on desk");
    expect((await edits())[1]).toMatchObject({ status: "pending", attempts: 0 });
    const [, second] = await database.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.action, "edit")).orderBy(asc(outbox.id));
    expect(await database.db.select({ status: timers.status, waitFor: timers.waitFor }).from(timers).where(eq(timers.key, `deliver:${second!.id}`))).toEqual([
      { status: "waiting", waitFor: expect.stringMatching(/^outbox\.sent:oncall\.cover:/) },
    ]);
    const later = await h.type(":advance 1m");
    expect(later.indexOf("asks for cover on desk until 2026-11-29")).toBeGreaterThan(-1);
    expect(later.indexOf("@olivia covers @oscar")).toBeGreaterThan(later.indexOf("asks for cover on desk until 2026-11-29"));
    await h.type(":advance 1h");
    expect(h.lines.filter((l) => l.includes("@olivia covers @oscar"))).toHaveLength(1);
    expect((await edits())[1]).toMatchObject({ status: "sent", attempts: 1 });
  });

  const dmsTo = (lines: string[], who: string) => lines.filter((l) => l.startsWith(`[DM @${who}] bot:`));

  it("an override in force when added sends the hand-off's notices at once, once; one that starts later waits for its hand-off", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T10:00:00Z", policy }); // Friday 11:00 Paris: dana's desk day
    await h.type(":as oscar");
    const later = await h.type("/incident oncall override desk @owen --from 2026-11-27 17:00 --to 2026-11-27 19:00");
    expect(later).toContain("Override #1: @owen is on call on desk");
    expect(later).not.toContain("[DM @");

    const now = await h.type("/incident oncall override desk @olivia --from now --to +2h");
    expect(now).toContain("Override #2: @olivia is on call on desk");
    expect(now).toContain("[DM @olivia] bot: You are on call on desk (override) from 2026-11-27 11:00 UTC+01:00 until 2026-11-27 13:00 UTC+01:00.");
    expect(now).toContain("[DM @dana] bot: Your shift on desk ended at 2026-11-27 11:00 UTC+01:00; @olivia has it now.");
    expect(await database.db.select({ key: outbox.key, status: outbox.status }).from(outbox).where(eq(outbox.action, "dm")).orderBy(asc(outbox.key))).toEqual([
      { key: "oncall.handoff:desk:override:2:console:in:olivia", status: "sent" },
      { key: "oncall.handoff:desk:override:2:console:out:dana", status: "sent" },
    ]);
    // An override for who is on call already changes nobody's shift: nothing is said.
    expect(await h.type("/incident oncall override desk @olivia --from now --to +1h")).not.toContain("[DM @");

    // The hand-offs after: back to dana at 13:00, owen at 17:00 (the override added first), each told once.
    await h.type(":at 2026-11-27 13:00");
    await h.type(":at 2026-11-27 17:00");
    await h.type(":advance 3h");
    expect(dmsTo(h.lines, "olivia")).toEqual([
      "[DM @olivia] bot: You are on call on desk (override) from 2026-11-27 11:00 UTC+01:00 until 2026-11-27 13:00 UTC+01:00.",
      expect.stringContaining("Your shift on desk ended at 2026-11-27 13:00 UTC+01:00; @dana has it now."),
    ]);
    expect(dmsTo(h.lines, "dana")).toEqual([
      expect.stringContaining("Your shift on desk ended at 2026-11-27 11:00 UTC+01:00; @olivia has it now."),
      "[DM @dana] bot: You are on call on desk (desk) from 2026-11-27 13:00 UTC+01:00 until 2026-11-27 17:00 UTC+01:00.",
      expect.stringContaining("Your shift on desk ended at 2026-11-27 17:00 UTC+01:00; @owen has it now."),
    ]);
    expect(dmsTo(h.lines, "owen")).toEqual(["[DM @owen] bot: You are on call on desk (override) from 2026-11-27 17:00 UTC+01:00 until 2026-11-27 19:00 UTC+01:00."]);
  });

  it("two overrides in force added at the same moment take turns: the person on call is told once that their shift ended", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T10:00:00Z", policy }); // Friday 11:00 Paris: dana's desk day
    const now = h.clock.now();
    const inv = { platform: "console", channelId: "general", userId: "oscar" };
    await Promise.all(
      ["olivia", "owen"].map((user) => addOverride(h.bot.ctx, inv, { schedule: "desk", user, from: now, to: new Date(now.getTime() + 2 * 3_600_000) })),
    );
    await h.bot.scheduler.drain();
    const out = (await database.db.select({ key: outbox.key }).from(outbox).where(eq(outbox.action, "dm"))).map((r) => r.key.replace(/:\d+:/, ":N:"));
    expect(out.filter((k) => k.endsWith(":out:dana"))).toHaveLength(1);
    // As one after the other: dana hands over to the first, who hands over to the second.
    const told = out.map((k) => k.replace(/^.*:console:/, "")).sort();
    expect([["in:olivia", "in:owen", "out:dana", "out:olivia"], ["in:olivia", "in:owen", "out:dana", "out:owen"]]).toContainEqual(told);
  });

  it("removing an override in force hands the shift back at once, with the hand-off's notices; removing a later one says nothing", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T10:00:00Z", policy }); // Friday 11:00 Paris: dana's desk day
    await h.type(":as oscar");
    await h.type("/incident oncall override desk @owen --from 2026-11-27 17:00 --to 2026-11-27 19:00");
    await h.type("/incident oncall override desk @olivia --from now --to +2h");
    await h.type(":advance 30m");
    const removed = await h.type("/incident oncall override remove 2");
    expect(removed).toContain("[DM @dana] bot: You are on call on desk (desk) from 2026-11-27 11:30 UTC+01:00");
    expect(removed).toContain("[DM @olivia] bot: Your shift on desk ended at 2026-11-27 11:30 UTC+01:00; @dana has it now.");
    expect(await h.type("/incident oncall override remove 1")).not.toContain("[DM @");
    expect(await database.db.select({ key: outbox.key }).from(outbox).where(eq(outbox.action, "dm")).orderBy(asc(outbox.key))).toEqual([
      { key: "oncall.handoff:desk:override-removed:2:console:in:dana" },
      { key: "oncall.handoff:desk:override-removed:2:console:out:olivia" },
      { key: "oncall.handoff:desk:override:2:console:in:olivia" },
      { key: "oncall.handoff:desk:override:2:console:out:dana" },
    ]);
  });

  it("a cover accepted while the asker is on call hands the shift over at once, with the hand-off's notices", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T17:00:00Z", policy }); // Friday 18:00 Paris: oscar's off-hours week
    await h.type(":as oscar");
    await h.type("/incident oncall cover desk --until 2026-11-28 20:00");
    await h.type(":as owen");
    const taken = await h.type(":press cover 1");
    expect(taken).toContain("[DM @owen] bot: You are on call on desk (override) from 2026-11-27 18:00 UTC+01:00 until 2026-11-28 20:00 UTC+01:00.");
    expect(taken).toContain("[DM @oscar] bot: Your shift on desk ended at 2026-11-27 18:00 UTC+01:00; @owen has it now.");
    await h.type(":advance 2h");
    expect(dmsTo(h.lines, "owen")).toHaveLength(1);
    expect(dmsTo(h.lines, "oscar")).toHaveLength(1);
  });

  it("with `oncall override: approver`, the approvers override and the schedule's people do not: the rule reads as on an incident", async () => {
    const strict = { ...policy, permissions: { ...policy.permissions, "oncall override": "approver" as const }, rca: { ...policy.rca, approvers: { console: ["alice"] } } };
    const h = consoleHarness(database, { start: "2026-11-27T10:00:00Z", policy: strict });
    await h.type(":as oscar"); // in desk's layers, not an approver
    expect(await h.type("/incident oncall override desk @olivia --from 2026-11-27 17:00 --to 2026-11-28 09:00")).toContain(
      "On the desk schedule, only the approvers (@alice) can override its shifts; ask one of them.",
    );
    expect(await database.db.select().from(oncallOverrides)).toEqual([]);
    await h.type(":as alice"); // an approver, in no layer of desk
    expect(await h.type("/incident oncall override desk @olivia --from 2026-11-27 17:00 --to 2026-11-28 09:00")).toContain("Override #1: @olivia is on call on desk");
    expect(await database.db.select({ userId: oncallOverrides.userId, createdBy: oncallOverrides.createdBy }).from(oncallOverrides)).toEqual([{ userId: "olivia", createdBy: "alice" }]);
  });

  it("shift notices: at the hand-off the incoming person gets a DM, the outgoing one the open incidents they were paged for; one timer per schedule, re-armed", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T16:00:00Z", policy });
    await ensureShiftNotices(h.bot.ctx);
    await ensureShiftNotices(h.bot.ctx); // a second replica starting: still one timer per schedule
    expect(await pendingHandOffs()).toEqual(["oncall.handoff:desk:2026-11-27T16:30:00.000Z", "oncall.handoff:sre:2026-11-28T00:00:00.000Z"]);
    await h.type(DECLARE); // 17:00, business hours: dana is paged
    expect(pages(h.lines)).toEqual(["dana"]);
    await h.type(":advance 31m");
    const text = h.lines.join("\n");
    expect(text).toContain("[DM @oscar] bot: You are on call on desk (oncall) from 2026-11-27 17:30 UTC+01:00 until 2026-11-30 09:00 UTC+01:00.");
    expect(text).toContain("[DM @dana] bot: Your shift on desk ended at 2026-11-27 17:30 UTC+01:00; @oscar has it now.");
    expect(text).toContain("Open incidents you were paged for: INC-2026-0001 (Payment API down). Hand them over if you still hold them.");
    expect(await pendingHandOffs()).toEqual(["oncall.handoff:desk:2026-11-30T08:00:00.000Z", "oncall.handoff:sre:2026-11-28T00:00:00.000Z"]);
    // Nothing is said twice when the clock moves on.
    await h.type(":advance 1h");
    expect(h.lines.filter((l) => l.startsWith("[DM @oscar] bot: You are on call"))).toHaveLength(1);
  });
});
