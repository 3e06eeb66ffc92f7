/**
 * Overrides on top of a schedule, as pure rules: who is on call once overrides are applied, when that
 * next changes, and the shifts of a period (the calendar feed, cover requests).
 *
 * An override puts one person on call on one platform from `from` to `to` (end excluded), above every
 * layer; where two overlap the later one (higher id) wins. The pager, `/incident oncall`, the shift
 * notices and the calendar all read who is on call through `whoIsOnCall`, so an override counts
 * everywhere at once.
 */
import { nextHandOff, onCallAt, platformsOf, type OnCall, type Schedule } from "./schedule.js";

export interface Override {
  /** The number people remove it by (`/incident oncall override remove <n>`). */
  id: number;
  platform: string;
  userId: string;
  from: Date;
  to: Date;
}

export const OVERRIDE_LAYER = "override";

/** The override in force at `t` on `platform` (the latest wins), or null. */
export function overrideAt(overrides: readonly Override[], t: number, platform: string): Override | null {
  let hit: Override | null = null;
  for (const o of overrides) {
    if (o.platform === platform && o.from.getTime() <= t && t < o.to.getTime() && (!hit || o.id > hit.id)) hit = o;
  }
  return hit;
}

/** Who is on call at `when` on `platform`, overrides applied. */
export function whoIsOnCall(schedule: Schedule, overrides: readonly Override[], when: Date, platform: string, holidays: readonly string[] = []): OnCall | null {
  const o = overrideAt(overrides, when.getTime(), platform);
  return o ? { layer: OVERRIDE_LAYER, people: [o.userId] } : onCallAt(schedule, when, platform, holidays);
}

const key = (o: OnCall | null): string => (o ? `${o.layer}:${o.people.join(",")}` : "");

/** Every platform the schedule or its overrides name people on. */
export function platformsWith(schedule: Schedule, overrides: readonly Override[]): string[] {
  return [...new Set([...platformsOf(schedule), ...overrides.map((o) => o.platform)])];
}

/**
 * The next instant after `when` when who is on call changes (on `platform`, or on any), overrides
 * applied, within `horizonDays`. The schedule's own changes and every override edge are the only
 * instants where the answer can change.
 */
export function nextChange(schedule: Schedule, overrides: readonly Override[], when: Date, holidays: readonly string[] = [], platform?: string, horizonDays = 60): Date | null {
  const platforms = platform ? [platform] : platformsWith(schedule, overrides);
  const who = (t: number) => platforms.map((p) => key(whoIsOnCall(schedule, overrides, new Date(t), p, holidays))).join("|");
  const from = when.getTime();
  const limit = from + horizonDays * 86_400_000;
  const now = who(from);
  const edges = overrides.flatMap((o) => [o.from.getTime(), o.to.getTime()]).filter((t) => t > from && t <= limit);
  let t = from;
  for (;;) {
    const base = nextHandOff(schedule, new Date(t), holidays, Math.max(1, Math.ceil((limit - t) / 86_400_000)));
    const baseT = base && base.getTime() <= limit ? base.getTime() : Infinity;
    const edge = Math.min(baseT, ...edges.filter((e) => e > t));
    if (edge === Infinity) return null;
    if (who(edge) !== now) return new Date(edge);
    t = edge;
  }
}

export interface Shift {
  start: Date;
  end: Date;
  layer: string;
  people: string[];
}

/**
 * The shifts on `platform` between `from` and `to` (each cut to the period), overrides applied; gaps
 * with nobody on call are left out. A shift is a stretch with the same person and layer.
 */
export function shiftsBetween(schedule: Schedule, overrides: readonly Override[], from: Date, to: Date, platform: string, holidays: readonly string[] = []): Shift[] {
  const out: Shift[] = [];
  const horizon = Math.ceil((to.getTime() - from.getTime()) / 86_400_000) + 1;
  let t = from;
  while (t < to) {
    const who = whoIsOnCall(schedule, overrides, t, platform, holidays);
    const next = nextChange(schedule, overrides, t, holidays, platform, horizon);
    const end = next && next < to ? next : to;
    if (who) out.push({ start: t, end, layer: who.layer, people: who.people });
    t = end;
  }
  return out;
}

/** The stretches in [from, to) when `userId` is on call on `platform` (what a cover request covers). */
export function shiftsOf(schedule: Schedule, overrides: readonly Override[], userId: string, from: Date, to: Date, platform: string, holidays: readonly string[] = []): Shift[] {
  return shiftsBetween(schedule, overrides, from, to, platform, holidays).filter((s) => s.people.includes(userId));
}

/** Whether `userId` takes part in the schedule on `platform` (is in one of its layers). */
export function isParticipant(schedule: Schedule, platform: string, userId: string): boolean {
  return schedule.layers.some((l) => (l.participants[platform] ?? []).includes(userId));
}
