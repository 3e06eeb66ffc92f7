/** Declare an incident: classify, number it, assign the IM, start the SLA clock, open the war room. */
import { derivePriority } from "../domain/classification.js";
import type { DetectionSource, Incident } from "../domain/incident.js";
import { formatReference, referenceYear } from "../domain/reference.js";
import type { EscalationRoute } from "../domain/alerts/types.js";
import { refusal, RefusalError, unwrap } from "../domain/refusal.js";
import { claimRequest, inTransaction, type AppContext, type Invocation } from "./context.js";
import { deadlineFields } from "./sla-fields.js";
import { react } from "./reactions/index.js";
import { requestSummarySync, requestWarRoom, roomNameFor } from "./warroom.js";

export interface DeclareInput {
  title: string;
  impact: string;
  urgency: string;
  description?: string | undefined;
  nature?: string | undefined;
  service?: string | undefined;
  customer?: string | undefined;
  detectedBy?: DetectionSource | undefined;
  /** Incident manager if not the declarer. */
  im?: string | undefined;
  /** The major incident this one is part of (reference). */
  parent?: string | undefined;
  /** Alert routing: the ladder or schedule its pages go to (kept on the `declared` event). */
  escalation?: EscalationRoute | undefined;
}

export interface Declared {
  incident: Incident;
  /** The war-room channel being opened (P1/P2), or null. */
  warRoom: string | null;
  /** Open incidents on the same service or of the same nature from the last 30 minutes. */
  similar: string[];
  parent: string | null;
}

const SIMILAR_WINDOW_MS = 30 * 60_000;

export async function declare(ctx: AppContext, inv: Invocation, input: DeclareInput): Promise<Declared> {
  const priority = unwrap(derivePriority(ctx.policy.matrix, input.impact, input.urgency));
  const impact = input.impact.toUpperCase();
  const urgency = input.urgency.toUpperCase();
  const declared = await inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const now = ctx.clock.now();
    const parent = input.parent ? await uow.incidents.byReference(input.parent, true) : null;
    if (input.parent && (!parent || parent.status === "closed")) {
      const why = parent ? "is closed" : "does not exist";
      throw new RefusalError(refusal("E_INCIDENT_NOT_FOUND", `--parent ${input.parent.toUpperCase()} ${why}; /incident list shows the open ones.`, { reference: input.parent }));
    }
    const recent = await uow.incidents.similar({ since: new Date(now.getTime() - SIMILAR_WINDOW_MS), service: input.service, nature: input.nature, limit: 50 });
    const year = referenceYear(now, ctx.policy.businessHours.timezone);
    const seq = await uow.incidents.nextSeq(year);
    const created = await uow.incidents.insert({
      reference: formatReference(ctx.policy.referencePrefix, year, seq),
      year,
      seq,
      title: input.title,
      description: input.description ?? null,
      nature: input.nature ?? null,
      service: input.service ?? null,
      customer: input.customer ?? null,
      detectedBy: input.detectedBy ?? null,
      impact,
      urgency,
      priority: priority.id,
      status: "declared",
      platform: inv.platform,
      originChannel: inv.channelId,
      declaredBy: inv.userId,
      declaredAt: now,
      pauses: [],
      parentId: parent?.id ?? null,
      ...deadlineFields(ctx.policy, priority.id, now, [], now),
    });
    const im = input.im ?? inv.userId;
    await uow.incidents.setRole(created.id, "im", im, now);
    const { id, reference, title, respondBy, resolveBy } = created;
    await uow.incidents.appendEvent({
      incidentId: id,
      at: now,
      actor: inv.userId,
      kind: "declared",
      data: { reference, title, impact, urgency, priority: priority.id, nature: input.nature ?? null, service: input.service ?? null, customer: input.customer ?? null, detectedBy: input.detectedBy ?? null, respondBy, resolveBy, ...(input.escalation ? { escalation: input.escalation } : {}) },
    });
    await uow.incidents.appendEvent({ incidentId: id, at: now, actor: inv.userId, kind: "role.assigned", data: { role: "im", user: im } });
    const incident = { ...created, roles: { im } };
    const opening = await requestWarRoom(ctx.policy, uow, incident, now);
    await react({ ctx, uow, incident, actor: inv.userId, now }, { kind: "declared" });
    if (parent) {
      await uow.incidents.appendEvent({ incidentId: parent.id, at: now, actor: inv.userId, kind: "child.linked", data: { child: reference } });
      await requestSummarySync(uow, parent, now); // the parent's summary lists its children
    }
    const similar = recent.filter((r) => r !== parent?.reference);
    return { incident, warRoom: opening ? roomNameFor(ctx.policy, incident) : null, similar, parent: parent?.reference ?? null };
  });
  ctx.observer?.incidentDeclared(declared.incident.priority);
  return declared;
}
