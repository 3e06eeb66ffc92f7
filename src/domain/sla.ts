/**
 * SLA deadlines: respond-by and resolve-by per priority, counted on a 24×7 or a business-hours clock,
 * with the clock stopped while the incident is waiting on the customer or a vendor.
 */
import { addBusinessMs, businessMsBetween } from "./calendar.js";
import type { Policy, SlaTarget } from "./policy.js";

/** A period in `waiting` (to = null: still waiting). */
export interface Pause {
  from: Date;
  to: Date | null;
}

export interface SlaDeadlines {
  respondBy: Date | null;
  resolveBy: Date | null;
  /** True while a pause is open: the deadlines shown assume it ends now and move until it does. */
  paused: boolean;
}

interface Clock {
  between(a: number, b: number): number;
  add(a: number, ms: number): number;
}

function clockFor(policy: Policy, target: SlaTarget): Clock {
  if (target.clock === "24x7") return { between: (a, b) => Math.max(0, b - a), add: (a, ms) => a + ms };
  const cal = policy.businessHours;
  return {
    between: (a, b) => businessMsBetween(cal, new Date(a), new Date(b)),
    add: (a, ms) => addBusinessMs(cal, new Date(a), ms).getTime(),
  };
}

/** Pauses clipped to start, open ones closed at `now`, sorted and merged: [from, to) in ms. */
function mergedPauses(start: number, pauses: Pause[], now: number): [number, number][] {
  const spans = pauses
    .map((p): [number, number] => [Math.max(p.from.getTime(), start), Math.max(p.to ? p.to.getTime() : now, p.from.getTime())])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** The instant where `target` ms have been counted since start, skipping the paused spans. */
function deadline(clock: Clock, start: number, spans: [number, number][], target: number): number {
  let left = target;
  let from = start;
  for (const [a, b] of spans) {
    const available = clock.between(from, a);
    if (left <= available) return clock.add(from, left);
    left -= available;
    from = b;
  }
  return clock.add(from, left);
}

export function slaDeadlines(policy: Policy, priority: string, start: Date, pauses: Pause[], now: Date): SlaDeadlines {
  const paused = pauses.some((p) => p.to === null);
  const target = policy.sla[priority];
  if (!target) return { respondBy: null, resolveBy: null, paused };
  const clock = clockFor(policy, target);
  const spans = mergedPauses(start.getTime(), pauses, now.getTime());
  const at = (minutes: number) => new Date(deadline(clock, start.getTime(), spans, minutes * 60_000));
  return { respondBy: at(target.respondMinutes), resolveBy: at(target.resolveMinutes), paused };
}

export function slaElapsedMs(policy: Policy, priority: string, start: Date, pauses: Pause[], at: Date): number {
  const target = policy.sla[priority];
  if (!target) return 0;
  const clock = clockFor(policy, target);
  const s = start.getTime();
  const t = at.getTime();
  let paused = 0;
  for (const [a, b] of mergedPauses(s, pauses, t)) paused += clock.between(Math.min(a, t), Math.min(b, t));
  return Math.max(0, clock.between(s, t) - paused);
}
