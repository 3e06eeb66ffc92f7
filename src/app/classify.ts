/** Reclassify: re-derive the priority, recompute the SLA deadlines; raising to P1/P2 opens the war room. */
import { derivePriority, isCommunicating } from "../domain/classification.js";
import type { Incident } from "../domain/incident.js";
import { refusal, RefusalError, unwrap } from "../domain/refusal.js";
import { ensureNotClosed, claimRequest, inTransaction, targetIncident, type AppContext, type Invocation } from "./context.js";
import { deadlineFields } from "./sla-fields.js";
import { react } from "./reactions/index.js";
import { requestSummarySync, requestWarRoom, roomNameFor } from "./warroom.js";

export interface ClassifyInput {
  impact?: string | undefined;
  urgency?: string | undefined;
  incident?: string | undefined;
}

export interface Classified {
  incident: Incident;
  previousPriority: string;
  /** Set when this change raised the incident into the communication process. */
  warRoomOpened: string | null;
}

export async function classify(ctx: AppContext, inv: Invocation, input: ClassifyInput): Promise<Classified> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    const impact = (input.impact ?? i.impact).toUpperCase();
    const urgency = (input.urgency ?? i.urgency).toUpperCase();
    if (impact === i.impact && urgency === i.urgency) {
      throw new RefusalError(
        refusal("E_NO_CHANGE", `${i.reference} is already ${impact} × ${urgency} (${i.priority}).`, { reference: i.reference }),
      );
    }
    const priority = unwrap(derivePriority(ctx.policy.matrix, impact, urgency)).id;
    const now = ctx.clock.now();
    const deadlines = deadlineFields(ctx.policy, priority, i.declaredAt, i.pauses, now);
    await uow.incidents.update(i.id, { impact, urgency, priority, ...deadlines });
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: inv.userId,
      kind: "classified",
      data: { from: { impact: i.impact, urgency: i.urgency, priority: i.priority }, to: { impact, urgency, priority } },
    });
    const updated: Incident = { ...i, impact, urgency, priority, ...deadlines };
    if (!updated.roles.im) {
      // P1/P2 always have an incident manager: whoever raised it holds the role until handed over.
      await uow.incidents.setRole(i.id, "im", inv.userId, now);
      await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: "role.assigned", data: { role: "im", user: inv.userId } });
      updated.roles = { ...updated.roles, im: inv.userId };
    }
    const raised = !isCommunicating(ctx.policy.matrix, i.priority) && isCommunicating(ctx.policy.matrix, priority);
    const rooms = await uow.incidents.warRooms(i.id);
    const opened = raised && rooms.length === 0 && (await requestWarRoom(ctx.policy, uow, updated, now));
    if (rooms.length > 0) await requestSummarySync(uow, updated, now);
    if (priority !== i.priority) await react({ ctx, uow, incident: updated, actor: inv.userId, now }, { kind: "priority.changed", from: i.priority });
    return { incident: updated, previousPriority: i.priority, warRoomOpened: opened ? roomNameFor(ctx.policy, updated) : null };
  });
}
