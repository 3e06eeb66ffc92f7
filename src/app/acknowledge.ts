/**
 * Acknowledge: someone has the incident in hand. The first acknowledgement is the time to acknowledge
 * (respond-by met or breached); later ones say who already did.
 */
import type { Incident } from "../domain/incident.js";
import { refusal, RefusalError } from "../domain/refusal.js";
import { formatTime } from "../domain/views.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "./context.js";
import { react } from "./reactions/index.js";
import { requestSummarySync } from "./warroom.js";

export interface Acknowledged {
  incident: Incident;
  /** Whether respond-by was met; null when the priority has no respond-by. */
  withinSla: boolean | null;
  /** Management acknowledged the escalation they were paged for (the incident was acknowledged before). */
  escalation?: boolean;
}

export async function acknowledge(ctx: AppContext, inv: Invocation, reference?: string): Promise<Acknowledged> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    if (i.acknowledgedAt) {
      const when = formatTime(i.acknowledgedAt, ctx.policy.businessHours.timezone);
      // Management paged for an escalation takes the escalation in hand: recorded, not refused.
      const escalated = (await uow.pages.list(i.id)).some((p) => p.kind === "managerial" && p.channel === "dm" && p.target === inv.userId);
      if (escalated) {
        const now = ctx.clock.now();
        await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: "escalation.acknowledged", data: {} });
        return { incident: i, withinSla: null, escalation: true };
      }
      throw new RefusalError(
        refusal("E_ALREADY_ACKNOWLEDGED", `${i.reference} was already acknowledged by @${i.acknowledgedBy} at ${when}.`, { reference: i.reference, by: i.acknowledgedBy }),
      );
    }
    const now = ctx.clock.now();
    const withinSla = i.respondBy ? now.getTime() <= i.respondBy.getTime() : null;
    await uow.incidents.update(i.id, { acknowledgedAt: now, acknowledgedBy: inv.userId });
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: "acknowledged", data: { withinSla, respondBy: i.respondBy } });
    const updated = { ...i, acknowledgedAt: now, acknowledgedBy: inv.userId };
    await requestSummarySync(uow, updated, now);
    await react({ ctx, uow, incident: updated, actor: inv.userId, now }, { kind: "acknowledged" });
    return { incident: updated, withinSla };
  });
}
