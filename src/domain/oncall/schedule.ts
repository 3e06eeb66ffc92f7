/**
 * On-call schedules as pure rules: who is on call at an instant, and when that next changes.
 *
 * A schedule has a timezone and layers, listed bottom to top: a later layer wins wherever it has
 * someone. A layer rotates its participants (per platform, like escalation targets) every period
 * (daily, weekly, or N hours) from a start date at a local hand-off time; it may be restricted to
 * windows (weekdays with a local start–end; an end at or before the start wraps past midnight, so
 * 17:30–09:00 on mon–fri covers Friday 17:30 to Saturday 09:00). Holidays (the policy calendar's)
 * may switch a layer off (`never`), make it the holiday layer (`only`), or stretch an off-hours layer
 * over the whole holiday (`all-day`).
 *
 * Daily and weekly hand-offs are placed on local dates with luxon, so 09:00 Europe/Paris stays 09:00
 * local across both daylight-saving changes; an N-hours rotation counts elapsed hours instead (a
 * 12-hour shift stays 12 hours long, so its local hand-off moves by an hour at a change).
 */
import { DateTime } from "luxon";
import { WEEKDAYS, type Weekday } from "../policy.js";

export type RotationPeriod = "daily" | "weekly" | { hours: number };
export type HolidayRule = "any" | "never" | "only" | "all-day";

/** A weekly time window: on `days`, local `start` to `end` (end <= start wraps to the next day). */
export interface OnCallWindow {
  days: Weekday[];
  start: string;
  end: string;
}

export interface OnCallLayer {
  name: string;
  /** The rotation, per platform: { console: ["alice", "bob"], slack: ["U1", "U2"] } — same order on each. */
  participants: Record<string, string[]>;
  /** Local "HH:MM" of the hand-off. */
  handOff: string;
  period: RotationPeriod;
  /** Local "YYYY-MM-DD": the first participant's shift starts that day at `handOff`. */
  start: string;
  /** Absent: the layer covers every hour. */
  windows?: OnCallWindow[];
  /**
   * any (default): holidays change nothing; never: off on holidays; only: on all day on holidays, off
   * otherwise; all-day: its windows on other days, all day on holidays (the off-hours layer).
   */
  holidays?: HolidayRule;
}

export interface Schedule {
  /** IANA zone of hand-off times, windows and holidays. */
  timezone: string;
  layers: OnCallLayer[];
}

export interface OnCall {
  layer: string;
  people: string[];
}

const mins = (hhmm: string): number => {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};

/** The local instant of `hhmm` on the local day `day` ("24:00" is the next midnight). */
function at(day: DateTime, hhmm: string): DateTime {
  const m = mins(hhmm);
  if (m >= 24 * 60) return day.startOf("day").plus({ days: 1 });
  return day.set({ hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 });
}

/** Whole calendar days from date a to date b (ISO dates), independent of DST. */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The shift number of `layer` at `t` (0 for the first), or null before its start. */
export function shiftIndex(layer: OnCallLayer, zone: string, t: number): number | null {
  const first = at(DateTime.fromISO(layer.start, { zone }), layer.handOff);
  if (t < first.toMillis()) return null;
  if (typeof layer.period === "object") return Math.floor((t - first.toMillis()) / (layer.period.hours * 3_600_000));
  let day = DateTime.fromMillis(t, { zone }).startOf("day");
  if (t < at(day, layer.handOff).toMillis()) day = day.minus({ days: 1 });
  const days = daysBetween(layer.start, day.toISODate()!);
  return layer.period === "daily" ? days : Math.floor(days / 7);
}

const weekday = (d: DateTime): Weekday => WEEKDAYS[d.weekday - 1]!;

function inWindow(w: OnCallWindow, t: number, local: DateTime): boolean {
  const today = local.startOf("day");
  const s = mins(w.start);
  const e = mins(w.end);
  if (e > s) return w.days.includes(weekday(today)) && t >= at(today, w.start).toMillis() && t < at(today, w.end).toMillis();
  // Wraps midnight: the evening part of a listed day, or the morning part after a listed day.
  const yesterday = today.minus({ days: 1 });
  return (w.days.includes(weekday(today)) && t >= at(today, w.start).toMillis()) || (w.days.includes(weekday(yesterday)) && t < at(today, w.end).toMillis());
}

