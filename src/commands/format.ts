/** The text of successful replies, shared by every adapter (refusals carry their own sentence). */
import type { Declared } from "../app/declare.js";
import type { IncidentStatus, ListedIncident } from "../app/queries.js";
import type { Incident } from "../domain/incident.js";
import { statusLabel } from "../domain/lifecycle.js";
import { mergeTimeline } from "../domain/rca/timeline.js";
import type { Policy } from "../domain/policy.js";
import { formatTime, headline, incidentFields, priorityText } from "../domain/views.js";

export function declaredText(policy: Policy, d: Declared): string {
  const lines = [`Declared ${headline(policy, d.incident)}.`, `Incident manager: @${d.incident.roles.im}.`];
  if (d.warRoom) lines.push(`War room: #${d.warRoom}`);
  else lines.push(`${priorityText(policy, d.incident.priority)} follows planned work: no war room or stakeholder updates.`);
  if (d.parent) lines.push(`Part of ${d.parent}.`);
  if (d.similar.length) lines.push(`Possible duplicate of ${d.similar.join(", ")} (same service or nature, declared in the last 30 minutes): if so, link it with --parent or resolve one of them.`);
  return lines.join("\n");
}

/** The live timeline in `status`: the latest lines; the report has all of them. */
export const STATUS_TIMELINE_LINES = 12;

export function statusText(policy: Policy, s: IncidentStatus): string {
  const lines = [headline(policy, s.incident)];
  for (const f of incidentFields(policy, s.incident)) lines.push(`  ${f.label}: ${f.value}`);
  for (const r of s.warRooms) lines.push(`  War room (${r.platform}): #${r.channelName}`);
  if (s.incident.pauses.some((p) => p.to === null)) lines.push("  SLA clock: paused while waiting");
  const timeline = mergeTimeline(s.events, s.entries, { work: true });
  const shown = timeline.slice(-STATUS_TIMELINE_LINES);
  const tz = policy.businessHours.timezone;
  lines.push(timeline.length > shown.length ? `Timeline (latest ${shown.length} of ${timeline.length}; /incident report has all):` : "Timeline:");
  lines.push(...shown.map((t) => `  ${formatTime(t.at, tz)}  ${t.text}`));
  return lines.join("\n");
}

export function listText(policy: Policy, items: ListedIncident[], all: boolean): string {
  if (items.length === 0) return all ? "No incidents yet." : "No open incidents.";
  const lines = [all ? "Incidents:" : "Open incidents:"];
  for (const { incident: i, warRooms } of items) {
    const room = warRooms[0] ? ` · #${warRooms[0].channelName}` : "";
    lines.push(`  ${i.reference} · ${priorityText(policy, i.priority)} · ${statusLabel(i.status)} · ${i.title}${room}`);
  }
  return lines.join("\n");
}

export function changedText(policy: Policy, i: Incident, what: string): string {
  return `${i.reference} ${what}. Now: ${priorityText(policy, i.priority)} · ${statusLabel(i.status)}.`;
}
