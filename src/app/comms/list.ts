/** `/incident comms`: every communication of an incident, with where it went and whether it arrived. */
import type { Incident } from "../../domain/incident.js";
import { inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import type { Communication } from "../ports.js";

export async function listComms(ctx: AppContext, inv: Invocation, reference?: string): Promise<{ incident: Incident; comms: Communication[] }> {
  return inTransaction(ctx, async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    return { incident, comms: await uow.comms.list(incident.id) };
  });
}