function layerActive(layer: OnCallLayer, zone: string, t: number, holidays: readonly string[]): boolean {
  const local = DateTime.fromMillis(t, { zone });
  const holiday = holidays.includes(local.toISODate()!);
  const rule = layer.holidays ?? "any";
  if (rule === "only") return holiday;
  if (rule === "all-day" && holiday) return true;
  if (rule === "never" && holiday) return false;
  return !layer.windows || layer.windows.some((w) => inWindow(w, t, local));
}

/** Who of `layer` is on call at `t` on `platform` (empty when the layer has no one there then). */
function layerPeople(layer: OnCallLayer, zone: string, t: number, platform: string, holidays: readonly string[]): string[] {
  const list = layer.participants[platform] ?? [];
  if (list.length === 0 || !layerActive(layer, zone, t, holidays)) return [];
  const n = shiftIndex(layer, zone, t);
  return n === null ? [] : [list[n % list.length]!];
}

/** Who is on call at `at` on `platform`: the top layer that has someone, or null. */
export function onCallAt(schedule: Schedule, when: Date, platform: string, holidays: readonly string[] = []): OnCall | null {
  const t = when.getTime();
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i]!;
    const people = layerPeople(layer, schedule.timezone, t, platform, holidays);
    if (people.length > 0) return { layer: layer.name, people };
  }
  return null;
}

/** Every platform a schedule names people on. */
export function platformsOf(schedule: Schedule): string[] {
  return [...new Set(schedule.layers.flatMap((l) => Object.keys(l.participants)))];
}

/** Who is on call on every platform, as one comparable value. */
function whoKey(schedule: Schedule, t: number, holidays: readonly string[]): string {
  return JSON.stringify(platformsOf(schedule).map((p) => onCallAt(schedule, new Date(t), p, holidays)));
}

/**
 * Instants in (from, to] where some layer may change — window edges, hand-offs, local midnights — in
 * order, a day at a time: the caller stops at the first one where the answer changes, usually within
 * a day, so the days after it are never computed. (All 60 days at once made a feed of 8 weeks of
 * shifts cost ~5 s of CPU: one 60-day list per shift, each `at` a luxon zone conversion.)
 */
function* candidates(schedule: Schedule, from: number, days: number): Generator<number> {
  const zone = schedule.timezone;
  const day0 = DateTime.fromMillis(from, { zone }).startOf("day");
  const to = day0.plus({ days: days + 1 }).toMillis();
  const hourly = schedule.layers.flatMap((layer) =>
    typeof layer.period === "object" ? [{ first: at(DateTime.fromISO(layer.start, { zone }), layer.handOff).toMillis(), step: layer.period.hours * 3_600_000 }] : [],
  );
  let last = from;
  for (let d = 0; d <= days; d++) {
    const day = day0.plus({ days: d });
    const start = day.toMillis();
    const end = day0.plus({ days: d + 1 }).toMillis();
    const out = new Set<number>([start]);
    for (const layer of schedule.layers) {
      if (typeof layer.period !== "object") out.add(at(day, layer.handOff).toMillis());
      for (const w of layer.windows ?? []) {
        out.add(at(day, w.start).toMillis());
        out.add(at(day, w.end).toMillis());
      }
    }
    for (const { first, step } of hourly) {
      for (let t = first + Math.max(0, Math.ceil((Math.max(from, start) - first) / step)) * step; t <= end; t += step) out.add(t);
    }
    for (const t of [...out].sort((a, b) => a - b)) {
      if (t <= last || t > to) continue;
      last = t;
      yield t;
    }
  }
}

/**
 * The next instant after `at` when who is on call changes (on any platform), within `horizonDays`
 * (60 by default: a schedule that never changes in two months has no next hand-off worth showing).
 */
export function nextHandOff(schedule: Schedule, when: Date, holidays: readonly string[] = [], horizonDays = 60): Date | null {
  const from = when.getTime();
  const now = whoKey(schedule, from, holidays);
  for (const t of candidates(schedule, from, horizonDays)) {
    if (whoKey(schedule, t, holidays) !== now) return new Date(t);
  }
  return null;
}
