/**
 * Managerial escalation: `/incident escalate <reason>` by hand, and automatically when resolve-by is
 * breached. Both page the management level of the ladder in force and record `escalated`
 * {type: "managerial"}. The breach timer is re-armed whenever the deadlines may have moved.
 */
import { randomUUID } from "node:crypto";
import { isWaiting } from "../../domain/lifecycle.js";
import { managementStep, type LadderStep } from "../../domain/escalation/ladder.js";
import type { Incident } from "../../domain/incident.js";
import { refusal, RefusalError } from "../../domain/refusal.js";
import { formatTime } from "../../domain/views.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import type { TimerJob, UnitOfWork } from "../ports.js";
import { RESOLVE_BY_BREACH } from "./kinds.js";
import { sendPage } from "./send-page.js";

async function escalateTo(ctx: AppContext, uow: UnitOfWork, i: Incident, now: Date, base: string, reason: string, actor: string, auto: boolean): Promise<LadderStep | null> {
  const step = managementStep(ctx.policy, now);
  const fresh = await sendPage(ctx, uow, i, now, { step, kind: "managerial", reason, base, actor });
  if (!fresh) return null;
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor, kind: "escalated", data: { type: "managerial", level: step.index + 1, reason, auto } });
  return step;
}

export interface Escalated {
  incident: Incident;
  step: LadderStep;
}

export async function escalate(ctx: AppContext, inv: Invocation, reason: string, reference?: string): Promise<Escalated> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    if (i.status === "resolved") {
      throw new RefusalError(
        refusal("E_TRANSITION_NOT_ALLOWED", `${i.reference} is resolved: there is nothing to escalate. If it is not fixed, run /incident reopen <reason> first.`, { reference: i.reference }),
      );
    }
    const now = ctx.clock.now();
    const step = await escalateTo(ctx, uow, i, now, `page:${i.id}:manual:${now.getTime()}:${randomUUID().slice(0, 8)}`, reason, inv.userId, false);
    return { incident: i, step: step! };
  });
}

/** (Re-)arms the resolve-by breach timer for the incident's current deadline; none while waiting or done. */
export async function armResolveBy(uow: UnitOfWork, i: Incident, now: Date): Promise<void> {
  await uow.timers.cancel(i.id, [RESOLVE_BY_BREACH]);
  if (i.status === "resolved" || i.status === "closed" || isWaiting(i.status) || !i.resolveBy) return;
  if (i.resolveBy.getTime() <= now.getTime()) return; // already breached: escalated then, not again
  await uow.timers.schedule({
    kind: RESOLVE_BY_BREACH,
    key: `resolve-by:${i.id}:${i.resolveBy.getTime()}:${randomUUID().slice(0, 8)}`,
    incidentId: i.id,
    dueAt: i.resolveBy,
  });
}

export async function onResolveByBreach(ctx: AppContext, job: TimerJob): Promise<void> {
  await inTransaction(ctx, async (uow) => {
    const i = await uow.incidents.get(job.incidentId!, true);
    if (!i || i.status === "resolved" || i.status === "closed" || isWaiting(i.status) || !i.resolveBy) return;
    const now = ctx.clock.now();
    if (i.resolveBy.getTime() > now.getTime()) return armResolveBy(uow, i, now); // the deadline moved
    const due = formatTime(i.resolveBy, ctx.policy.businessHours.timezone);
    await escalateTo(ctx, uow, i, now, `page:${i.id}:breach:${i.resolveBy.getTime()}`, `resolve-by breached (was due ${due})`, "bot", true);
  });
}
