/** The text of successful replies, shared by every adapter (refusals carry their own sentence). */
import type { Declared } from "../app/declare.js";
import type { IncidentStatus, ListedIncident } from "../app/queries.js";
import type { Incident, IncidentEvent } from "../domain/incident.js";
import { statusLabel } from "../domain/lifecycle.js";
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

function eventLine(policy: Policy, e: IncidentEvent): string {
  const when = formatTime(e.at, policy.businessHours.timezone);
  const d = e.data;
  const what =
    e.kind === "status.changed" || e.kind === "reopened"
      ? `${e.kind === "reopened" ? "reopened" : `status → ${statusLabel(d.to as never)}`}${d.text ? `: ${String(d.text)}` : ""}`
      : e.kind === "classified"
        ? `reclassified ${(d.from as { priority: string }).priority} → ${(d.to as { priority: string }).priority}`
        : e.kind === "role.assigned" || e.kind === "role.handed_over"
          ? `${String(d.role)} → @${String(d.user)}`
          : e.kind === "acknowledged"
            ? "acknowledged"
          : e.kind === "warroom.opened"
            ? `war room #${String(d.name)} opened`
            : e.kind;
  return `  ${when}  @${e.actor}  ${what}`;
}

export function statusText(policy: Policy, s: IncidentStatus): string {
  const lines = [headline(policy, s.incident)];
  for (const f of incidentFields(policy, s.incident)) lines.push(`  ${f.label}: ${f.value}`);
  for (const r of s.warRooms) lines.push(`  War room (${r.platform}): #${r.channelName}`);
  if (s.incident.pauses.some((p) => p.to === null)) lines.push("  SLA clock: paused while waiting");
  lines.push("Timeline:", ...s.events.map((e) => eventLine(policy, e)));
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
