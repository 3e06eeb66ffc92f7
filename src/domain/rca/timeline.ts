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
  if (to === "resolved") return withText(d.outcome ? `Resolved as ${str(d.outcome)}` : "Resolved", d.text);
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
  "alert.firing": (e) => `Alert firing (${str(e.data.source)}): ${str(e.data.title)}`,
  "alert.resolved": (e) => `Alert resolved (${str(e.data.source)}): ${str(e.data.title)}`,
};

const people = (v: unknown): string => (Array.isArray(v) && v.length ? v.map((u) => `@${str(u)}`).join(", ") : "nobody in chat");

/**
 * How the work on the incident went: pages, reminders, actions, joins. The live timeline (`status`)
 * shows these too; the report keeps to what happened to the service (DESCRIBE).
 */
const WORK: Record<string, (e: IncidentEvent) => string> = {
  "page.sent": (e) => `Paged level ${str(e.data.level)} — ${str(e.data.levelName)}${e.data.ladder ? ` (${str(e.data.ladder)})` : ""}: ${people(e.data.targets)}${e.data.kind === "managerial" ? withText(", managerial escalation", e.data.reason) : ""}`,
  "page.failed": (e) => withText(`Page to ${str(e.data.target)} failed`, e.data.reason),
  "update.reminded": (e) => (e.data.second ? "Stakeholder update late: the incident manager reminded again" : "Stakeholder update due: the incident manager reminded"),
  "update.missed": () => "Stakeholder update missed",
  "responder.joined": (e) => `@${e.actor} joined as a responder`,
  "escalation.acknowledged": (e) => `Escalation acknowledged by @${e.actor}`,
  "child.linked": (e) => `${str(e.data.child)} linked as part of this incident`,
  "child.unlinked": (e) => `${str(e.data.child)} is no longer part of this incident`,
  linked: (e) => `Linked by @${e.actor} as part of ${str(e.data.parent)}`,
  unlinked: (e) => `Unlinked by @${e.actor} from ${str(e.data.parent)}`,
  "action.added": (e) => `Action ${str(e.data.n)} added: ${str(e.data.text)} (@${str(e.data.owner)}, due ${str(e.data.due)})`,
  "action.done": (e) => `Action ${str(e.data.n)} done by @${e.actor}`,
  "rca.approved": (e) => `RCA approved by @${e.actor}`,
  "report.reminded": () => "Customer report due soon: the incident manager reminded",
  "report.interim_posted": () => "Interim notice sent: the customer report is in preparation",
  "delivery.failed": (e) => withText(`A message to ${str(e.data.target)} could not be delivered`, e.data.reason),
  "warroom.archived": () => "War room archived",
};

/** An event in words; with `work`, also the events about the work itself (pages, reminders…). */
export function describeEvent(e: IncidentEvent, work = false): string | null {
  const describe = DESCRIBE[e.kind] ?? (work ? WORK[e.kind] : undefined);
  return describe ? describe(e) : null;
}

/**
 * Events and entries in time order; at the same instant, events first, then entries as added. Every
 * place that shows a timeline (status, the war room, the report) renders it here.
 */
export function mergeTimeline(events: readonly IncidentEvent[], entries: readonly TimelineEntry[], o: { work?: boolean } = {}): TimelineLine[] {
  const lines: (TimelineLine & { rank: number })[] = [];
  events.forEach((e, i) => {
    const text = describeEvent(e, o.work);
    if (text) lines.push({ at: e.at, text, rank: i });
  });
  entries.forEach((t, i) => {
    const text = t.source === "pin" ? `📌 ${t.text} (pinned by @${t.author})` : t.text;
    lines.push({ at: t.at, text, rank: events.length + i });
  });
  lines.sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank);
  return lines.map(({ at, text }) => ({ at, text }));
}
