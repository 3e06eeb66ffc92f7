/**
 * Shift notices: at each hand-off of a schedule the person coming on gets a direct message, and the
 * person going off a short note of the open incidents they were paged for — both outbox rows.
 *
 * One durable timer per schedule, for its next hand-off (overrides applied), keyed by schedule and
 * instant (`oncall.handoff:desk:2026-11-30T08:00:00.000Z`): replicas computing the same next hand-off
 * schedule the same key, which keeps one row. The timer re-arms itself for the hand-off after; an
 * override added or removed re-computes it (the old pending row is cancelled). A hand-off missed while
 * no replica ran is not announced late: the next one is armed from now.
 *
 * An override added (or a cover accepted) that is in force already changes who is on call with no
 * hand-off ahead to tell it: the same notices go out at once, from now, keyed by the first override
 * added (`oncall.handoff:desk:override:7:…`) so they go once. One that starts later is told by its
 * hand-off, as any.
 */
import { nextChange, platformsWith, whoIsOnCall, type Override } from "../../domain/oncall/overrides.js";
import { shiftEndView, shiftStartView } from "../../domain/oncall/views.js";
import type { AppContext } from "../context.js";
import type { TimerJob, UnitOfWork } from "../ports.js";

export const SHIFT_HANDOFF = "oncall.handoff";

const prefix = (schedule: string) => `${SHIFT_HANDOFF}:${schedule}:`;

/** Schedules the timer of the schedule's next hand-off after `now`, and cancels any other pending one. */
export async function armHandOff(ctx: AppContext, uow: UnitOfWork, name: string, now: Date): Promise<Date | null> {
  const schedule = ctx.policy.schedules[name];
  if (!schedule) return null;
  const overrides = await uow.oncall.overrides(now, name);
  const next = nextChange(schedule, overrides, now, ctx.policy.businessHours.holidays);
  const key = next ? `${prefix(name)}${next.toISOString()}` : undefined;
  await uow.timers.cancelKeys(prefix(name), key);
  // `replace`: a key cancelled earlier (an override moved the hand-off, then was removed) is armed again.
  if (next) await uow.timers.schedule({ kind: SHIFT_HANDOFF, key: key!, dueAt: next, payload: { schedule: name, at: next.toISOString() }, replace: true });
  return next;
}

/** At start-up: every schedule has its next hand-off armed (idempotent across replicas). */
export async function ensureShiftNotices(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    for (const name of Object.keys(ctx.policy.schedules)) await armHandOff(ctx, uow, name, now);
  });
  ctx.waker.wake();
}

export async function onHandOff(ctx: AppContext, job: TimerJob): Promise<void> {
  const name = String(job.payload.schedule);
  if (!ctx.policy.schedules[name]) return; // the schedule left the policy
  const at = new Date(String(job.payload.at));
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    // A hand-off that passed more than an hour ago (no replica ran then) is not announced late.
    if (now.getTime() - at.getTime() <= 3_600_000) {
      const overrides = await uow.oncall.overrides(new Date(at.getTime() - 1), name);
      await enqueueNotices(ctx, uow, name, { at, was: { overrides, at: new Date(at.getTime() - 1) }, is: overrides, base: `${prefix(name)}${at.toISOString()}` }, now);
    }
    await armHandOff(ctx, uow, name, now.getTime() > at.getTime() ? now : at);
  });
  ctx.waker.wake();
}

/**
 * After a change of `name`'s overrides in force (`change`: "override:<first added>" or
 * "override-removed:<n>", which keys its notices): if who is on call now differs from what `before`
 * (the overrides read before the change) said, the notices of a hand-off now, once.
 */
export async function noticeOverrideInForce(ctx: AppContext, uow: UnitOfWork, name: string, before: readonly Override[], change: string, now: Date): Promise<void> {
  const after = await uow.oncall.overrides(now, name);
  await enqueueNotices(ctx, uow, name, { at: now, was: { overrides: before, at: now }, is: after, base: `${prefix(name)}${change}` }, now);
}

interface Change {
  /** When the change happens: the shift start and end the notices say. */
  at: Date;
  /** Who was on call: the overrides applied, at which instant. */
  was: { overrides: readonly Override[]; at: Date };
  /** The overrides that say who is on call at `at`. */
  is: readonly Override[];
  /** The notices' key prefix; `:<platform>:in|out:<user>` is added. */
  base: string;
}

/** The direct messages of one change of who is on call, on each platform where it changed and a chat runs. */
async function enqueueNotices(ctx: AppContext, uow: UnitOfWork, name: string, c: Change, now: Date): Promise<void> {
  const schedule = ctx.policy.schedules[name]!;
  const holidays = ctx.policy.businessHours.holidays;
  for (const platform of platformsWith(schedule, [...c.was.overrides, ...c.is])) {
    if (!ctx.chats[platform]) continue;
    const was = whoIsOnCall(schedule, c.was.overrides, c.was.at, platform, holidays);
    const is = whoIsOnCall(schedule, c.is, c.at, platform, holidays);
    const incoming = (is?.people ?? []).filter((p) => !was?.people.includes(p));
    const outgoing = (was?.people ?? []).filter((p) => !is?.people.includes(p));
    const until = incoming.length ? nextChange(schedule, c.is, c.at, holidays, platform) : null;
    const base = `${c.base}:${platform}`;
    for (const user of incoming) {
      const message = shiftStartView(name, is!.layer, c.at, until, schedule.timezone);
      await uow.outbox.enqueue({ key: `${base}:in:${user}`, incidentId: null, platform, target: user, action: "dm", message }, now);
    }
    for (const user of outgoing) {
      const open = await uow.oncall.pagedOpenIncidents(platform, user);
      const message = shiftEndView(name, c.at, is?.people ?? [], open, schedule.timezone);
      await uow.outbox.enqueue({ key: `${base}:out:${user}`, incidentId: null, platform, target: user, action: "dm", message }, now);
    }
  }
}
