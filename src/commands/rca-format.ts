/** Reply text of the RCA subcommands: the checklist, one section, the actions. */
import type { RcaOverview } from "../app/rca/overview.js";
import type { RcaAction } from "../domain/rca/types.js";
import type { Incident } from "../domain/incident.js";
import type { Policy } from "../domain/policy.js";
import { formatTime, headline, priorityText } from "../domain/views.js";

const MARK = { filled: "[x]", missing: "[ ]", empty: "[-]" } as const;

function preview(text: string | undefined): string {
  if (!text) return "";
  const one = text.replace(/\s+/g, " ").trim();
  return ` — "${one.length > 60 ? `${one.slice(0, 59)}…` : one}"`;
}

export function checklistText(policy: Policy, o: RcaOverview): string {
  const tz = policy.businessHours.timezone;
  const need = o.required ? `required before closing a ${priorityText(policy, o.incident.priority)}` : `optional for ${priorityText(policy, o.incident.priority)}`;
  const lines = [`RCA of ${headline(policy, o.incident)} (${need})`];
  for (const c of o.checks) {
    const stored = o.sections.find((s) => s.section === c.def.id);
    const state = c.status === "filled" ? [c.note, c.authors.length ? `by ${c.authors.map((a) => `@${a}`).join(", ")}` : ""].filter(Boolean).join(", ") : c.status === "missing" ? "missing (required)" : "empty (optional)";
    lines.push(`  ${MARK[c.status]} ${c.def.label} (${c.def.id}): ${state}${preview(stored?.text)}`);
  }
  const approvers = (policy.rca.approvers[o.incident.platform] ?? []).map((u) => `@${u}`).join(", ") || "none configured";
  lines.push(o.approval ? `Approved by @${o.approval.by} on ${formatTime(o.approval.at, tz)}.` : `Not approved yet (/incident rca approve; approvers: ${approvers}).`);
  if (o.incident.status === "closed") lines.push("Closed: the RCA is read-only.");
  else if (o.gaps.length === 0) lines.push("Ready to close: /incident close --customer-confirmed <closing comment>");
  else lines.push("Before closing:", ...o.gaps.map((g) => `  - ${g.text}`), "  then /incident close --customer-confirmed <closing comment>");
  return lines.join("\n");
}

export function sectionText(i: Incident, label: string, id: string, text: string | undefined, authors: string[]): string {
  if (!text) return `${i.reference} · ${label} is empty: /incident rca ${id} <text>`;
  return [`${i.reference} · ${label} (by ${authors.map((a) => `@${a}`).join(", ")}):`, text].join("\n");
}

export function actionLine(a: RcaAction): string {
  const done = a.doneAt ? `, done by @${a.doneBy}` : "";
  return `  ${a.n}. [${a.doneAt ? "x" : " "}] ${a.text} — @${a.owner}, due ${a.due}${done}`;
}

export function actionsText(i: Incident, actions: RcaAction[]): string {
  if (actions.length === 0) return `${i.reference} has no actions yet: /incident action add <text> --owner @user --due YYYY-MM-DD`;
  return [`Actions of ${i.reference}:`, ...actions.map(actionLine)].join("\n");
}
