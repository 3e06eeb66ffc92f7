/**
 * The ladder of an incident routed by an alert rule: the route is kept on its `declared` event (the
 * timeline is the record, and a route never changes after declaration), read again at each page so
 * the ladder, schedule and their people come from the policy in force.
 */
import { routedPolicy } from "../../domain/alerts/routing.js";
import type { EscalationRoute } from "../../domain/alerts/types.js";
import type { Incident } from "../../domain/incident.js";
import type { Policy } from "../../domain/policy.js";
import type { AppContext } from "../context.js";
import type { UnitOfWork } from "../ports.js";

export async function escalationRouteOf(uow: UnitOfWork, i: Pick<Incident, "id" | "detectedBy">): Promise<EscalationRoute | null> {
  if (i.detectedBy !== "monitoring") return null; // only alert rules route pages (saves a read per page)
  const declared = (await uow.incidents.events(i.id)).find((e) => e.kind === "declared");
  const r = declared?.data["escalation"] as EscalationRoute | undefined;
  return r && typeof r === "object" ? r : null;
}

/** The policy whose ladders page this incident. */
export async function ladderPolicy(ctx: AppContext, uow: UnitOfWork, i: Incident): Promise<Policy> {
  return routedPolicy(ctx.policy, await escalationRouteOf(uow, i));
}
