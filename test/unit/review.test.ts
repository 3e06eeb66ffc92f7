/** Calendar-job timing in the policy timezone, and downtime as a union of incident spans. */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { monthPeriod, nextMonthly, nextWeekly, reviewedWeek } from "../../src/domain/review/calendar-runs.js";
import { serviceDowntime } from "../../src/domain/review/documents.js";

const review = DEFAULT_POLICY.review;
const at = (iso: string) => new Date(iso);

describe("calendar runs", () => {
  it("the weekly digest is next Monday 09:00 Paris, covering the 7 days before", () => {
    const r = nextWeekly(review, "Europe/Paris", at("2026-11-20T10:00:00Z"));
    expect(r).toEqual({ job: "review.weekly", at: at("2026-11-23T08:00:00Z"), period: "2026-W48", from: at("2026-11-16T08:00:00Z"), to: at("2026-11-23T08:00:00Z") });
    // On Monday after 09:00: the following Monday.
    expect(nextWeekly(review, "Europe/Paris", at("2026-11-23T08:00:00Z")).period).toBe("2026-W49");
  });

  it("names the week a digest reviews: the one that just ended, not the one it is posted in", () => {
    const r = nextWeekly(review, "Europe/Paris", at("2026-12-02T10:00:00Z"));
    expect(r.period).toBe("2026-W50"); // the run's key: posted Monday 7 December
    expect(reviewedWeek(r.from, r.to, "Europe/Paris")).toEqual({ week: "2026-W49", days: "2026-11-30 to 2026-12-06" });
    // Posted on Fridays: Friday to Thursday, named by the ISO week holding most of it (the last day's).
    const friday = nextWeekly({ ...review, weeklyDay: "fri" }, "Europe/Paris", at("2026-12-02T10:00:00Z"));
    expect(reviewedWeek(friday.from, friday.to, "Europe/Paris")).toEqual({ week: "2026-W49", days: "2026-11-27 to 2026-12-03" });
  });

  it("keeps 09:00 local across the autumn DST change", () => {
    // Monday 26 Oct 2026 09:00 CET = 08:00Z; the week before started Monday 19 Oct 09:00 CEST = 07:00Z.
    const r = nextWeekly(review, "Europe/Paris", at("2026-10-22T12:00:00Z"));
    expect([r.at, r.from]).toEqual([at("2026-10-26T08:00:00Z"), at("2026-10-19T07:00:00Z")]);
  });

  it("the monthly report runs on the 1st for the month before", () => {
    const r = nextMonthly(review, "Europe/Paris", at("2026-11-20T10:00:00Z"));
    expect(r).toEqual({ job: "review.monthly", at: at("2026-12-01T08:00:00Z"), period: "2026-11", from: at("2026-10-31T23:00:00Z"), to: at("2026-11-30T23:00:00Z") });
    expect(monthPeriod("2026-10", "Europe/Paris")).toEqual({ from: at("2026-09-30T22:00:00Z"), to: at("2026-10-31T23:00:00Z") });
    expect(monthPeriod("2026-13", "Europe/Paris")).toBeNull();
  });
});

describe("downtime per service", () => {
  it("counts overlapping incidents once", () => {
    const h = (n: number) => at(`2026-11-02T${String(n).padStart(2, "0")}:00:00Z`);
    // shop: 10–12 and 11–14 overlap → 10–14 = 4 h; 16–17 → 1 h; api: 10–11 → 1 h.
    expect(serviceDowntime([
      { service: "shop", from: h(10), to: h(12) },
      { service: "api", from: h(10), to: h(11) },
      { service: "shop", from: h(16), to: h(17) },
      { service: "shop", from: h(11), to: h(14) },
    ])).toEqual([{ service: "api", ms: 3_600_000 }, { service: "shop", ms: 5 * 3_600_000 }]);
  });
});
