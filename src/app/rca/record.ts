/** Loads an incident's whole RCA record in the caller's transaction. */
import type { Incident, IncidentEvent } from "../../domain/incident.js";
import { approvalOf, closureOf } from "../../domain/rca/events.js";
import type { RcaState } from "../../domain/rca/gate.js";
import type { ReportInput } from "../../domain/rca/report.js";
import { mergeTimeline } from "../../domain/rca/timeline.js";
import type { Policy } from "../../domain/policy.js";
import type { UnitOfWork } from "../ports.js";

export type RcaRecord = Omit<ReportInput, "policy"> & { events: IncidentEvent[] };

export async function loadRecord(uow: UnitOfWork, incident: Incident): Promise<RcaRecord> {
  const [events, sections, actions, entries] = await Promise.all([
    uow.incidents.events(incident.id),
    uow.rca.sections(incident.id),
    uow.rca.actions(incident.id),
    uow.rca.timelineEntries(incident.id),
  ]);
  return { incident, events, sections, actions, entries, approval: approvalOf(events), closure: closureOf(events) };
}

export function stateOf(r: RcaRecord): RcaState {
  return {
    sections: r.sections,
    actions: r.actions,
    timelineCount: mergeTimeline(r.events, r.entries).length,
    approval: r.approval,
  };
}

export function reportInput(policy: Policy, r: RcaRecord): ReportInput {
  return { policy, ...r };
}
