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

function impactText(policy: Policy, i: Incident): string {
  const level = policy.matrix.impacts.find((l) => l.id === i.impact);
  return level ? `${level.id} — ${level.label}: ${level.description}` : i.impact;
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

/** The all-clear: what happened and how it was fixed, in plain words. */
export function allClearView(policy: Policy, i: Incident, resolution: string, resolvedAt: Date): ChatMessage {
  const tz = policy.businessHours.timezone;
  const what = i.description ? `${i.title}: ${i.description}` : i.title;
  const where = affectedParts(i);
  const lasted = formatDuration(resolvedAt.getTime() - i.declaredAt.getTime());
  const body = [
    `What happened: ${what}${where ? ` (affecting ${where})` : ""}.`,
    `How it was fixed: ${resolution}`,
    `It lasted ${lasted}, from ${formatTime(i.declaredAt, tz)} to ${formatTime(resolvedAt, tz)}. The incident report will follow.`,
  ].join("\n");
  return { kind: "update", reference: i.reference, headline: `All clear: ${i.reference} · ${i.title} is resolved`, body, fields: [] };
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
  const resolved = i.resolvedAt ? ` (resolved ${formatTime(i.resolvedAt, policy.businessHours.timezone)})` : "";
  return {
    kind: "announcement",
    reference: i.reference,
    headline: `Incident report in preparation: ${headline(policy, i)}`,
    body: `The incident report for this incident${resolved} is being prepared and will be sent as soon as it is complete.`,
    fields: [],
  };
}
