/**
 * The escalation ladder as pure rules: which ladder is in force at an instant (the business-hours
 * calendar), which level a step of the ladder pages, its acknowledgement timeout for a priority, and
 * the bound on repeating the top level. Steps count pages: step 0 pages level 1, step n pages level
 * n+1, and steps past the top page the top level again ("repeat" 1, 2, …) up to `repeatTopLevel`.
 */
import { isBusinessTime } from "../calendar.js";
import { whoIsOnCall, type Override } from "../oncall/overrides.js";
import type { EscalationLevel, LadderId, Policy } from "../policy.js";

/** The ladder's name on the timeline (`page.sent` data.ladder). */
export type LadderLabel = "business" | "offhours";

export const LADDER_LABEL: Record<LadderId, LadderLabel> = { businessHours: "business", offHours: "offhours" };

export function ladderAt(policy: Policy, at: Date): LadderId {
  return isBusinessTime(policy.businessHours, at) ? "businessHours" : "offHours";
}

export interface LadderStep {
  ladder: LadderId;
  /** 0-based index in the ladder; shown to people as level index + 1. */
  index: number;
  level: EscalationLevel;
  /** 0 for the first page of a level; 1, 2, … for the top level paged again. */
  repeat: number;
  /** True when this is the top level's last allowed page: no timer follows it. */
  last: boolean;
}

/** The page of step `step` in the ladder in force at `at`, or null once the repeat bound is passed. */
export function stepAt(policy: Policy, step: number, at: Date): LadderStep | null {
  const ladder = ladderAt(policy, at);
  const levels = policy.escalation[ladder];
  const top = levels.length - 1;
  const maxStep = top + policy.escalation.repeatTopLevel;
  if (step < 0 || step > maxStep) return null;
  const index = Math.min(step, top);
  return { ladder, index, level: levels[index]!, repeat: Math.max(0, step - top), last: step === maxStep };
}

/** Minutes to wait for an acknowledgement after paging `level` of `ladder` for an incident of `priority`. */
export function ackTimeoutMinutes(policy: Policy, ladder: LadderId, level: EscalationLevel, priority: string): number {
  return policy.escalation.priorityTimeouts[priority]?.[ladder] ?? level.ackTimeoutMinutes;
}

export function ackDeadline(policy: Policy, s: LadderStep, priority: string, pagedAt: Date): Date {
  return new Date(pagedAt.getTime() + ackTimeoutMinutes(policy, s.ladder, s.level, priority) * 60_000);
}

/** The management level of the ladder in force (managerial escalation); the top level if none is named so. */
export function managementStep(policy: Policy, at: Date): LadderStep {
  const ladder = ladderAt(policy, at);
  const levels = policy.escalation[ladder];
  const wanted = policy.escalation.managementLevel.toLowerCase();
  const found = levels.findIndex((l) => l.name.toLowerCase() === wanted);
  const index = found >= 0 ? found : levels.length - 1;
  return { ladder, index, level: levels[index]!, repeat: 0, last: true };
}

/** "level 2 — engineering (off-hours)" */
export function levelText(s: Pick<LadderStep, "ladder" | "index" | "level">): string {
  return `level ${s.index + 1} — ${s.level.name} (${s.ladder === "businessHours" ? "business hours" : "off-hours"})`;
}

/**
 * The chat ids a page of `level` reaches on `platform` at `at`: its fixed targets, then whoever is on
 * call at that moment on each schedule it names (`targets.schedule`), its overrides (by schedule
 * name) applied, without repeats.
 */
export function levelTargets(policy: Policy, level: EscalationLevel, platform: string, at: Date, overrides: Readonly<Record<string, readonly Override[]>> = {}): string[] {
  const ids = [...(level.targets[platform] ?? [])];
  for (const name of level.targets["schedule"] ?? []) {
    const schedule = policy.schedules[name];
    if (schedule) ids.push(...(whoIsOnCall(schedule, overrides[name] ?? [], at, platform, policy.businessHours.holidays)?.people ?? []));
  }
  return [...new Set(ids)];
}
