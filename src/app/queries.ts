/** Read-only use cases: one incident's status (with its war rooms and timeline), and the list. */
import type { Incident, IncidentEvent, WarRoom } from "../domain/incident.js";
import { ensureNotClosed, targetIncident, type AppContext, type Invocation } from "./context.js";

export interface IncidentStatus {
  incident: Incident;
  warRooms: WarRoom[];
  events: IncidentEvent[];
}

export async function incidentStatus(ctx: AppContext, inv: Invocation, reference?: string): Promise<IncidentStatus> {
  return ctx.store.transaction(async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    const warRooms = await uow.incidents.warRooms(incident.id);
    const events = await uow.incidents.events(incident.id);
    return { incident, warRooms, events };
  });
}

export interface ListedIncident {
  incident: Incident;
  warRooms: WarRoom[];
}

export async function listIncidents(ctx: AppContext, includeClosed = false): Promise<ListedIncident[]> {
  return ctx.store.transaction(async (uow) => {
    const incidents = await uow.incidents.list({ includeClosed });
    const out: ListedIncident[] = [];
    for (const incident of incidents) out.push({ incident, warRooms: await uow.incidents.warRooms(incident.id) });
    return out;
  });
}

/** Refuses (not allowed, not found, closed) before a form is even shown to someone who may not act. */
export async function checkAccess(ctx: AppContext, inv: Invocation, reference: string | undefined): Promise<Incident> {
  return ctx.store.transaction(async (uow) => {
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    return i;
  });
}
