/**
 * KPIs on a seeded month, on every backend, against figures worked out by hand below. Four incidents
 * in November 2026 (Europe/Paris) and one in October that the period leaves out:
 *
 *   A  P1 network     ACME    02 Nov 10:00Z  ack 10:10 (respond-by 10:15 met)  resolved 12:00 (resolve-by 14:00 met)
 *      updates: two on time, one missed; RCA procedures written
 *   B  P2 application ACME    05 Nov 09:00Z  ack 10:30 (respond-by 10:00 breached)  resolved 17:20; resolve-by 17:30
 *      (17:00 + 30 min spent waiting) met; escalated (technical); one update late, one automatic (not counted)
 *   C  P3 application Globex  10 Nov 08:00Z  never acknowledged (respond-by breached); resolved, reopened,
 *      resolved again 12 Nov 09:00 (resolve-by 11 Nov 16:00 breached); escalated (managerial)
 *   D  P1 (no nature, no customer) 20 Nov 00:00Z  ack 00:05 (met); still open
 *   E  P1 network ACME 15 Oct — outside the period
 *
 * total 4 · nature: application 2 (50%), network 1 (25%), unspecified 1 (25%) · priority P1 2, P2 1, P3 1
 * respond-by met A, D = 2/4 · resolve-by met A, B of A, B, C = 2/3 (66.7%) · escalated B, C = 2 (50%)
 * time to acknowledge (10 + 90 + 5) / 3 = 35 min · downtime (2h + 8h20m + 49h) / 3 = 19h46m40s
 * by customer ACME (2h + 8h20m) / 2 = 5h10m, Globex 49h = 2d1h · by nature application (8h20m + 49h) / 2
 * = 28h40m = 1d4h40m, network 2h · procedures 1 · updates on time 2 of (3 posted + 1 missed) = 50%
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeStats } from "../../src/db/stats-repo.js";
import { statsText } from "../../src/domain/kpi/stats.js";
import { dispatch } from "../../src/commands/execute.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";
import { d, seed } from "../support/kpi-seed.js";

const NOVEMBER = { from: d("2026-10-31T23:00:00Z"), to: d("2026-11-30T23:00:00Z") };

describe.each(backends)("KPIs on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
    await seed(database);
  });
  afterEach(() => database.destroy());

  it("computes the month's figures in SQL, as worked out by hand", async () => {
    const s = await computeStats(database.db, NOVEMBER);
    expect(s).toEqual({
      total: 4,
      byNature: [{ key: "application", count: 2 }, { key: "network", count: 1 }, { key: "unspecified", count: 1 }],
      byPriority: [{ key: "P1", count: 2 }, { key: "P2", count: 1 }, { key: "P3", count: 1 }],
      respondBy: { met: 2, of: 4 },
      resolveBy: { met: 2, of: 3 },
      escalated: 2,
      meanTimeToAcknowledgeMs: 35 * 60_000,
      meanDowntimeMs: (19 * 3600 + 46 * 60 + 40) * 1000,
      downtimeByCustomer: [{ key: "ACME", meanMs: (5 * 60 + 10) * 60_000, count: 2 }, { key: "Globex", meanMs: 49 * 3_600_000, count: 1 }],
      downtimeByNature: [{ key: "application", meanMs: (28 * 60 + 40) * 60_000, count: 2 }, { key: "network", meanMs: 2 * 3_600_000, count: 1 }],
      procedures: 1,
      updates: { met: 2, of: 4 },
      duplicates: 0,
      declined: 0,
    });
  });

  it("filters by customer and by nature", async () => {
    const acme = await computeStats(database.db, { ...NOVEMBER, customer: "ACME" });
    expect([acme.total, acme.escalated, acme.respondBy, acme.meanDowntimeMs]).toEqual([2, 1, { met: 1, of: 2 }, (5 * 60 + 10) * 60_000]);
    const app = await computeStats(database.db, { ...NOVEMBER, nature: "application" });
    expect([app.total, app.resolveBy, app.updates]).toEqual([2, { met: 1, of: 2 }, { met: 0, of: 1 }]);
    const none = await computeStats(database.db, { from: d("2025-01-01T00:00:00Z"), to: d("2025-02-01T00:00:00Z") });
    expect(statsText(none, "in January 2025")).toBe("No incidents in January 2025.");
  });

  it("answers /incident stats with the period in the policy timezone", async () => {
    const h = consoleHarness(database, { start: "2026-12-01T09:00:00Z" });
    const reply = await dispatch(h.bot.ctx, { platform: "console", channelId: "general", userId: "alice" }, "stats --from 2026-11-01 --to 2026-11-30");
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toBe(
      [
        "Incidents from 2026-11-01 to 2026-11-30 (Europe/Paris): 4",
        "  By nature: application 50% (2), network 25% (1), unspecified 25% (1)",
        "  By priority: P1 50% (2), P2 25% (1), P3 25% (1)",
        "  Respond-by met: 50% (2/4); resolve-by met: 66.7% (2/3)",
        "  Handled without escalation: 50%; with escalation: 50% (2)",
        "  Mean time to acknowledge: 35m",
        "  Mean downtime: 19h46m40s; by customer: ACME 5h10m (2), Globex 2d1h (1); by nature: application 1d4h40m (2), network 2h (1)",
        "  Procedures written or updated: 1",
        "  Updates on time: 50% (2/4)",
      ].join("\n"),
    );
    const bad = await dispatch(h.bot.ctx, { platform: "console", channelId: "general", userId: "alice" }, "stats --from 2026-11-31");
    expect(bad.text).toContain('--from takes a date such as 2026-11-01 (got "2026-11-31").');
    const reversed = await dispatch(h.bot.ctx, { platform: "console", channelId: "general", userId: "alice" }, "stats --from 2026-11-30 --to 2026-11-01");
    expect(reversed.text).toContain("--from must not be after --to.");
  });
});
