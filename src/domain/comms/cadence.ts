/**
 * The "next update at" promise (DESIGN §2, Communication): when the next stakeholder update is due,
 * whether an update kept the promise, and when the customer incident report falls due.
 */
import type { Policy } from "../policy.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Minutes between updates for a priority, or null when it has no cadence (P3 by default). */
export function cadenceMinutes(policy: Policy, priority: string): number | null {
  return policy.updateCadenceMinutes[priority] ?? null;
}

/**
 * The next promised update: `explicitMs` from now when the poster said when (`--next 45m`), else the
 * priority's cadence from now; null when neither applies.
 */
export function nextUpdateAt(policy: Policy, priority: string, now: Date, explicitMs?: number | null): Date | null {
  if (explicitMs) return new Date(now.getTime() + explicitMs);
  const every = cadenceMinutes(policy, priority);
  return every === null ? null : new Date(now.getTime() + every * MINUTE);
}

/** When the second reminder comes and a still-missing update is recorded as missed. */
export function missedAt(policy: Policy, due: Date): Date {
  return new Date(due.getTime() + policy.updateGraceMinutes * MINUTE);
}

/** An update is on time unless it comes after the promise's grace (when it was recorded missed). */
export function isOnTime(policy: Policy, promised: Date | null, at: Date): boolean {
  return promised === null || at.getTime() <= missedAt(policy, promised).getTime();
}

/** The customer incident report: the IM's reminder, then the deadline (interim notice if not sent). */
export function reportDeadlines(policy: Policy, resolvedAt: Date): { reminderAt: Date; dueAt: Date } {
  const t = resolvedAt.getTime();
  return { reminderAt: new Date(t + policy.customerReport.reminderHours * HOUR), dueAt: new Date(t + policy.customerReport.dueHours * HOUR) };
}
