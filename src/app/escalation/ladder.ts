/**
 * The technical ladder of one incident: level 1 when it becomes a P1/P2, then one durable
 * `escalation.ack_timeout` timer per rung. A fired timer re-reads the incident under its row lock and
 * pages nobody once it is acknowledged, resolved, closed or no longer P1/P2.
 */
import { isCommunicating } from "../../domain/classification.js";
import { ackDeadline, stepAt } from "../../domain/escalation/ladder.js";
import type { Incident } from "../../domain/incident.js";
import { inTransaction, type AppContext } from "../context.js";
import type { TimerJob, UnitOfWork } from "../ports.js";
import { ACK_TIMEOUT } from "./kinds.js";
import { sendPage } from "./send-page.js";
import { ladderPolicy } from "../alerts/route.js";

/** Whether the ladder should still climb for this incident. */
export function laddering(ctx: AppContext, i: Incident): boolean {
  return i.status !== "resolved" && i.status !== "closed" && !i.acknowledgedAt && isCommunicating(ctx.policy.matrix, i.priority);
}

/** Pages step `step` of ladder run `cycle` and arms the timeout of the next one. */
async function pageStep(ctx: AppContext, uow: UnitOfWork, i: Incident, now: Date, cycle: number, step: number): Promise<void> {
  const s = stepAt(await ladderPolicy(ctx, uow, i), step, now);
  if (!s) return;
  const fresh = await sendPage(ctx, uow, i, now, { step: s, kind: "technical", reason: null, base: `page:${i.id}:${cycle}:${step}`, final: s.last && s.repeat > 0 });
  if (!fresh) return;
  if (step > 0 && s.repeat === 0) {
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "escalated", data: { type: "technical", level: s.index + 1, reason: null, auto: true } });
  }
  if (s.last) return;
  await uow.timers.schedule({
    kind: ACK_TIMEOUT,
    key: `ack-timeout:${i.id}:${cycle}:${step + 1}`,
    incidentId: i.id,
    dueAt: ackDeadline(ctx.policy, s, i.priority, now),
    payload: { cycle, step: step + 1 },
  });
}

/** Level 1 of the ladder in force now; a new run (cycle) each time an incident starts paging. */
export async function startLadder(ctx: AppContext, uow: UnitOfWork, i: Incident, now: Date): Promise<void> {
  if (laddering(ctx, i)) await pageStep(ctx, uow, i, now, now.getTime(), 0);
}

export async function onAckTimeout(ctx: AppContext, job: TimerJob): Promise<void> {
  await inTransaction(ctx, async (uow) => {
    const i = await uow.incidents.get(job.incidentId!, true);
    if (!i || !laddering(ctx, i)) return; // acknowledged, resolved or closed meanwhile: page nobody
    await pageStep(ctx, uow, i, ctx.clock.now(), Number(job.payload.cycle), Number(job.payload.step));
  });
}
