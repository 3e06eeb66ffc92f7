/**
 * Overrides and cover requests, as use cases. Who may: as the `oncall override` / `oncall cover`
 * permission says (app/access.ts), the schedule being the party — by default (`responder`) the people
 * of its layers on the platform asked from. Each change re-arms the schedule's shift-notice timer;
 * an override (or a cover) in force at once sends the notices of a hand-off now (shift-notices.ts).
 */
import { isParticipant, shiftsOf, type Shift } from "../../domain/oncall/overrides.js";
import { coveredView, coverRequestView, type CoverRequestFacts } from "../../domain/oncall/views.js";
import { formatTime } from "../../domain/views.js";
import { refusal, RefusalError, type RefusalCode } from "../../domain/refusal.js";
import { approversList, ensureAllowed, type Party } from "../access.js";
import { claimRequest, inTransaction, type AppContext, type Invocation } from "../context.js";
import type { CoverRequest, StoredOverride, TimerJob, UnitOfWork } from "../ports.js";
import { armHandOff, noticeOverrideInForce } from "./shift-notices.js";

/** Timers of this kind are no longer armed (the edit is an outbox row); ones left from before are handled. */
export const COVER_UPDATE = "oncall.cover_update";

const refuse = (code: RefusalCode, message: string): never => {
  throw new RefusalError(refusal(code, message, {}));
};

/** A schedule as the permission rule sees it: its people (of the platform asked from) are its responders and managers. */
function scheduleParty(ctx: AppContext, platform: string, name: string): Party {
  const schedule = ctx.policy.schedules[name]!;
  const member = (userId: string) => isParticipant(schedule, platform, userId);
  return {
    isResponder: member,
    isManager: member,
    refusal: (rule, a) => {
      if (rule !== "approver") return refusal("E_NOT_RESPONDER", `Only the people of the ${name} schedule can ${a.does}; ask one of them.`, {});
      const who = approversList(a);
      return who
        ? refusal("E_NOT_APPROVER", `On the ${name} schedule, only the approvers (${who}) can ${a.does}; ask one of them.`, {})
        : refusal("E_NOT_APPROVER", `On the ${name} schedule, only the approvers can ${a.does}, and none is configured for this platform: set rca.approvers in the policy file.`, {});
    },
  };
}

const mayWork = (ctx: AppContext, inv: Invocation, name: string): Promise<void> => ensureAllowed(inv, scheduleParty(ctx, inv.platform, name));

export interface OverrideInput {
  schedule: string;
  user: string;
  from: Date;
  to: Date;
}

export async function addOverride(ctx: AppContext, inv: Invocation, o: OverrideInput): Promise<StoredOverride> {
  await mayWork(ctx, inv, o.schedule);
  const now = ctx.clock.now();
  const tz = ctx.policy.schedules[o.schedule]!.timezone;
  if (o.to.getTime() <= o.from.getTime()) refuse("E_BAD_ARGUMENT", "--to must be after --from.");
  if (o.to.getTime() <= now.getTime()) refuse("E_BAD_ARGUMENT", `--to (${formatTime(o.to, tz)}) has passed already; give a time to come.`);
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    await uow.oncall.lockSchedule(o.schedule);
    // In force already: who was on call before it, for the notices of the change (shift-notices.ts).
    const before = o.from.getTime() <= now.getTime() ? await uow.oncall.overrides(now, o.schedule) : null;
    const stored = await uow.oncall.addOverride({ schedule: o.schedule, platform: inv.platform, userId: o.user, from: o.from, to: o.to, createdBy: inv.userId }, now);
    if (before) await noticeOverrideInForce(ctx, uow, o.schedule, before, `override:${stored.id}`, now);
    await armHandOff(ctx, uow, o.schedule, now);
    return stored;
  });
}

export async function removeOverride(ctx: AppContext, inv: Invocation, n: number): Promise<StoredOverride> {
  return inTransaction(ctx, async (uow) => {
    const o = await uow.oncall.override(n);
    if (!o || !ctx.policy.schedules[o.schedule]) return refuse("E_BAD_ARGUMENT", `There is no override #${n}; /incident oncall <schedule> lists them.`);
    await mayWork(ctx, inv, o.schedule);
    await claimRequest(ctx, uow, inv);
    await uow.oncall.lockSchedule(o.schedule);
    const now = ctx.clock.now();
    // In force: its removal hands the shift back at once, and the people are told as at a hand-off.
    const before = o.from.getTime() <= now.getTime() && now.getTime() < o.to.getTime() ? await uow.oncall.overrides(now, o.schedule) : null;
    await uow.oncall.removeOverride(n, inv.userId, now);
    if (before) await noticeOverrideInForce(ctx, uow, o.schedule, before, `override-removed:${n}`, now);
    await armHandOff(ctx, uow, o.schedule, now);
    return o;
  });
}

const facts = (ctx: AppContext, r: CoverRequest): CoverRequestFacts => ({ id: r.id, schedule: r.schedule, askedBy: r.askedBy, until: r.until, timezone: ctx.policy.schedules[r.schedule]?.timezone ?? "UTC" });

/** The asker's stretches on call between now and `until`, overrides applied. */
async function askerShifts(ctx: AppContext, uow: UnitOfWork, schedule: string, platform: string, user: string, from: Date, until: Date): Promise<Shift[]> {
  const overrides = await uow.oncall.overrides(from, schedule);
  return shiftsOf(ctx.policy.schedules[schedule]!, overrides, user, from, until, platform, ctx.policy.businessHours.holidays);
}

