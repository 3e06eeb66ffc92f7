/**
 * When the calendar jobs run and which period each run covers, in the policy timezone: the weekly
 * digest on `weeklyDay` at `time` (covering the 7 days before), the monthly report on the 1st at
 * `time` (covering the month before). The period key makes a run unique in the database.
 */
import { DateTime } from "luxon";
import { WEEKDAYS, type ReviewPolicy } from "../policy.js";

export interface CalendarRun {
  job: "review.weekly" | "review.monthly";
  at: Date;
  /**
   * The run's key: "2026-W48" (the week the digest is posted in; the digest covers the week before,
   * named by `reviewedWeek`) or "2026-10" (the month reported). Kept as it was so that a digest
   * already scheduled under its key is not scheduled twice after an upgrade.
   */
  period: string;
  from: Date;
  to: Date;
}

function atTime(d: DateTime, time: string): DateTime {
  const [h, m] = time.split(":").map(Number);
  return d.set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
}

export function nextWeekly(review: ReviewPolicy, zone: string, after: Date): CalendarRun {
  const now = DateTime.fromJSDate(after, { zone });
  const weekday = WEEKDAYS.indexOf(review.weeklyDay) + 1;
  let at = atTime(now.set({ weekday: weekday as 1 }), review.time);
  if (at <= now) at = atTime(now.plus({ weeks: 1 }).set({ weekday: weekday as 1 }), review.time);
  return { job: "review.weekly", at: at.toJSDate(), period: `${at.weekYear}-W${String(at.weekNumber).padStart(2, "0")}`, from: at.minus({ days: 7 }).toJSDate(), to: at.toJSDate() };
}

export function nextMonthly(review: ReviewPolicy, zone: string, after: Date): CalendarRun {
  const now = DateTime.fromJSDate(after, { zone });
  let at = atTime(now.startOf("month"), review.time);
  if (at <= now) at = atTime(now.plus({ months: 1 }).startOf("month"), review.time);
  const month = at.minus({ months: 1 }).startOf("month");
  return { job: "review.monthly", at: at.toJSDate(), period: month.toFormat("yyyy-LL"), from: month.toJSDate(), to: month.plus({ months: 1 }).toJSDate() };
}

/** The calendar month "2026-10" as [from, to) in the zone, or null when the text is not a month. */
export function monthPeriod(month: string, zone: string): { from: Date; to: Date } | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  const start = DateTime.fromISO(`${month}-01`, { zone });
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/**
 * The week a digest covers, as it is titled: the ISO week of its last day and its days, e.g.
 * { week: "2026-W49", days: "2026-11-30 to 2026-12-06" } for the digest posted Monday 7 December.
 * With a digest day other than Monday the 7 days span two ISO weeks; the last day's has most of them.
 */
export function reviewedWeek(from: Date, to: Date, zone: string): { week: string; days: string } {
  const first = DateTime.fromJSDate(from, { zone });
  const last = DateTime.fromJSDate(to, { zone }).minus({ days: 1 });
  return { week: `${last.weekYear}-W${String(last.weekNumber).padStart(2, "0")}`, days: `${first.toISODate()} to ${last.toISODate()}` };
}

/** The ISO weeks ("2026-W44") that [from, to) touches in the zone, in order. */
export function isoWeeks(from: Date, to: Date, zone: string): string[] {
  const weeks: string[] = [];
  for (let day = DateTime.fromJSDate(from, { zone }).startOf("day"); day.toMillis() < to.getTime(); day = day.plus({ days: 1 })) {
    const week = `${day.weekYear}-W${String(day.weekNumber).padStart(2, "0")}`;
    if (weeks.at(-1) !== week) weeks.push(week);
  }
  return weeks;
}
