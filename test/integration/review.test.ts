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
import { ensureCalendarRuns, monthlyChart, monthlyData, monthlyReport } from "../../src/app/review/calendar.js";
import { reviewedWeek } from "../../src/domain/review/calendar-runs.js";
import { toPng } from "../../src/report-chart.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";
import { d, seed } from "../support/kpi-seed.js";

/** A decoded PNG: RGB at a point, and how many dark (text, axis) pixels a rectangle holds. */
function decode(bytes: Buffer) {
  const png = PNG.sync.read(bytes);
  const rgb = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)] as [number, number, number];
  const count = (test: (r: number, g: number, b: number) => boolean, x0 = 0, y0 = 0, w = png.width, h = png.height) => {
    let n = 0;
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (test(...rgb(x, y))) n++;
    return n;
  };
  return { width: png.width, height: png.height, at: rgb, count, dark: (x: number, y: number, w: number, h: number) => count((r, g, b) => r + g + b < 3 * 128, x, y, w, h) };
}

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
    golden("weekly-digest.md", digestMarkdown(digest, reviewedWeek(d("2026-11-16T08:00:00Z"), now, "Europe/Paris"), now, "Europe/Paris"));
  });

  it("draws incidents per week by priority as a PNG chart a person can read: axes, week labels, legend", async () => {
    const h = consoleHarness(database);
    const data = await monthlyData(h.bot.ctx, "2026-11", d("2026-10-31T23:00:00Z"), d("2026-11-30T23:00:00Z"));
    // ISO weeks in Paris: A (Mon 2 Nov) and B (Thu 5 Nov) W45, C (Tue 10 Nov) W46, D (Fri 20 Nov) W47.
    // Every ISO week the month touches is on the chart, quiet ones at zero (1 Nov is a Sunday of W44).
    expect(data.weeks).toEqual([
      { week: "2026-W44", counts: {} },
      { week: "2026-W45", counts: { P1: 1, P2: 1 } },
      { week: "2026-W46", counts: { P3: 1 } },
      { week: "2026-W47", counts: { P1: 1 } },
      { week: "2026-W48", counts: {} },
      { week: "2026-W49", counts: {} },
    ]);
    const bytes = toPng(monthlyChart(h.bot.ctx.policy, data));
    const png = decode(bytes);
    expect([png.width, png.height]).toEqual([880, 440]);
    // The plot runs from x 70 to 700 and y 70 to 370 (the x axis): 6 weeks of 105 px, bars 63 px wide
    // and centred; the y axis tops at 2 incidents. W45: P1 red below, P2 orange on top; W46 one P3
    // (blue, half height, white above); W47 one P1.
    const centre = (i: number) => Math.round(70 + 105 * i + 52.5);
    expect(png.at(centre(1), 300)).toEqual([216, 60, 62]);
    expect(png.at(centre(1), 150)).toEqual([240, 160, 50]);
    expect(png.at(centre(2), 300)).toEqual([70, 120, 210]);
    expect(png.at(centre(2), 150)).toEqual([255, 255, 255]);
    expect(png.at(centre(3), 300)).toEqual([216, 60, 62]);
    expect(png.at(centre(4), 300)).toEqual([255, 255, 255]);
    // Axes drawn: the y axis (x 69–71) and the x axis (y 369–371) are dark along their length.
    for (let y = 80; y < 360; y += 20) expect(png.dark(69, y, 3, 1)).toBeGreaterThan(0);
    for (let x = 80; x < 690; x += 20) expect(png.dark(x, 369, 1, 3)).toBeGreaterThan(0);
    // Text is drawn where people look for it: y-axis numbers left of the axis, a week label under each
    // bar, the title, and a name beside each legend square (P1 Critical, P2 Major, P3 Low).
    expect(png.dark(30, 360, 35, 20)).toBeGreaterThan(10); // "0"
    for (let i = 0; i < 6; i++) expect(png.dark(centre(i) - 40, 378, 80, 20)).toBeGreaterThan(30);
    expect(png.dark(200, 10, 480, 35)).toBeGreaterThan(300);
    for (const y of [100, 126, 152]) expect(png.dark(752, y, 80, 18)).toBeGreaterThan(40);

    const file = new URL("../golden/weekly-chart.png", import.meta.url);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, bytes);
    expect(bytes.equals(readFileSync(file))).toBe(true);
  });

  it("draws a month without incidents as a chart that says so, not a blank image", async () => {
    const h = consoleHarness(database);
    const data = await monthlyData(h.bot.ctx, "2026-12", d("2026-11-30T23:00:00Z"), d("2026-12-31T23:00:00Z"));
    expect(data.weeks.flatMap((w) => Object.values(w.counts)).reduce((a, b) => a + b, 0)).toBe(0);
    const png = decode(toPng(monthlyChart(h.bot.ctx.policy, data)));
    expect([png.width, png.height]).toEqual([880, 440]);
    // "No incidents this month" in the middle of the plot, axes around it, and no bar anywhere.
    expect(png.dark(200, 195, 370, 30)).toBeGreaterThan(500);
    for (let y = 80; y < 360; y += 40) expect(png.dark(69, y, 3, 1)).toBeGreaterThan(0);
    expect(png.count((r, g, b) => (r === 216 && g === 60 && b === 62) || (r === 70 && g === 120 && b === 210))).toBeLessThan(16 * 16 * 2 + 1); // legend squares only
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
    // Posted on Monday 23 November (key 2026-W48), it reviews the week that just ended, and says so.
    expect([...a.lines, ...b.lines].filter((l) => l.includes("bot: Weekly incident review 2026-W47 (2026-11-16 to 2026-11-22)"))).toHaveLength(1);
    const next = await database.db.select({ key: timers.key }).from(timers).where(eq(timers.status, "pending"));
    expect(next.map((t) => t.key).sort()).toEqual(["review.monthly:2026-11", "review.weekly:2026-W49"]);
  });

  it("the digest posted on Monday 7 December reviews 2026-W49, titled so, with that week's breaches", async () => {
    const h = consoleHarness(database, { start: "2026-12-02T10:00:00Z" });
    await ensureCalendarRuns(h.bot.ctx);
    await h.type('/incident declare "Checkout is failing" --impact I1 --urgency U1');
    // Nobody acknowledges: the respond-by (Wednesday 2 December, in W49) is missed.
    const posted = await h.type(":at 2026-12-07 09:00");
    expect(posted).toContain("bot: Weekly incident review 2026-W49 (2026-11-30 to 2026-12-06)");
    expect(posted).toContain("# Weekly incident review 2026-W49 (2026-11-30 to 2026-12-06)");
    expect(posted).toMatch(/## SLA breaches in 2026-W49\n\[#announcements\] +- INC-2026-0001 · P1 · Checkout is failing · respond-by missed/);
    expect(posted).not.toMatch(/W50|this week/);
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
