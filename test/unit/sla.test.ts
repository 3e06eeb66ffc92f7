/**
 * SLA deadlines and the business-hours calendar (Europe/Paris, Mon–Fri 09:00–17:30 by default).
 * Every expected instant is worked out by hand in the comment beside it. Paris is UTC+1 in winter
 * (CET) and UTC+2 in summer (CEST); 2026 changes on 29 March and 25 October.
 */
import { describe, expect, it } from "vitest";
import { addBusinessMs, businessMsBetween, isBusinessTime, nextBusinessStart } from "../../src/domain/calendar.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { slaDeadlines, slaElapsedMs } from "../../src/domain/sla.js";

const cal = DEFAULT_POLICY.businessHours;
const H = 3_600_000;
const M = 60_000;
const utc = (iso: string) => new Date(iso);
const deadlines = (p: string, start: string, policy: Policy = DEFAULT_POLICY, pauses: { from: Date; to: Date | null }[] = [], now = start) =>
  slaDeadlines(policy, p, utc(start), pauses, utc(now));

describe("business-hours calendar", () => {
  it("knows 17:29 is inside business hours and 17:31 is not", () => {
    // Wednesday 2026-11-18, CET: 17:29 local = 16:29Z.
    expect(isBusinessTime(cal, utc("2026-11-18T16:29:00Z"))).toBe(true);
    expect(isBusinessTime(cal, utc("2026-11-18T16:31:00Z"))).toBe(false);
    expect(isBusinessTime(cal, utc("2026-11-21T10:00:00Z"))).toBe(false); // Saturday
  });

  it("skips a holiday", () => {
    const withHoliday = { ...cal, holidays: ["2026-11-19"] };
    expect(isBusinessTime(withHoliday, utc("2026-11-19T10:00:00Z"))).toBe(false);
    // Wednesday 17:31 → next opening is Friday 09:00 CET = 08:00Z.
    expect(nextBusinessStart(withHoliday, utc("2026-11-18T16:31:00Z"))).toEqual(utc("2026-11-20T08:00:00Z"));
  });

  it("counts business time between two instants", () => {
    // Friday 16:00 → Monday 10:00 (CET): 1.5 h on Friday + 1 h on Monday.
    expect(businessMsBetween(cal, utc("2026-11-20T15:00:00Z"), utc("2026-11-23T09:00:00Z"))).toBe(2.5 * H);
    expect(businessMsBetween(cal, utc("2026-11-23T09:00:00Z"), utc("2026-11-20T15:00:00Z"))).toBe(0);
  });

  it("keeps 09:00 local across the spring change", () => {
    // Friday 2026-03-27 17:00 CET (16:00Z) + 1 h of business time: 30 min on Friday, then Monday
    // 2026-03-30 09:30 CEST = 07:30Z (a UTC-only sum would land at 08:30Z).
    expect(addBusinessMs(cal, utc("2026-03-27T16:00:00Z"), 1 * H)).toEqual(utc("2026-03-30T07:30:00Z"));
  });

  it("keeps 09:00 local across the autumn change", () => {
    // Friday 2026-10-23 17:00 CEST (15:00Z) + 1 h: Monday 2026-10-26 09:30 CET = 08:30Z.
    expect(addBusinessMs(cal, utc("2026-10-23T15:00:00Z"), 1 * H)).toEqual(utc("2026-10-26T08:30:00Z"));
  });

  it("refuses a calendar with no working hours", () => {
    expect(() => addBusinessMs({ ...cal, week: {} }, utc("2026-11-18T10:00:00Z"), H)).toThrow(/no working hours/);
  });
});

