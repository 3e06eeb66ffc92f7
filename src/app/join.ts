/**
 * `/incident join`: become a responder of an incident — the one-click way in for a helper. Recorded on
 * the timeline; on platforms with war rooms the joiner is invited through the outbox's invite step
 * when the room is there (the escalation page's invitation does the same).
 */
import type { Incident } from "../domain/incident.js";
import { noticeView } from "../domain/views.js";
import { refusal, RefusalError } from "../domain/refusal.js";
import { noticeTarget, requestInvite } from "./warroom.js";
import { claimRequest, ensureNotClosed, inTransaction, isResponder, JOINED, targetIncident, type AppContext, type Invocation } from "./context.js";

export async function joinIncident(ctx: AppContext, inv: Invocation, reference?: string): Promise<{ incident: Incident }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    if (await isResponder(uow, i, inv.userId)) {
      throw new RefusalError(refusal("E_NO_CHANGE", `You are already a responder of ${i.reference}.`, { reference: i.reference }));
    }
    const now = ctx.clock.now();
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: JOINED, data: { user: inv.userId } });
    await requestInvite(uow, i, [inv.userId], now);
    await uow.outbox.enqueue(
      { key: `joined:${i.id}:${inv.userId}:warroom`, incidentId: i.id, platform: i.platform, target: noticeTarget(ctx.policy, i), action: "post", message: noticeView(i, `@${inv.userId} joined ${i.reference} as a responder.`) },
      now,
    );
    return { incident: i };
  });
}
