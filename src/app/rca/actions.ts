/** Corrective and preventive actions: `/incident action add | done <n> | list`. */
import type { Incident } from "../../domain/incident.js";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import type { RcaAction } from "../../domain/rca/types.js";
import { checkDueDate } from "../../domain/rca/time.js";
import { refusal, RefusalError, unwrap } from "../../domain/refusal.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";

export interface AddActionInput {
  text: string;
  owner: string;
  due: string;
  incident?: string | undefined;
}

export async function addAction(ctx: AppContext, inv: Invocation, input: AddActionInput): Promise<{ incident: Incident; action: RcaAction }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    const now = ctx.clock.now();
    const due = unwrap(checkDueDate(input.due, now, ctx.policy.businessHours.timezone));
    const action = await uow.rca.addAction(i.id, { text: input.text, owner: input.owner, due, createdBy: inv.userId }, now);
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: inv.userId,
      kind: RCA_EVENTS.actionAdded,
      data: { n: action.n, text: action.text, owner: action.owner, due: action.due },
    });
    return { incident: i, action };
  });
}

export async function completeAction(ctx: AppContext, inv: Invocation, n: number, reference?: string): Promise<{ incident: Incident; action: RcaAction }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    const actions = await uow.rca.actions(i.id);
    const action = actions.find((a) => a.n === n);
    if (!action) {
      const known = actions.length ? `its actions are ${actions.map((a) => a.n).join(", ")}` : "it has no actions yet";
      throw new RefusalError(refusal("E_ACTION_NOT_FOUND", `${i.reference} has no action ${n}; ${known} (/incident action list).`, { reference: i.reference, n }));
    }
    if (action.doneAt) {
      throw new RefusalError(refusal("E_NO_CHANGE", `Action ${n} of ${i.reference} is already done (by @${action.doneBy}).`, { reference: i.reference, n }));
    }
    const now = ctx.clock.now();
    await uow.rca.completeAction(i.id, n, inv.userId, now);
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: RCA_EVENTS.actionDone, data: { n } });
    return { incident: i, action: { ...action, doneAt: now, doneBy: inv.userId } };
  });
}

export async function listActions(ctx: AppContext, inv: Invocation, reference?: string): Promise<{ incident: Incident; actions: RcaAction[] }> {
  return ctx.store.transaction(async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    return { incident, actions: await uow.rca.actions(incident.id) };
  });
}
