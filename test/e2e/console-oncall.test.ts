/**
 * On-call schedules end to end through the console, with examples/oncall.yaml: a P1 declared at 17:31
 * on a Friday pages the off-hours person of the `desk` schedule (17:29: the desk person), level 2 pages
 * the follow-the-sun schedule, and `/incident oncall` says who is on call and who is next.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/config/policy-file.js";
import { incidentEvents } from "../../src/db/schema.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const DECLARE = '/incident declare "Payment API down" --impact I1 --urgency U2';
const policy = loadPolicy("examples/oncall.yaml");

describe.each(backends)("console on-call schedules on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const pageEvents = async () =>
    (await database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, "page.sent")).orderBy(asc(incidentEvents.id))).map((e) => e.data);
  const dms = (lines: string[]) => lines.filter((l) => /^\[DM @[^\]]+\] bot: 🚨 Page/.test(l)).map((l) => /^\[DM @([^\]]+)\]/.exec(l)![1]);

  it("a P1 at 17:31 on a Friday pages the off-hours person of the schedule; 15 minutes later the follow-the-sun one", async () => {
    // Friday 27 November 2026, 17:31 Paris (16:31Z): week 46 of the rotation started 5 January → oscar.
    const h = consoleHarness(database, { start: "2026-11-27T16:31:00Z", policy });
    const out = await h.type(DECLARE);
    expect(out).toContain("[DM @oscar] bot: 🚨 Page: INC-2026-0001 · P1 Critical · Payment API down");
    expect(out).toContain("You are paged as level 1 — on call (off-hours)");
    expect(dms(h.lines)).toEqual(["oscar"]);
    // 16:46Z is 00:46 in Singapore: the Americas' layer of `sre`, week 46 from 4 January → amy.
    await h.type(":advance 15m");
    expect(dms(h.lines)).toEqual(["oscar", "amy"]);
    expect(await pageEvents()).toMatchObject([
      { level: 1, levelName: "on call", ladder: "offhours", targets: ["oscar"] },
      { level: 2, levelName: "engineering", ladder: "offhours", targets: ["amy"] },
    ]);
  });

  it("the same Friday at 17:29 pages the desk person of the day", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T16:29:00Z", policy });
    await h.type(DECLARE);
    // Day 326 of the daily desk rotation started 5 January → dana.
    expect(dms(h.lines)).toEqual(["dana"]);
    expect((await pageEvents())[0]).toMatchObject({ ladder: "business", levelName: "service desk", targets: ["dana"] });
  });

  it("on a holiday the off-hours person has the whole day", async () => {
    const h = consoleHarness(database, { start: "2026-12-25T10:00:00Z", policy });
    await h.type(DECLARE);
    // Friday 25 December, 11:00 Paris: week 50 → owen (50 mod 3 = 2).
    expect(dms(h.lines)).toEqual(["owen"]);
  });

  it("/incident oncall says who is on call and who is next, now or --at a time", async () => {
    const h = consoleHarness(database, { start: "2026-11-27T16:31:00Z", policy });
    const now = await h.type("/incident oncall");
    expect(now).toContain("On call now:");
    expect(now).toContain("• desk: @oscar (oncall); next: @dave (desk) from Mon 2026-11-30 09:00 (Europe/Paris)");
    expect(now).toContain("• sre: @amy (americas); next: @kai (apac) from Sat 2026-11-28 08:00 (Asia/Singapore)");
    const at = await h.type("/incident oncall desk --at 2026-11-30 09:00");
    expect(at).toContain("On call at Mon 2026-11-30 09:00 (Europe/Paris):");
    expect(at).toContain("• desk: @dave (desk); next: @owen (oncall) from Mon 2026-11-30 17:30 (Europe/Paris)");
    expect(at).not.toContain("sre");
    expect(await h.type("/incident oncall nope")).toContain('No schedule "nope"; schedules: desk, sre.');
  });
});
