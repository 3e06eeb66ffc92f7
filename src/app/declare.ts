/** Declare an incident: classify, number it, assign the IM, start the SLA clock, open the war room. */
import { derivePriority } from "../domain/classification.js";
import type { DetectionSource, Incident } from "../domain/incident.js";
import { formatReference, referenceYear } from "../domain/reference.js";
import { unwrap } from "../domain/refusal.js";
import { claimRequest, inTransaction, type AppContext, type Invocation } from "./context.js";
import { deadlineFields } from "./sla-fields.js";
import { react } from "./reactions/index.js";
import { requestWarRoom, roomNameFor } from "./warroom.js";

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
}

export interface Declared {
  incident: Incident;
  /** The war-room channel being opened (P1/P2), or null. */
  warRoom: string | null;
}

export async function declare(ctx: AppContext, inv: Invocation, input: DeclareInput): Promise<Declared> {
  const priority = unwrap(derivePriority(ctx.policy.matrix, input.impact, input.urgency));
  const impact = input.impact.toUpperCase();
  const urgency = input.urgency.toUpperCase();
  const declared = await inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const now = ctx.clock.now();
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
      data: { reference, title, impact, urgency, priority: priority.id, nature: input.nature ?? null, service: input.service ?? null, customer: input.customer ?? null, detectedBy: input.detectedBy ?? null, respondBy, resolveBy },
    });
    await uow.incidents.appendEvent({ incidentId: id, at: now, actor: inv.userId, kind: "role.assigned", data: { role: "im", user: im } });
    const incident = { ...created, roles: { im } };
    const opening = await requestWarRoom(ctx.policy, uow, incident, now);
    await react({ ctx, uow, incident, actor: inv.userId, now }, { kind: "declared" });
    return { incident, warRoom: opening ? roomNameFor(ctx.policy, incident) : null };
  });
  ctx.observer?.incidentDeclared(declared.incident.priority);
  return declared;
}
