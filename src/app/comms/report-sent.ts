/** `/incident report send`: the customer incident report is sent; its deadline no longer applies. */
import type { Incident } from "../../domain/incident.js";
import { refusal, RefusalError } from "../../domain/refusal.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import { REPORT_KINDS } from "./promise.js";

export async function markReportSent(ctx: AppContext, inv: Invocation, reference?: string): Promise<Incident> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    if (i.status !== "resolved" || !i.resolvedAt) {
      throw new RefusalError(refusal("E_TRANSITION_NOT_ALLOWED", `${i.reference} is not resolved yet: the customer report follows the resolution.`, { reference: i.reference }));
    }
    const events = await uow.incidents.events(i.id);
    const sent = events.find((e) => e.kind === "report.sent" && e.at.getTime() >= i.resolvedAt!.getTime());
    if (sent) {
      throw new RefusalError(refusal("E_ALREADY_SENT", `The customer report of ${i.reference} was already marked sent by @${sent.actor}.`, { reference: i.reference }));
    }
    const now = ctx.clock.now();
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: "report.sent", data: { by: inv.userId } });
    await uow.comms.record({ incidentId: i.id, at: now, actor: inv.userId, kind: "report", text: "Customer incident report sent.", deliveryKeys: [] });
    await uow.timers.cancel(i.id, REPORT_KINDS);
    return i;
  });
}
