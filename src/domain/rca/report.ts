/**
 * The incident report (DESIGN §2): reference, start and end, services and customer impact, cause, the
 * timeline table in the policy's timezone, the post-incident analysis and the actions with their
 * owners. Pure: the same record renders the same bytes (the golden test holds it to that).
 */
import type { Incident, IncidentEvent } from "../incident.js";
import { statusLabel } from "../lifecycle.js";
import type { Policy } from "../policy.js";
import { ACTIONS, PROCEDURES, TIMELINE } from "./policy.js";
import { block, durationText, localDate, localDateTime, localTime, table } from "./markdown.js";
import { mergeTimeline } from "./timeline.js";
import type { Approval, Closure, RcaAction, RcaSection, TimelineEntry } from "./types.js";

export interface ReportInput {
  policy: Policy;
  incident: Incident;
  events: IncidentEvent[];
  sections: RcaSection[];
  actions: RcaAction[];
  entries: TimelineEntry[];
  approval: Approval | null;
  closure: Closure | null;
}

/** Sections shown in their own place; every other filled section goes under the analysis. */
const PLACED = new Set(["summary", "impact", "root_cause", "resolution", TIMELINE, ACTIONS]);

export function reportFilename(i: Pick<Incident, "reference">): string {
  return `${i.reference}-report.md`;
}

/**
 * The report for the team (`team`: everything, the golden file) or for stakeholders (`public`, what
 * `report send` delivers to customers' lists and webhooks): the same facts people outside may read —
 * no impact/urgency codes, nature or customer, no timeline of escalations, roles and war rooms (only
 * start, end and the timeline section the team wrote), no owners, no validation by name.
 */
export function renderReport(r: ReportInput, audience: "team" | "public" = "team"): string {
  const team = audience === "team";
  const { incident: i, policy } = r;
  const tz = policy.businessHours.timezone;
  const text = (id: string) => r.sections.find((x) => x.section === id)?.text;
  const priority = policy.matrix.priorities.find((p) => p.id === i.priority);
  const priorityWords = priority ? `${priority.id} ${priority.label}` : i.priority;
  const end = i.resolvedAt;
  const facts: string[][] = [
    ["Reference", i.reference],
    ["Priority", team ? `${priorityWords} (impact ${i.impact}, urgency ${i.urgency})` : priorityWords],
    ...(team ? [["Status", statusLabel(i.status)]] : []),
    ["Start", localDateTime(i.declaredAt, tz)],
    ["End", end ? localDateTime(end, tz) : "ongoing"],
    ["Duration", end ? durationText(end.getTime() - i.declaredAt.getTime()) : "ongoing"],
    ["Services impacted", i.service ?? "not recorded"],
    ...(team ? [["Customer", i.customer ?? "not recorded"], ["Nature", i.nature ?? "not recorded"]] : []),
  ];
  const lines = [`# Incident report ${i.reference}: ${i.title}`, "", ...table(["Field", "Value"], facts)];
  lines.push("", "## Summary", "", block(text("summary") ?? i.description ?? undefined));
  lines.push("", "## Customer impact", "", block(text("impact")));
  lines.push("", "## Cause", "", block(text("root_cause")));
  lines.push("", "## Resolution / workaround", "", block(text("resolution")));
  lines.push("", "## Timeline", "", `Times are local to ${tz}.`, "");
  const timeline = team
    ? mergeTimeline(r.events, r.entries).map((l) => [localDate(l.at, tz), localTime(l.at, tz), l.text])
    : [[localDate(i.declaredAt, tz), localTime(i.declaredAt, tz), "Incident declared"], ...(end ? [[localDate(end, tz), localTime(end, tz), "Incident resolved"]] : [])];
  lines.push(...table(["Date", "Time", "Description"], timeline));
  if (text(TIMELINE)) lines.push("", text(TIMELINE)!.trim());
  if (!team) {
    const actions = r.actions.map((a) => `- ${a.text} (${a.doneAt ? "done" : `due ${a.due}`})`);
    lines.push("", "## Actions", "", ...(actions.length ? actions : ["_No actions recorded._"]));
    return lines.join("\n") + "\n";
  }
  lines.push("", "## Post-incident analysis", ...analysis(r, PLACED));
  lines.push("", "## Actions", "", ...actionLines(r.actions, text(ACTIONS)));
  lines.push("", "## Validation", "", ...validation(r, tz));
  return lines.join("\n") + "\n";
}

function analysis(r: ReportInput, placed: Set<string>): string[] {
  const out: string[] = [];
  for (const def of r.policy.rca.sections) {
    if (placed.has(def.id)) continue;
    const text = r.sections.find((x) => x.section === def.id)?.text;
    const missing = def.id === PROCEDURES ? "_No procedure recorded yet._" : "_Not written yet._";
    out.push("", `### ${def.label}`, "", block(text, missing));
  }
  return out;
}

function actionLines(actions: RcaAction[], note: string | undefined): string[] {
  const out = note?.trim() ? [note.trim(), ""] : [];
  if (actions.length === 0) return [...out, "_No actions recorded._"];
  const rows = actions.map((a) => [String(a.n), a.text, `@${a.owner}`, a.due, a.doneAt ? "done" : "open"]);
  return [...out, ...table(["#", "Action", "Owner", "Due", "Status"], rows)];
}

function validation(r: ReportInput, tz: string): string[] {
  const approved = r.approval ? `RCA approved by @${r.approval.by} on ${localDateTime(r.approval.at, tz)}.` : "RCA not approved yet.";
  const closed = r.closure
    ? `Closed by @${r.closure.by} on ${localDateTime(r.closure.at, tz)}, with the customer's agreement: ${r.closure.comment}`
    : "Not closed yet.";
  return [`- ${approved}`, `- ${closed}`];
}
