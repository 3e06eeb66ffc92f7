/**
 * The weekly review digest and the monthly report on the hand-worked month (test/support/kpi-seed.ts),
 * on every backend, compared with golden files; and the calendar jobs: keyed per period, so two bots
 * on one database post one digest, and the next run is scheduled by each run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestData } from "../../src/db/review-repo.js";
import { outbox, timers } from "../../src/db/schema.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { digestMarkdown } from "../../src/domain/review/documents.js";
import { PNG } from "pngjs";
import { ensureCalendarRuns, monthlyData, monthlyReport } from "../../src/app/review/calendar.js";
import { weeklyChart } from "../../src/domain/review/chart.js";
import { toPng } from "../../src/report-chart.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";
import { d, seed } from "../support/kpi-seed.js";

const golden = (name: string, actual: string) => {
  const path = new URL(`../golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
};

describe.each(backends)("review documents on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
    await seed(database);
  });
  afterEach(() => database.destroy());

  it("renders the weekly digest of Monday 23 November 09:00 Paris", async () => {
    // The week 16–23 Nov: D met its respond-by (20 Nov 00:15) but not its resolve-by (04:00); C (10 Nov) is outside.
    const now = d("2026-11-23T08:00:00Z");
    const digest = await digestData(database.db, now, d("2026-11-16T08:00:00Z"), 2);
    golden("weekly-digest.md", digestMarkdown(digest, "2026-W48", now, "Europe/Paris"));
  });

  it("draws incidents per week by priority as a PNG chart", async () => {
    const h = consoleHarness(database);
    const data = await monthlyData(h.bot.ctx, "2026-11", d("2026-10-31T23:00:00Z"), d("2026-11-30T23:00:00Z"));
    // ISO weeks in Paris: A (Mon 2 Nov) and B (Thu 5 Nov) W45, C (Tue 10 Nov) W46, D (Fri 20 Nov) W47.
    expect(data.weeks).toEqual([{ week: "2026-W45", counts: { P1: 1, P2: 1 } }, { week: "2026-W46", counts: { P3: 1 } }, { week: "2026-W47", counts: { P1: 1 } }]);
    const png = PNG.sync.read(toPng(weeklyChart(data.weeks, data.priorities)));
    expect([png.width, png.height]).toEqual([20 + 3 * 56, 220]);
    const at = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
    // The tallest week (W45, 2 incidents) fills the 160 px plot above the axis at y 180: P1 red in the
    // lower half, P2 orange on top; W46 (x 76–111) is one P3, half height, blue, white above.
    expect(at(30, 150)).toEqual([216, 60, 62]);
    expect(at(30, 60)).toEqual([240, 160, 50]);
    expect(at(90, 150)).toEqual([70, 120, 210]);
    expect(at(90, 60)).toEqual([255, 255, 255]);
    const file = new URL("../golden/weekly-chart.png", import.meta.url);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, toPng(weeklyChart(data.weeks, data.priorities)));
    expect(toPng(weeklyChart(data.weeks, data.priorities)).equals(readFileSync(file))).toBe(true);
  });

  it("renders the monthly report for November 2026", async () => {
    // shop is down A 2h + B 8h20m + C 49h + D 20 Nov 00:00Z → month end 30 Nov 23:00Z (10d23h) = 13d10h20m
    // of 720 h: availability 1 − 322h20m / 720h = 55.231%. E (October) is outside.
    const h = consoleHarness(database);
    golden("monthly-report-2026-11.md", await monthlyReport(h.bot.ctx, "2026-11", d("2026-10-31T23:00:00Z"), d("2026-11-30T23:00:00Z")));
  });
});

describe.each(backends)("calendar jobs on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  it("two bots on one database post one digest per week, and each run schedules the next", async () => {
    const a = consoleHarness(database, { start: "2026-11-20T10:00:00Z" });
    const b = consoleHarness(database, { start: "2026-11-20T10:00:00Z" });
    await ensureCalendarRuns(a.bot.ctx);
    await ensureCalendarRuns(b.bot.ctx);
    const pending = await database.db.select({ key: timers.key, dueAt: timers.dueAt }).from(timers).where(eq(timers.status, "pending")).orderBy(timers.dueAt);
    expect(pending.map((t) => [t.key, t.dueAt.toISOString()])).toEqual([
      ["review.weekly:2026-W48", "2026-11-23T08:00:00.000Z"],
      ["review.monthly:2026-11", "2026-12-01T08:00:00.000Z"],
    ]);
    for (const h of [a, b]) h.clock.advance(3 * 86_400_000);
    await Promise.all([a.bot.scheduler.drain(), b.bot.scheduler.drain()]);
    const posts = await database.db.select().from(outbox).where(eq(outbox.target, "announcements"));
    expect(posts.map((p) => [p.key, p.status])).toEqual([["review.weekly:2026-W48:console", "sent"]]);
    expect([...a.lines, ...b.lines].filter((l) => l.includes("bot: Weekly incident review 2026-W48"))).toHaveLength(1);
    const next = await database.db.select({ key: timers.key }).from(timers).where(eq(timers.status, "pending"));
    expect(next.map((t) => t.key).sort()).toEqual(["review.monthly:2026-11", "review.weekly:2026-W49"]);
  });

  it("a restart does not repeat a period already posted", async () => {
    const a = consoleHarness(database, { start: "2026-11-23T08:30:00Z" });
    await ensureCalendarRuns(a.bot.ctx); // next weekly: 30 Nov (23 Nov 09:00 Paris has passed)
    const keys = (await database.db.select({ key: timers.key }).from(timers)).map((t) => t.key).sort();
    expect(keys).toEqual(["review.monthly:2026-11", "review.weekly:2026-W49"]);
    await ensureCalendarRuns(consoleHarness(database, { start: "2026-11-23T08:31:00Z" }).bot.ctx);
    expect(await database.db.select().from(timers)).toHaveLength(2);
  });

  it("refuses nothing silently: the policy time and day are validated", async () => {
    const { parsePolicy } = await import("../../src/config.js");
    expect(() => parsePolicy({ review: { time: "25:00" } })).toThrow(/review\.time must be a local time "HH:MM"/);
    expect(DEFAULT_POLICY.review).toEqual({ channel: "announcements", weeklyDay: "mon", time: "09:00", recurringThreshold: 3 });
  });
});
