/** The shifts a calendar feed publishes: the next weeks of one schedule on one platform, overrides applied. */
import { DateTime } from "luxon";
import { platformsWith, shiftsBetween, type Shift } from "../../domain/oncall/overrides.js";
import type { AppContext } from "../context.js";

export const CALENDAR_WEEKS = 8;

export interface ScheduleShifts {
  schedule: string;
  timezone: string;
  platform: string;
  /** When the feed was made (DTSTAMP). */
  at: Date;
  shifts: Shift[];
}

/**
 * The shifts of `name` that end after the start of today (schedule time), for `weeks` weeks, or null
 * for an unknown schedule. The first shift keeps its real start (they are read from a week earlier),
 * so each shift's start — its UID's anchor — is the same from one day's feed to the next; only the
 * last is cut, at the end of the period. `platform` picks whose ids are shown; by default the schedule's first platform.
 */
export async function scheduleShifts(ctx: AppContext, name: string, platform?: string, weeks = CALENDAR_WEEKS): Promise<ScheduleShifts | null> {
  const schedule = Object.hasOwn(ctx.policy.schedules, name) ? ctx.policy.schedules[name]! : undefined;
  if (!schedule) return null;
  const now = ctx.clock.now();
  // From midnight today in the schedule's zone: today's earlier shifts stay visible.
  const from = DateTime.fromJSDate(now, { zone: schedule.timezone }).startOf("day").toJSDate();
  const to = new Date(now.getTime() + weeks * 7 * 86_400_000);
  const lookBack = new Date(from.getTime() - 7 * 86_400_000);
  const overrides = await ctx.store.transaction((uow) => uow.oncall.overrides(lookBack, name));
  const chosen = platform ?? platformsWith(schedule, overrides)[0] ?? "console";
  const shifts = shiftsBetween(schedule, overrides, lookBack, to, chosen, ctx.policy.businessHours.holidays).filter((s) => s.end > from);
  return { schedule: name, timezone: schedule.timezone, platform: chosen, at: now, shifts };
}
