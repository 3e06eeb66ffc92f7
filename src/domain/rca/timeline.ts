/**
 * The incident's timeline for the RCA and the report: its recorded events told in words, merged with
 * what was added by hand and what was pinned in the war room, in time order. Bookkeeping events (RCA
 * edits, summary syncs, reminders) are left out: the timeline tells what happened to the service.
 */
import type { IncidentEvent } from "../incident.js";
import { ROLE_LABELS, type Role } from "../incident.js";
import { statusLabel, type Status } from "../lifecycle.js";
import type { TimelineEntry } from "./types.js";

export interface TimelineLine {
  at: Date;
  text: string;
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const withText = (head: string, text: unknown): string => (str(text) ? `${head}: ${str(text)}` : head);

function statusText(d: Record<string, unknown>): string {
  const to = d.to as Status;
  if (to === "resolved") return withText("Resolved", d.text);
  if (to === "mitigated") return withText("Mitigated", d.text);
  if (to === "investigating") return withText("Investigation under way", d.text);
  return withText(`Status: ${statusLabel(to)}`, d.text);
}

const DESCRIBE: Record<string, (e: IncidentEvent) => string> = {
  declared: (e) => `Incident declared by @${e.actor}: ${str(e.data.title)} (${str(e.data.priority)})`,
  classified: (e) => {
    const from = e.data.from as { priority?: string } | undefined;
    const to = e.data.to as { priority?: string } | undefined;
    return `Reclassified ${str(from?.priority)} → ${str(to?.priority)}`;
  },
  "status.changed": (e) => statusText(e.data),
  reopened: (e) => withText("Reopened", e.data.text),
  acknowledged: (e) => `Acknowledged by @${e.actor}`,
  "role.assigned": (e) => `@${str(e.data.user)} is ${ROLE_LABELS[e.data.role as Role] ?? str(e.data.role)}`,
  "role.handed_over": (e) => `${ROLE_LABELS[e.data.role as Role] ?? str(e.data.role)} handed over to @${str(e.data.user)}`,
  "warroom.opened": (e) => `War room #${str(e.data.name)} opened`,
  escalated: (e) => withText(`Escalated (${str(e.data.type)}, level ${str(e.data.level)})`, e.data.reason),
  "update.posted": (e) => withText("Stakeholder update", e.data.text),
  "allclear.posted": (e) => withText("All-clear sent", e.data.text),
  "report.sent": () => "Incident report sent",
  closed: (e) => withText("Closed", e.data.comment),
};

export function describeEvent(e: IncidentEvent): string | null {
  const describe = DESCRIBE[e.kind];
  return describe ? describe(e) : null;
}

/** Events and entries in time order; at the same instant, events first, then entries as added. */
export function mergeTimeline(events: readonly IncidentEvent[], entries: readonly TimelineEntry[]): TimelineLine[] {
  const lines: (TimelineLine & { rank: number })[] = [];
  events.forEach((e, i) => {
    const text = describeEvent(e);
    if (text) lines.push({ at: e.at, text, rank: i });
  });
  entries.forEach((t, i) => {
    const text = t.source === "pin" ? `📌 ${t.text} (pinned by @${t.author})` : t.text;
    lines.push({ at: t.at, text, rank: events.length + i });
  });
  lines.sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank);
  return lines.map(({ at, text }) => ({ at, text }));
}