/** Posts a request for cover in the channel it was asked from, with an Accept button. */
export async function askCover(ctx: AppContext, inv: Invocation, schedule: string, until: Date): Promise<{ request: CoverRequest; shifts: Shift[] }> {
  await mayWork(ctx, inv, schedule);
  const now = ctx.clock.now();
  const tz = ctx.policy.schedules[schedule]!.timezone;
  if (until.getTime() <= now.getTime()) refuse("E_BAD_ARGUMENT", `--until (${formatTime(until, tz)}) has passed already; give a time to come.`);
  return inTransaction(ctx, async (uow) => {
    const shifts = await askerShifts(ctx, uow, schedule, inv.platform, inv.userId, now, until);
    if (shifts.length === 0) refuse("E_BAD_ARGUMENT", `You are not on call on ${schedule} before ${formatTime(until, tz)}; there is nothing to cover.`);
    await claimRequest(ctx, uow, inv);
    const key = `oncall.cover:${inv.platform}:${inv.requestKey ?? `${inv.userId}:${now.toISOString()}`}`;
    const request = await uow.oncall.addCoverRequest({ schedule, platform: inv.platform, channelId: inv.channelId, askedBy: inv.userId, until, messageKey: key }, now);
    // `awaited`: the edit that says who covers waits for this post's message id (src/app/jobs/deliver.ts).
    await uow.outbox.enqueue({ key, incidentId: null, platform: inv.platform, target: inv.channelId, action: "post", message: coverRequestView(facts(ctx, request)), awaited: true }, now);
    return { request, shifts };
  });
}

/**
 * The Accept button: the first person to press it covers the asker's remaining shifts up to the
 * request's end (one override per stretch); the request's message then says who covers. A later
 * press is told, politely, who was first.
 */
export async function acceptCover(ctx: AppContext, inv: Invocation, n: number): Promise<{ request: CoverRequest; overrides: StoredOverride[] }> {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (uow) => {
    const request = await uow.oncall.coverRequest(n, true);
    if (!request || request.platform !== inv.platform || !ctx.policy.schedules[request.schedule]) return refuse("E_BAD_ARGUMENT", `There is no cover request #${n}.`);
    if (request.acceptedBy) return refuse("E_NO_CHANGE", `Thank you, but @${request.acceptedBy} already covers @${request.askedBy} on ${request.schedule}.`);
    if (request.askedBy === inv.userId) return refuse("E_BAD_ARGUMENT", "You asked for this cover; someone else accepts it.");
    await mayWork(ctx, inv, request.schedule);
    const shifts = await askerShifts(ctx, uow, request.schedule, request.platform, request.askedBy, now, request.until);
    if (shifts.length === 0) return refuse("E_BAD_ARGUMENT", `Thank you, but @${request.askedBy} has no shift left to cover on ${request.schedule} before ${formatTime(request.until, facts(ctx, request).timezone)}.`);
    await claimRequest(ctx, uow, inv);
    await uow.oncall.lockSchedule(request.schedule);
    await uow.oncall.acceptCover(n, inv.userId, now);
    // The asker on call now: the cover takes over at once, and the hand-off is told now (shift-notices.ts).
    const before = shifts[0]!.start.getTime() <= now.getTime() ? await uow.oncall.overrides(now, request.schedule) : null;
    const overrides: StoredOverride[] = [];
    for (const s of shifts) {
      overrides.push(await uow.oncall.addOverride({ schedule: request.schedule, platform: request.platform, userId: inv.userId, from: s.start, to: s.end, createdBy: inv.userId, coverRequestId: n }, now));
    }
    await enqueueCoveredEdit(ctx, uow, request, inv.userId, shifts, now);
    if (before) await noticeOverrideInForce(ctx, uow, request.schedule, before, `override:${overrides[0]!.id}`, now);
    await armHandOff(ctx, uow, request.schedule, now);
    return { request: { ...request, acceptedBy: inv.userId, acceptedAt: now }, overrides };
  });
}

/**
 * The edit of the request's message to say who covers: an outbox row keyed by the request (accepted
 * once, so edited once, whichever replica or retry), delivered after the request's post (see `edit`
 * in src/app/jobs/deliver.ts).
 */
async function enqueueCoveredEdit(ctx: AppContext, uow: UnitOfWork, request: CoverRequest, by: string, shifts: { start: Date; end: Date }[], now: Date): Promise<void> {
  const message = coveredView(facts(ctx, request), by, shifts);
  await uow.outbox.enqueue({ key: `${request.messageKey}:covered`, incidentId: null, platform: request.platform, target: request.channelId, action: "edit", edits: request.messageKey, message }, now);
}

/** A `oncall.cover_update` timer armed before the edit was an outbox row: queues that row instead. */
export async function updateCoverMessage(ctx: AppContext, job: TimerJob): Promise<void> {
  const n = Number(job.payload.request);
  const shifts = ((job.payload.shifts as { start: string; end: string }[]) ?? []).map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
  await inTransaction(ctx, async (uow) => {
    const request = await uow.oncall.coverRequest(n);
    if (request?.acceptedBy) await enqueueCoveredEdit(ctx, uow, request, request.acceptedBy, shifts, ctx.clock.now());
  });
}
