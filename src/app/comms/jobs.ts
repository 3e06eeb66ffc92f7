/**
 * The communication timers. Each re-reads the incident under a row lock and does nothing when the
 * timer no longer applies (an update moved the promise, the incident was resolved or closed, the
 * report was sent): a timer claimed just as a resolve lands posts nothing.
 */
import { missedAt, nextUpdateAt } from "../../domain/comms/cadence.js";
import { interimNoticeView, reminderView, reportReminderView } from "../../domain/comms/messages.js";
import type { Incident } from "../../domain/incident.js";
import type { AppContext } from "../context.js";
import type { TimerJob, TimerJobHandler, UnitOfWork } from "../ports.js";
import { say, STAKEHOLDERS } from "./post.js";
import { armPromise, REPORT_DUE, REPORT_REMINDER, stillPromised, UPDATE_DUE, UPDATE_LATE } from "./promise.js";

type Step = (ctx: AppContext, uow: UnitOfWork, i: Incident, job: TimerJob, now: Date) => Promise<void>;

const imOf = (i: Incident) => i.roles.im ?? i.declaredBy;

const updateDue: Step = async (ctx, uow, i, job, now) => {
  if (!stillPromised(i, job.payload.dueAt)) return;
  const due = new Date(String(job.payload.dueAt));
  const message = reminderView(ctx.policy, i, due);
  await say(ctx, uow, i, { kind: "reminder", actor: "bot", text: message.headline, message, targets: ["warroom", { dm: imOf(i) }] }, now);
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "update.reminded", data: { dueAt: job.payload.dueAt, second: false } });
  const late = missedAt(ctx.policy, due);
  await uow.timers.schedule({ kind: UPDATE_LATE, key: `${UPDATE_LATE}:${i.id}:${due.toISOString()}`, incidentId: i.id, dueAt: late, payload: { dueAt: due.toISOString() } });
};

const updateLate: Step = async (ctx, uow, i, job, now) => {
  if (!stillPromised(i, job.payload.dueAt)) return;
  const due = new Date(String(job.payload.dueAt));
  const message = reminderView(ctx.policy, i, due, now);
  await say(ctx, uow, i, { kind: "reminder", actor: "bot", text: message.headline, message, targets: ["warroom", { dm: imOf(i) }] }, now);
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "update.reminded", data: { dueAt: job.payload.dueAt, second: true } });
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "update.missed", data: { dueAt: job.payload.dueAt } });
  // The cadence goes on: the next update is expected one period from now.
  await armPromise(uow, i, nextUpdateAt(ctx.policy, i.priority, now), now);
};

/** Still waiting for the customer report of this resolution? */
async function reportPending(uow: UnitOfWork, i: Incident, job: TimerJob): Promise<boolean> {
  if (i.status !== "resolved" || i.resolvedAt?.toISOString() !== job.payload.resolvedAt) return false;
  const events = await uow.incidents.events(i.id);
  return !events.some((e) => e.kind === "report.sent" && e.at.getTime() >= i.resolvedAt!.getTime());
}

const reportReminder: Step = async (ctx, uow, i, job, now) => {
  if (!(await reportPending(uow, i, job))) return;
  const message = reportReminderView(ctx.policy, i, new Date(String(job.payload.dueAt)));
  await say(ctx, uow, i, { kind: "reminder", actor: "bot", text: message.headline, message, targets: ["warroom", { dm: imOf(i) }] }, now);
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "report.reminded", data: { dueAt: job.payload.dueAt } });
};

const reportDue: Step = async (ctx, uow, i, job, now) => {
  if (!(await reportPending(uow, i, job))) return;
  const message = interimNoticeView(ctx.policy, i);
  await say(ctx, uow, i, { kind: "interim", actor: "bot", text: message.body ?? message.headline, message, targets: [STAKEHOLDERS, "warroom"], public: { kind: "interim", text: null } }, now);
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "report.interim_posted", data: {} });
};

function run(ctx: AppContext, step: Step): TimerJobHandler {
  return async (job) => {
    if (job.incidentId === null) return;
    await ctx.store.transaction(async (uow) => {
      const i = await uow.incidents.get(job.incidentId!, true);
      if (i && i.status !== "closed") await step(ctx, uow, i, job, ctx.clock.now());
    });
    ctx.waker.wake();
  };
}

export function commsJobs(ctx: AppContext): Record<string, TimerJobHandler> {
  return {
    [UPDATE_DUE]: run(ctx, updateDue),
    [UPDATE_LATE]: run(ctx, updateLate),
    [REPORT_REMINDER]: run(ctx, reportReminder),
    [REPORT_DUE]: run(ctx, reportDue),
  };
}
