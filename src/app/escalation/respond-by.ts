/**
 * Respond-by, said out loud: when it passes with nobody acknowledging, the war room (the incident's
 * channel for a P3) is told; an incident raised to a priority whose respond-by is already past is
 * told so at once. Acknowledging cancels the timer.
 */
import type { Incident } from "../../domain/incident.js";
import { noticeView, formatTime } from "../../domain/views.js";
import { inTransaction, type AppContext } from "../context.js";
import type { TimerJob, UnitOfWork } from "../ports.js";
import { noticeTarget } from "../warroom.js";
import { RESPOND_BY_MISSED } from "./kinds.js";

function missed(ctx: AppContext, i: Incident, late: boolean): Parameters<UnitOfWork["outbox"]["enqueue"]>[0] {
  const due = formatTime(i.respondBy!, ctx.policy.businessHours.timezone);
  const text = late
    ? `${i.reference}: its respond-by (${due}) had already passed when it became ${i.priority}; acknowledge now with /incident ack.`
    : `${i.reference}: nobody acknowledged it by its respond-by (${due}); paging goes on. Acknowledge with /incident ack.`;
  return { key: `respond-by:${i.id}:${i.respondBy!.getTime()}`, incidentId: i.id, platform: i.platform, target: noticeTarget(ctx.policy, i), action: "post", message: noticeView(i, text) };
}

/** Arms the respond-by timer (or says at once that it has passed). */
export async function armRespondBy(ctx: AppContext, uow: UnitOfWork, i: Incident, now: Date): Promise<void> {
  await uow.timers.cancel(i.id, [RESPOND_BY_MISSED]);
  if (i.acknowledgedAt || !i.respondBy || i.status === "resolved" || i.status === "closed") return;
  if (i.respondBy.getTime() <= now.getTime()) {
    await uow.outbox.enqueue(missed(ctx, i, true), now);
    return;
  }
  await uow.timers.schedule({ kind: RESPOND_BY_MISSED, key: `respond-by:${i.id}:${i.respondBy.getTime()}`, incidentId: i.id, dueAt: i.respondBy });
}

export async function onRespondByMissed(ctx: AppContext, job: TimerJob): Promise<void> {
  await inTransaction(ctx, async (uow) => {
    const i = await uow.incidents.get(job.incidentId!, true);
    if (!i || i.acknowledgedAt || !i.respondBy || i.status === "resolved" || i.status === "closed") return;
    const now = ctx.clock.now();
    if (i.respondBy.getTime() > now.getTime()) return armRespondBy(ctx, uow, i, now); // the deadline moved
    await uow.outbox.enqueue(missed(ctx, i, false), now);
  });
}
