/**
 * What the communications process says, as platform-neutral view models: the initial notice, the
 * structured update (status, impact, actions in progress, next update), the all-clear in plain words,
 * the IM's reminders, and the interim notice when the customer report is late.
 */
import { formatDuration } from "../duration.js";
import type { Incident } from "../incident.js";
import { statusLabel, type Status } from "../lifecycle.js";
import type { Policy } from "../policy.js";
import { formatTime, headline, priorityText, type ChatMessage, type ViewField } from "../views.js";
import { allClearHeadline, allClearLines, impactWords, interimHeadline, interimText } from "./public.js";

/** The impact as the war room reads it: the level's id, then its public words ("I1 — Total outage: …"). */
function impactText(policy: Policy, i: Incident): string {
  return policy.matrix.impacts.some((l) => l.id === i.impact) ? `${i.impact} — ${impactWords(policy, i.impact)}` : i.impact;
}

/** What is affected, when a service or customer was given; null otherwise (the title already says it). */
function affectedParts(i: Incident): string | null {
  const parts = [i.service ? `service ${i.service}` : null, i.customer ? `customer ${i.customer}` : null].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

function affected(i: Incident): string {
  return affectedParts(i) ?? i.title;
}

/**
 * What a status change tells stakeholders, in their words: the SLA clock that pauses while waiting is
 * internal bookkeeping and is not theirs to read about.
 */
const STATUS_UPDATE_TEXT: Record<string, string> = {
  investigating: "The incident is being investigated.",
  waiting_customer: "We are waiting on the customer to continue.",
  waiting_vendor: "We are waiting on a vendor to continue.",
  mitigated: "A workaround is in place.",
};

export function statusUpdateText(status: Status): string {
  return STATUS_UPDATE_TEXT[status] ?? `Now ${statusLabel(status)}.`;
}

const nextText = (policy: Policy, next: Date | null) => (next ? formatTime(next, policy.businessHours.timezone) : "none scheduled");

/** Declaring (or raising to) a P1/P2: what is affected, impact, priority, IM, next update. */
export function initialNoticeView(policy: Policy, i: Incident): ChatMessage {
  const fields: ViewField[] = [
    { label: "Affected", value: affected(i) },
    { label: "Impact", value: impactText(policy, i) },
    { label: "Priority", value: priorityText(policy, i.priority) },
    { label: "Incident manager", value: i.roles.im ? `@${i.roles.im}` : "not assigned yet", mentions: true },
    { label: "Next update", value: nextText(policy, i.nextUpdateAt) },
  ];
  return { kind: "update", reference: i.reference, headline: `Incident notice: ${headline(policy, i)}`, fields };
}

/** A structured update; `next` is the new promise. */
export function updateView(policy: Policy, i: Incident, text: string, next: Date | null): ChatMessage {
  return {
    kind: "update",
    reference: i.reference,
    headline: `Update on ${headline(policy, i)}`,
    fields: [
      { label: "Status", value: statusLabel(i.status) },
      { label: "Impact", value: impactText(policy, i) },
      { label: "Actions in progress", value: text },
      { label: "Next update", value: nextText(policy, next) },
    ],
  };
}

/** The all-clear: what happened and how it was fixed, in plain words (the stakeholders' sentences, public.ts). */
export function allClearView(policy: Policy, i: Incident, resolution: string, resolvedAt: Date): ChatMessage {
  const facts = { title: i.title, description: i.description, service: i.service, customer: i.customer, text: resolution, declaredAt: i.declaredAt.toISOString(), resolvedAt: resolvedAt.toISOString() };
  const body = allClearLines(facts, policy.businessHours.timezone).join("\n");
  return { kind: "update", reference: i.reference, headline: allClearHeadline(i.reference, i.title), body, fields: [] };
}

/**
 * To the IM when an update is due; `lateAt` (the moment of the second reminder, after the grace) says
 * it is recorded missed and how late it is then — hours, when the bot was down or the clock jumped.
 */
export function reminderView(policy: Policy, i: Incident, due: Date, lateAt?: Date): ChatMessage {
  const im = i.roles.im ?? i.declaredBy;
  const when = formatTime(due, policy.businessHours.timezone);
  const text = lateAt
    ? `@${im}: the stakeholder update on ${i.reference} promised for ${when} is ${formatDuration(lateAt.getTime() - due.getTime())} late and is recorded as missed. Post it now: /incident update <text> [--next 30m]`
    : `@${im}: a stakeholder update on ${i.reference} is due now (${when}). Post it: /incident update <text> [--next 30m]`;
  return { kind: "notice", reference: i.reference, headline: text, fields: [], mentionsInHeadline: true };
}

/** To the IM before the customer incident report is due. */
export function reportReminderView(policy: Policy, i: Incident, dueAt: Date): ChatMessage {
  const im = i.roles.im ?? i.declaredBy;
  const when = formatTime(dueAt, policy.businessHours.timezone);
  return {
    kind: "notice",
    reference: i.reference,
    headline: `@${im}: the customer incident report for ${i.reference} is due by ${when}. When it is sent, run /incident report send.`,
    fields: [],
    mentionsInHeadline: true,
  };
}

/** To stakeholders when the report is not sent by its deadline. */
export function interimNoticeView(policy: Policy, i: Incident): ChatMessage {
  return {
    kind: "announcement",
    reference: i.reference,
    headline: interimHeadline(headline(policy, i)),
    body: interimText({ resolvedAt: i.resolvedAt?.toISOString() ?? null }, policy.businessHours.timezone),
    fields: [],
  };
}