describe("SLA deadlines", () => {
  it("P1 and P2 run on a 24×7 clock", () => {
    // Saturday 03:00Z: P1 respond 15 min, resolve 4 h; P2 respond 1 h, resolve 8 h.
    expect(deadlines("P1", "2026-11-21T03:00:00Z")).toEqual({ respondBy: utc("2026-11-21T03:15:00Z"), resolveBy: utc("2026-11-21T07:00:00Z"), paused: false });
    expect(deadlines("P2", "2026-11-21T03:00:00Z")).toMatchObject({ respondBy: utc("2026-11-21T04:00:00Z"), resolveBy: utc("2026-11-21T11:00:00Z") });
  });

  it("P3 declared at 17:29 on a weekday vs 17:31", () => {
    // 17:29: 1 min counts on Wednesday, 7 h 59 min from Thursday 09:00 → Thursday 16:59 CET = 15:59Z.
    expect(deadlines("P3", "2026-11-18T16:29:00Z").respondBy).toEqual(utc("2026-11-19T15:59:00Z"));
    // 17:31: nothing counts on Wednesday, 8 h from Thursday 09:00 → 17:00 CET = 16:00Z.
    expect(deadlines("P3", "2026-11-18T16:31:00Z").respondBy).toEqual(utc("2026-11-19T16:00:00Z"));
  });

  it("P3 declared Friday 16:00 answers by Monday 15:30 and resolves by Tuesday 15:00", () => {
    // respond 8 h: Friday 16:00–17:30 (1.5 h) + Monday 09:00–15:30 (6.5 h) → Monday 15:30 CET = 14:30Z.
    // resolve 16 h: 1.5 h Friday + 8.5 h Monday + 6 h Tuesday → Tuesday 15:00 CET = 14:00Z.
    const d = deadlines("P3", "2026-11-20T15:00:00Z");
    expect(d.respondBy).toEqual(utc("2026-11-23T14:30:00Z"));
    expect(d.resolveBy).toEqual(utc("2026-11-24T14:00:00Z"));
  });

  it("P3 skips a holiday", () => {
    const policy = { ...DEFAULT_POLICY, businessHours: { ...cal, holidays: ["2026-11-23"] } };
    // Monday is a holiday: Friday 1.5 h + Tuesday 09:00–15:30 → Tuesday 15:30 CET = 14:30Z.
    expect(deadlines("P3", "2026-11-20T15:00:00Z", policy).respondBy).toEqual(utc("2026-11-24T14:30:00Z"));
  });

  it("P3 across the spring DST change", () => {
    // Friday 2026-03-27 16:00 CET (15:00Z) → Monday 2026-03-30 15:30 CEST = 13:30Z.
    expect(deadlines("P3", "2026-03-27T15:00:00Z").respondBy).toEqual(utc("2026-03-30T13:30:00Z"));
  });

  it("P3 across the autumn DST change", () => {
    // Friday 2026-10-23 16:00 CEST (14:00Z) → Monday 2026-10-26 15:30 CET = 14:30Z.
    expect(deadlines("P3", "2026-10-23T14:00:00Z").respondBy).toEqual(utc("2026-10-26T14:30:00Z"));
  });

  it("a 24×7 clock counts real elapsed time through a DST change", () => {
    // 2026-03-29 01:00 CET (00:00Z) + 4 h = 04:00Z, which is 06:00 CEST on the wall clock.
    expect(deadlines("P1", "2026-03-29T00:00:00Z").resolveBy).toEqual(utc("2026-03-29T04:00:00Z"));
    // 2026-10-25 01:00 CEST (23:00Z on the 24th) + 4 h = 03:00Z, 04:00 CET on the wall clock.
    expect(deadlines("P1", "2026-10-24T23:00:00Z").resolveBy).toEqual(utc("2026-10-25T03:00:00Z"));
  });

  it("a closed pause moves both deadlines by its length", () => {
    // P1 at 10:00Z, waiting 10:05–10:35 (30 min): respond 10:45Z, resolve 14:30Z.
    const pauses = [{ from: utc("2026-11-18T10:05:00Z"), to: utc("2026-11-18T10:35:00Z") }];
    const d = deadlines("P1", "2026-11-18T10:00:00Z", DEFAULT_POLICY, pauses, "2026-11-18T11:00:00Z");
    expect(d).toEqual({ respondBy: utc("2026-11-18T10:45:00Z"), resolveBy: utc("2026-11-18T14:30:00Z"), paused: false });
  });

  it("a pause after respond-by leaves it alone", () => {
    // Waiting 10:20–11:00 (40 min) starts after respond-by (10:15): only resolve-by moves, to 14:40Z.
    const pauses = [{ from: utc("2026-11-18T10:20:00Z"), to: utc("2026-11-18T11:00:00Z") }];
    const d = deadlines("P1", "2026-11-18T10:00:00Z", DEFAULT_POLICY, pauses, "2026-11-18T12:00:00Z");
    expect(d.respondBy).toEqual(utc("2026-11-18T10:15:00Z"));
    expect(d.resolveBy).toEqual(utc("2026-11-18T14:40:00Z"));
  });

  it("an open pause counts until now and says the clock is paused", () => {
    // Waiting since 10:05, now 10:20: 15 min paused so far → respond-by 10:30Z.
    const pauses = [{ from: utc("2026-11-18T10:05:00Z"), to: null }];
    const d = deadlines("P1", "2026-11-18T10:00:00Z", DEFAULT_POLICY, pauses, "2026-11-18T10:20:00Z");
    expect(d.respondBy).toEqual(utc("2026-11-18T10:30:00Z"));
    expect(d.paused).toBe(true);
  });

  it("pauses on a business clock only remove business time", () => {
    // P3 Wednesday 10:00 CET (09:00Z), waiting 11:00–13:00: 1 h before, 4.5 h after on Wednesday,
    // 2.5 h left → Thursday 11:30 CET = 10:30Z.
    const pauses = [{ from: utc("2026-11-18T10:00:00Z"), to: utc("2026-11-18T12:00:00Z") }];
    expect(deadlines("P3", "2026-11-18T09:00:00Z", DEFAULT_POLICY, pauses, "2026-11-19T08:00:00Z").respondBy).toEqual(utc("2026-11-19T10:30:00Z"));
  });

  it("measures SLA time elapsed without the pauses", () => {
    const pauses = [{ from: utc("2026-11-18T10:05:00Z"), to: utc("2026-11-18T10:35:00Z") }];
    expect(slaElapsedMs(DEFAULT_POLICY, "P1", utc("2026-11-18T10:00:00Z"), pauses, utc("2026-11-18T11:00:00Z"))).toBe(30 * M);
  });

  it("a priority without an SLA has no deadlines", () => {
    expect(deadlines("P9", "2026-11-18T10:00:00Z")).toEqual({ respondBy: null, resolveBy: null, paused: false });
  });
});
