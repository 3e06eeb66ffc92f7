/**
 * Status changes: investigating, wait customer|vendor, mitigated, resolve, reopen. Entering `waiting`
 * opens an SLA pause and leaving it closes the pause; deadlines are recomputed each time.
 */
import type { Incident, Outcome } from "../domain/incident.js";
import { isWaiting, statusLabel, transition, type Status } from "../domain/lifecycle.js";
import type { Pause } from "../domain/sla.js";
import { refusal, RefusalError, unwrap } from "../domain/refusal.js";
import type { IncidentPatch } from "./ports.js";
import { claimRequest, inTransaction, targetIncident, type AppContext, type Invocation } from "./context.js";
import { deadlineFields } from "./sla-fields.js";
import { react } from "./reactions/index.js";
import { requestSummarySync } from "./warroom.js";

export interface StatusChangeInput {
  to: Status;
  /** Mitigation text, resolution summary or reopen reason. */
  text?: string | undefined;
  incident?: string | undefined;
  /** Resolved → investigating only through an explicit reopen (with its reason). */
  reopen?: boolean;
  /** Resolving one that was not a real incident: a duplicate, or declined. */
  outcome?: Outcome | undefined;
}

export interface StatusChanged {
  incident: Incident;
  from: Status;
  /** On resolving a major incident: its linked incidents still open, to resolve too. */
  openChildren: string[];
}

function nextPauses(pauses: Pause[], from: Status, to: Status, now: Date): Pause[] {
  if (!isWaiting(from) && isWaiting(to)) return [...pauses, { from: now, to: null }];
  if (isWaiting(from) && !isWaiting(to)) return pauses.map((p) => (p.to === null ? { ...p, to: now } : p));
  return pauses;
}

export async function changeStatus(ctx: AppContext, inv: Invocation, input: StatusChangeInput): Promise<StatusChanged> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    if (input.reopen && i.status !== "resolved" && i.status !== "closed") {
      throw new RefusalError(
        refusal("E_TRANSITION_NOT_ALLOWED", `${i.reference} is ${statusLabel(i.status)}, not resolved: only a resolved incident can be reopened.`, { reference: i.reference, from: i.status }),
      );
    }
    if (!input.reopen && i.status === "resolved" && input.to === "investigating") {
      throw new RefusalError(
        refusal("E_TRANSITION_NOT_ALLOWED", `${i.reference} is resolved: to work on it again, run /incident reopen <reason>.`, { reference: i.reference, from: i.status }),
      );
    }
    const to = unwrap(transition(i.status, input.to, i.reference));
    const now = ctx.clock.now();
    const pauses = nextPauses(i.pauses, i.status, to, now);
    const patch: IncidentPatch = { status: to, pauses, ...deadlineFields(ctx.policy, i.priority, i.declaredAt, pauses, now) };
    if (to === "resolved") {
      patch.resolvedAt = now;
      patch.outcome = input.outcome ?? null;
    }
    if (i.status === "resolved") {
      patch.resolvedAt = null; // reopened
      patch.outcome = null;
    }
    await uow.incidents.update(i.id, patch);
    const kind = i.status === "resolved" && to === "investigating" ? "reopened" : "status.changed";
    const data: Record<string, unknown> = { from: i.status, to };
    if (input.text) data.text = input.text;
    if (patch.outcome) data.outcome = patch.outcome;
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind, data });
    const updated: Incident = { ...i, ...patch, status: to, pauses } as Incident;
    await requestSummarySync(uow, updated, now);
    await react({ ctx, uow, incident: updated, actor: inv.userId, now }, { kind: "status.changed", from: i.status, text: input.text });
    const openChildren = to === "resolved" ? (await uow.incidents.children(i.id)).filter((c) => c.status !== "resolved" && c.status !== "closed").map((c) => c.reference) : [];
    return { incident: updated, from: i.status, openChildren };
  });
}
