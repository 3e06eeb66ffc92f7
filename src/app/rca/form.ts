/** What the RCA form (Slack / Discord modal) opens with: the incident's sections as written so far. */
import type { Incident } from "../../domain/incident.js";
import { inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";

export async function rcaFormState(ctx: AppContext, inv: Invocation, reference: string): Promise<{ incident: Incident; texts: Record<string, string> }> {
  return inTransaction(ctx, async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    const texts = Object.fromEntries((await uow.rca.sections(incident.id)).map((s) => [s.section, s.text]));
    return { incident, texts };
  });
}
