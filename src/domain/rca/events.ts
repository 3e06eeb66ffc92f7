/** What the timeline events say about the RCA: the latest approval and the closure. */
import type { IncidentEvent } from "../incident.js";
import type { Approval, Closure } from "./types.js";

export const RCA_EVENTS = {
  sectionSet: "rca.section_set",
  approved: "rca.approved",
  actionAdded: "action.added",
  actionDone: "action.done",
  timelineAdded: "timeline.added",
  closed: "closed",
  reportSent: "report.sent",
  archived: "warroom.archived",
} as const;

export function approvalOf(events: readonly IncidentEvent[]): Approval | null {
  const e = events.filter((x) => x.kind === RCA_EVENTS.approved).at(-1);
  return e ? { by: String(e.data.by ?? e.actor), at: e.at } : null;
}

export function closureOf(events: readonly IncidentEvent[]): Closure | null {
  const e = events.filter((x) => x.kind === RCA_EVENTS.closed).at(-1);
  return e ? { by: e.actor, at: e.at, comment: String(e.data.comment ?? "") } : null;
}
