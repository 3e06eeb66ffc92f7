/**
 * RCA and closure end to end through the console, on every backend: a P1 from declaration through
 * its RCA, actions and timeline to the report and the close; a premature close lists every missing
 * item; a closed incident is read-only; the war room is archived days later; a P3 closes without RCA.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setRcaSections } from "../../src/app/rca/sections.js";
import { recordPinnedMessage } from "../../src/app/rca/timeline.js";
import { incidentEvents, incidents, rcaActions, rcaSections, timelineEntries, warRooms } from "../../src/db/schema.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";
const policy: Policy = { ...DEFAULT_POLICY, rca: { ...DEFAULT_POLICY.rca, approvers: { console: ["carol"] } } };

describe.each(backends)("console RCA and closure on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const events = async () => database.db.select().from(incidentEvents).orderBy(asc(incidentEvents.id));

  async function declaredP1() {
    const h = consoleHarness(database, { policy });
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2 --service payments --customer ACME');
    await h.type(`:in #${ROOM}`);
    // bob, the communications lead, works the RCA and may close.
    await h.type("/incident role comms @bob");
    await h.type(":as bob");
    return h;
  }

  it("takes a P1 from declare through RCA to a report and a close, then archives the war room", async () => {
    const h = await declaredP1();
    const early = await h.type("/incident close");
    expect(early).toContain(`[#${ROOM}] bot (only @bob): INC-2026-0001 cannot be closed yet; missing:`);
    for (const item of ["1. it is not resolved (it is declared)", '2. RCA section "Summary" is empty', '6. RCA section "Corrective and preventive actions" is empty', "7. the procedures item is not done", "8. the closing comment is missing", "9. the customer's agreement is not recorded"]) {
      expect(early).toContain(item);
    }

    expect(await h.type("/incident rca summary Card payments failed for 40 minutes.")).toContain("INC-2026-0001: Summary set by @bob.");
    await h.type("/incident rca impact All card payments of ACME failed.");
    expect(await h.type("/incident rca Root cause the database volume filled up")).toContain("Root cause set by @bob.");
    await h.type(":as alice");
    expect(await h.type("/incident rca cause --append log rotation was off")).toContain("Root cause added to by @alice.");
    await h.type("/incident rca workaround failover to the standby");
    expect(await h.type("/incident action add Alert at 80 % disk --owner @bob --due 2026-12-01")).toContain("1. [ ] Alert at 80 % disk — @bob, due 2026-12-01");
    await h.type("/incident action add Turn log rotation on --owner <@U777|dave> --due 2026-12-15");
    expect(await h.type("/incident action done 1")).toContain("1. [x] Alert at 80 % disk — @bob, due 2026-12-01, done by @alice");
    expect(await h.type("/incident timeline add 10:30 first customer complaints")).toContain("added to the timeline at 2026-11-23 10:30");

    const checklist = await h.type("/incident rca");
    expect(checklist).toContain('[x] Root cause (root_cause): by @bob, @alice — "the database volume filled up log rotation was off"');
    expect(checklist).toContain("[x] Corrective and preventive actions (actions): 2 actions (1 done), by @alice");
    expect(checklist).toContain("[ ] Procedures (procedures): missing (required)");
    expect(checklist).toContain("Not approved yet (/incident rca approve; approvers: @carol).");
    expect(checklist).toContain("- it is not resolved (it is declared)");

    expect(await h.type("/incident rca approve")).toContain("Only the head of team can approve the RCA of INC-2026-0001 (approvers: @carol).");
    await h.type(":as carol");
    expect(await h.type("/incident rca approve")).toContain('The RCA of INC-2026-0001 is not complete yet:\n[#' + ROOM + ']        - RCA section "Procedures" is empty');
    // Approving is not writing: the head of team joins to write a section.
    expect(await h.type("/incident rca runbook RB-12 database volume full, written")).toContain("Only responders of INC-2026-0001 can write its RCA; run /incident join to become one.");
    await h.type("/incident join");
    await h.type("/incident rca runbook RB-12 database volume full, written");
    expect(await h.type("/incident rca approve")).toContain("The RCA of INC-2026-0001 is approved by @carol.");

    await h.type(":as alice");
    h.clock.advance(40 * 60_000);
    await h.type("/incident resolve volume extended, primary back");
    const noConsent = await h.type("/incident close payments are normal again");
    expect(noConsent).toContain("missing:\n[#" + ROOM + "]        1. the customer's agreement is not recorded");
    expect(noConsent).not.toContain("2.");

    const report = await h.type("/incident report");
    expect(report).toContain(`[#${ROOM}] bot: 📎 INC-2026-0001-report.md (Incident report INC-2026-0001)`);
    expect(report).toContain("# Incident report INC-2026-0001: Payment API down");
    expect(report).toContain("| Start | 2026-11-23 11:00 (UTC+01:00) |");
    expect(report).toContain("| End | 2026-11-23 11:40 (UTC+01:00) |");
    expect(report).toContain("| 2026-11-23 | 10:30 | first customer complaints |");
    expect(report).toContain("| 2 | Turn log rotation on | @U777 | 2026-12-15 | open |");
    expect(report).toContain("INC-2026-0001: the incident report is posted here as INC-2026-0001-report.md.");

    const sent = await h.type("/incident report send");
    expect(sent).toContain("[#announcements] bot: Incident report INC-2026-0001: Payment API down");
    expect(sent).toContain("the incident report is sent to the announcements channel");

    const closed = await h.type('/incident close --customer-confirmed "ACME confirmed payments are normal."');
    expect(closed).toContain("INC-2026-0001 is closed, with the customer's agreement. It is now read-only; the war room is archived in 7 days.");
    expect(closed).toContain("Status: closed");
    const [row] = await database.db.select().from(incidents);
    expect(row!.status).toBe("closed");
    expect(row!.closedAt!.toISOString()).toBe("2026-11-23T10:40:00.000Z");

    const all = await events();
    const rca = all.filter((e) => /^(rca|action|timeline|report|closed)/.test(e.kind)).map((e) => [e.kind, e.data]);
    expect(rca).toEqual([
      ["rca.section_set", { section: "summary", by: "bob", append: false }],
      ["rca.section_set", { section: "impact", by: "bob", append: false }],
      ["rca.section_set", { section: "root_cause", by: "bob", append: false }],
      ["rca.section_set", { section: "root_cause", by: "alice", append: true }],
      ["rca.section_set", { section: "resolution", by: "alice", append: false }],
      ["action.added", { n: 1, text: "Alert at 80 % disk", owner: "bob", due: "2026-12-01" }],
      ["action.added", { n: 2, text: "Turn log rotation on", owner: "U777", due: "2026-12-15" }],
      ["action.done", { n: 1 }],
      ["timeline.added", { at: "2026-11-23T09:30:00.000Z", text: "first customer complaints" }],
      ["rca.section_set", { section: "procedures", by: "carol", append: false }],
      ["rca.approved", { by: "carol" }],
      ["report.sent", { by: "alice" }],
      ["closed", { comment: "ACME confirmed payments are normal.", customerConfirmed: true }],
    ]);
    const [cause] = await database.db.select().from(rcaSections).where(eq(rcaSections.section, "root_cause"));
    expect(cause).toMatchObject({ text: "the database volume filled up\nlog rotation was off", authors: ["bob", "alice"] });
    expect(await database.db.select().from(rcaActions)).toHaveLength(2);

    expect(await h.type(":advance 6d")).not.toContain("archived");
    const archived = await h.type(":advance 1d");
    expect(archived).toContain(`[#${ROOM}] bot: INC-2026-0001 is closed and this war room is now archived. The incident report: INC-2026-0001-report.md`);
    expect(archived).toContain(`[#${ROOM}] * channel archived`);
    expect(h.chat.isArchived(ROOM)).toBe(true);
    const [room] = await database.db.select().from(warRooms);
    expect(room!.archivedAt).not.toBeNull();
    expect((await events()).at(-1)!.kind).toBe("warroom.archived");
    expect(await h.type(":advance 7d")).not.toContain("archived");
  });

  it("answers every change to a closed incident that it is read-only, and still renders its report", async () => {
    const h = consoleHarness(database, { policy });
    await h.type('/incident declare "Slow page" --impact I3 --urgency U3');
    await h.type("/incident resolve cache warmed --incident INC-2026-0001");
    expect(await h.type('/incident close --customer-confirmed "customer agreed" --incident INC-2026-0001')).toContain("INC-2026-0001 is closed");
    const before = (await events()).length;
    await h.type(":as carol");
    for (const cmd of [
      "rca summary late", "rca cause --append more", "rca approve", "action add x --owner @bob --due 2026-12-01", "action done 1",
      "timeline add 10:00 something", "report send", "close --customer-confirmed again", "investigating", "reopen not fixed",
      "resolve again", "classify --impact I1", "role lead @bob", "ack",
    ]) {
      expect(await h.type(`/incident ${cmd} --incident INC-2026-0001`), cmd).toContain("INC-2026-0001 is closed; closed incidents are read-only.");
    }
    expect((await events()).length).toBe(before);
    expect(await database.db.select().from(rcaSections)).toEqual([]);
    await h.type(":as alice");
    expect(await h.type("/incident report --incident INC-2026-0001")).toContain("Closed by @alice on 2026-11-23 11:00 (UTC+01:00), with the customer's agreement: customer agreed");
    expect(await h.type("/incident rca --incident INC-2026-0001")).toContain("(optional for P3 Low)");
  });

  it("refuses a wrong section name with the valid names, and stores nothing", async () => {
    const h = await declaredP1();
    const before = (await events()).length;
    const out = await h.type("/incident rca colour red");
    expect(out).toContain('There is no RCA section "colour". Sections: summary, impact, timeline, root_cause, resolution, actions, lessons, procedures.');
    expect(out).toContain("Usage: /incident rca");
    expect(await h.type("/incident action add x --owner @bob")).toContain("An action needs its due date: --due YYYY-MM-DD.");
    expect(await h.type("/incident action add x --owner @bob --due 2026-02-30")).toContain('--due takes a date such as 2026-11-01 (got "2026-02-30").');
    expect(await h.type("/incident action done 4")).toContain("INC-2026-0001 has no action 4; it has no actions yet");
    expect(await h.type("/incident timeline add 23:59 later")).toContain("is in the future");
    expect((await events()).length).toBe(before);
  });

  it("adds a message pinned in the war room to that incident's timeline, and ignores other pins", async () => {
    const h = await declaredP1();
    const at = new Date("2026-11-23T10:05:00Z");
    const pinned = await recordPinnedMessage(h.bot.ctx, "console", ROOM, "db-1 disk at 100 %", "bob", at);
    expect(pinned?.incident.reference).toBe("INC-2026-0001");
    expect(await recordPinnedMessage(h.bot.ctx, "console", "general", "lunch?", "bob", at)).toBeNull();
    const rows = await database.db.select().from(timelineEntries);
    expect(rows.map((r) => [r.source, r.text, r.author, r.at.toISOString()])).toEqual([["pin", "db-1 disk at 100 %", "bob", "2026-11-23T10:05:00.000Z"]]);
    expect(await h.type("/incident report")).toContain("| 2026-11-23 | 11:05 | 📌 db-1 disk at 100 % (pinned by @bob) |");
  });

  it("saves the RCA form's sections at once, only those that changed", async () => {
    const h = await declaredP1();
    const inv = { platform: "console", channelId: ROOM, userId: "bob" };
    const first = await setRcaSections(h.bot.ctx, inv, { summary: "Payments failed.", root_cause: "Disk full.", lessons: "" });
    expect(first.changed).toEqual(["summary", "root_cause"]);
    const again = await setRcaSections(h.bot.ctx, inv, { summary: "Payments failed.", root_cause: "Disk full on db-1." });
    expect(again.changed).toEqual(["root_cause"]);
    expect((await events()).filter((e) => e.kind === "rca.section_set").map((e) => e.data.section)).toEqual(["summary", "root_cause", "root_cause"]);
  });
});
