/**
 * Business-hours calendar math: weekly working intervals in a timezone, minus holidays. Works day by
 * day on local wall-clock times with luxon, so a daylight-saving change never moves 09:00 local.
 */
import { DateTime } from "luxon";
import { WEEKDAYS, type BusinessCalendar } from "./policy.js";

/** Searching further than this for an opening means the calendar has no working hours at all. */
const MAX_DAYS = 3 * 366;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

/** The working intervals of one local day, as absolute [start, end) milliseconds. */
function intervalsOn(cal: BusinessCalendar, day: DateTime): [number, number][] {
  if (cal.holidays.includes(day.toISODate()!)) return [];
  const weekday = WEEKDAYS[day.weekday - 1]!;
  return (cal.week[weekday] ?? []).map((iv) => {
    // set() places the local wall-clock time on that date, so 09:00 stays 09:00 across DST.
    const start = day.set({ hour: Math.floor(minutes(iv.start) / 60), minute: minutes(iv.start) % 60, second: 0, millisecond: 0 });
    const endMins = minutes(iv.end);
    const end = endMins >= 24 * 60 ? day.startOf("day").plus({ days: 1 }) : day.set({ hour: Math.floor(endMins / 60), minute: endMins % 60, second: 0, millisecond: 0 });
    return [start.toMillis(), end.toMillis()];
  });
}

function localDay(cal: BusinessCalendar, ms: number): DateTime {
  return DateTime.fromMillis(ms, { zone: cal.timezone }).startOf("day");
}

function hasHours(cal: BusinessCalendar): boolean {
  return WEEKDAYS.some((d) => (cal.week[d] ?? []).length > 0);
}

export function isBusinessTime(cal: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  return intervalsOn(cal, localDay(cal, t)).some(([s, e]) => t >= s && t < e);
}

export function businessMsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let day = localDay(cal, a); day.toMillis() < b; day = day.plus({ days: 1 })) {
    for (const [s, e] of intervalsOn(cal, day)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
  }
  return total;
}

export function addBusinessMs(cal: BusinessCalendar, from: Date, ms: number): Date {
  if (!hasHours(cal)) throw new Error("The business-hours calendar has no working hours in its week.");
  let left = ms;
  const t0 = from.getTime();
  let day = localDay(cal, t0);
  for (let n = 0; n < MAX_DAYS; n++, day = day.plus({ days: 1 })) {
    for (const [s, e] of intervalsOn(cal, day)) {
      const start = Math.max(s, t0);
      if (start >= e) continue;
      if (left <= e - start) return new Date(start + left);
      left -= e - start;
    }
  }
  throw new Error(`No business hours within ${MAX_DAYS} days of ${from.toISOString()} (holidays cover them all?).`);
}

/** The next instant >= at inside business hours (at itself when inside). */
export function nextBusinessStart(cal: BusinessCalendar, at: Date): Date {
  return addBusinessMs(cal, at, 0);
}
