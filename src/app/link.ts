/**
 * `/incident link <parent>` and `/incident unlink`: an incident declared apart turns out to be part
 * of a major incident (or not, after all). Recorded on both timelines; both summaries are refreshed
 * (the parent's lists its children).
 */
import type { Incident } from "../domain/incident.js";
import { refusal, RefusalError } from "../domain/refusal.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "./context.js";
import { requestSummarySync } from "./warroom.js";

export interface Linked {
  incident: Incident;
  /** The parent it is now part of, or null after unlink. */
  parent: string | null;
  /** The parent it was part of before. */
  previous: string | null;
}

export async function linkIncident(ctx: AppContext, inv: Invocation, parentRef: string | null, reference?: string): Promise<Linked> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    const now = ctx.clock.now();
    const previous = i.parentId !== null ? await uow.incidents.get(i.parentId) : null;
    const refuse = (message: string) => {
      throw new RefusalError(refusal("E_NO_CHANGE", message, { reference: i.reference }));
    };
    if (parentRef === null) {
      if (!previous) refuse(`${i.reference} is not part of another incident.`);
      await uow.incidents.update(i.id, { parentId: null });
      await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: "unlinked", data: { parent: previous!.reference } });
      await uow.incidents.appendEvent({ incidentId: previous!.id, at: now, actor: inv.userId, kind: "child.unlinked", data: { child: i.reference } });
      await requestSummarySync(uow, previous!, now);
      return { incident: { ...i, parentId: null }, parent: null, previous: previous!.reference };
    }
    const parent = await uow.incidents.byReference(parentRef, true);
    if (!parent || parent.status === "closed") {
      throw new RefusalError(refusal("E_INCIDENT_NOT_FOUND", `${parentRef} ${parent ? "is closed" : "does not exist"}; /incident list shows the open ones.`, { reference: parentRef }));
    }
    if (parent.id === i.id) refuse(`${i.reference} cannot be part of itself.`);
    if (parent.parentId === i.id) refuse(`${parent.reference} is already part of ${i.reference}; unlink it first.`);
    if (previous?.id === parent.id) refuse(`${i.reference} is already part of ${parent.reference}.`);
    await uow.incidents.update(i.id, { parentId: parent.id });
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: "linked", data: { parent: parent.reference, previous: previous?.reference ?? null } });
    await uow.incidents.appendEvent({ incidentId: parent.id, at: now, actor: inv.userId, kind: "child.linked", data: { child: i.reference } });
    if (previous) await requestSummarySync(uow, previous, now);
    await requestSummarySync(uow, parent, now);
    const linked = { ...i, parentId: parent.id };
    await requestSummarySync(uow, linked, now);
    return { incident: linked, parent: parent.reference, previous: previous?.reference ?? null };
  });
}
