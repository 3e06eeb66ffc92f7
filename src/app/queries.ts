/** Read-only use cases: one incident's status (with its war rooms and timeline), and the list. */
import type { Incident, IncidentEvent, WarRoom } from "../domain/incident.js";
import type { TimelineEntry } from "../domain/rca/types.js";
import { ensureNotClosed, targetIncident, type AppContext, type Invocation } from "./context.js";

export interface IncidentStatus {
  incident: Incident;
  warRooms: WarRoom[];
  events: IncidentEvent[];
  /** Timeline entries added by hand or pinned in the war room. */
  entries: TimelineEntry[];
}

export async function incidentStatus(ctx: AppContext, inv: Invocation, reference?: string): Promise<IncidentStatus> {
  return ctx.store.transaction(async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    const warRooms = await uow.incidents.warRooms(incident.id);
    const events = await uow.incidents.events(incident.id);
    const entries = await uow.rca.timelineEntries(incident.id);
    return { incident, warRooms, events, entries };
  });
}

export interface ListedIncident {
  incident: Incident;
  warRooms: WarRoom[];
}

export async function listIncidents(ctx: AppContext, includeClosed = false): Promise<ListedIncident[]> {
  const listed = await ctx.store.autocommit((uow) => uow.incidents.list({ includeClosed }));
  return listed.map(({ incident, rooms }) => ({ incident, warRooms: rooms }));
}

/** Refuses (not allowed, not found, closed) before a form is even shown to someone who may not act. */
export async function checkAccess(ctx: AppContext, inv: Invocation, reference: string | undefined): Promise<Incident> {
  return ctx.store.transaction(async (uow) => {
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    return i;
  });
}
