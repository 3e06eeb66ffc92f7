/** Recomputes the stored SLA deadlines from the policy whenever priority or pauses change. */
import type { Incident } from "../domain/incident.js";
import type { Policy } from "../domain/policy.js";
import { slaDeadlines, type Pause } from "../domain/sla.js";

export function deadlineFields(
  policy: Policy,
  priority: string,
  declaredAt: Date,
  pauses: Pause[],
  now: Date,
): Pick<Incident, "respondBy" | "resolveBy"> {
  const d = slaDeadlines(policy, priority, declaredAt, pauses, now);
  return { respondBy: d.respondBy, resolveBy: d.resolveBy };
}
