/**
 * Platform-neutral view models of what the bot posts: the incident summary (pinned in the war room
 * and edited in place), the announcement, short notices. Console text, Slack Block Kit and Discord
 * embeds all render these, so every platform shows the same facts. Plain JSON: stored in the outbox.
 */
import { DateTime } from "luxon";
import { priorityDef } from "./classification.js";
import { ROLE_LABELS, ROLES, type ChildIncident, type Incident } from "./incident.js";
import { statusLabel } from "./lifecycle.js";
import type { Policy } from "./policy.js";

export interface ViewField {
  label: string;
  value: string;
  /** The value is composed by the bot (no user text) and its `@id` words are user mentions. */
  mentions?: boolean;
}

export interface ViewAction {
  /** `cover`: on-call cover requests; `declare`: the triage channel's button on an alert group (ALERT-<n>). */
  id: "ack" | "update" | "resolve" | "rca" | "cover" | "declare";
  label: string;
  /** What the button carries back; the message's `reference` when absent (cover: the request's number). */
  value?: string;
}

export interface ChatMessage {
  kind: "summary" | "announcement" | "notice" | "update";
  reference?: string;
  /** One line: what this is about. */
  headline: string;
  body?: string;
  fields: ViewField[];
  actions?: ViewAction[];
  /** A file to attach where the platform allows (base64); elsewhere the message is posted without it. */
  file?: { name: string; base64: string };
  /** The headline is composed by the bot and its `@id` words are user mentions (reminders, pages). */
  mentionsInHeadline?: boolean;
  /** With `mentionsInHeadline`: only these ids are mentions (the headline also quotes people's text). */
  mentionIds?: string[];
}

/**
 * The one written form of a moment, everywhere (chat, the incident report, the digests):
 * "2026-11-23 11:00 UTC+01:00". The offset rather than a zone abbreviation: the ICU data behind
 * abbreviations gives "GMT+1" or "CET" for Paris depending on locale, and none at all for many zones.
 */
export function formatTime(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat("yyyy-LL-dd HH:mm 'UTC'ZZ");
}

/** "P1 Critical"; the label alone when it only repeats the id ("EMERGENCY", not "EMERGENCY Emergency"). */
export function priorityText(policy: Policy, priorityId: string): string {
  const p = priorityDef(policy.matrix, priorityId);
  if (!p) return priorityId;
  return p.label.trim().toLowerCase() === p.id.trim().toLowerCase() ? p.id : `${p.id} ${p.label}`;
}

export function headline(policy: Policy, i: Incident): string {
  return `${i.reference} · ${priorityText(policy, i.priority)} · ${i.title}`;
}

function rolesText(i: Incident): string {
  const held = ROLES.filter((r) => i.roles[r]).map((r) => `${ROLE_LABELS[r]}: @${i.roles[r]}`);
  return held.length ? held.join(", ") : "none";
}

export function incidentFields(policy: Policy, i: Incident): ViewField[] {
  const tz = policy.businessHours.timezone;
  const fields: ViewField[] = [
    { label: "Status", value: statusLabel(i.status) },
    { label: "Priority", value: `${priorityText(policy, i.priority)} (impact ${i.impact}, urgency ${i.urgency})` },
    { label: "Roles", value: rolesText(i), mentions: true },
    { label: "Declared", value: `${formatTime(i.declaredAt, tz)} by @${i.declaredBy}`, mentions: true },
  ];
  if (i.service) fields.push({ label: "Service", value: i.service });
  if (i.customer) fields.push({ label: "Customer", value: i.customer });
  if (i.nature) fields.push({ label: "Nature", value: i.nature });
  if (i.detectedBy) fields.push({ label: "Detected by", value: i.detectedBy });
  if (i.acknowledgedAt) {
    fields.push({ label: "Acknowledged", value: `${formatTime(i.acknowledgedAt, tz)} by @${i.acknowledgedBy}`, mentions: true });
  } else if (i.respondBy) fields.push({ label: "Respond by", value: formatTime(i.respondBy, tz) });
  if (i.resolveBy) fields.push({ label: "Resolve by", value: formatTime(i.resolveBy, tz) });
  if (i.nextUpdateAt && i.status !== "resolved" && i.status !== "closed") fields.push({ label: "Next update", value: formatTime(i.nextUpdateAt, tz) });
  return fields;
}

/** The pinned war-room summary, edited in place on every change. */
export function summaryView(policy: Policy, i: Incident, children: ChildIncident[] = []): ChatMessage {
  const open = i.status !== "resolved" && i.status !== "closed";
  const view: ChatMessage = {
    kind: "summary",
    reference: i.reference,
    headline: headline(policy, i),
    fields: incidentFields(policy, i),
  };
  if (children.length) view.fields.push({ label: "Child incidents", value: children.map((c) => `${c.reference} (${statusLabel(c.status)})`).join(", ") });
  if (i.description) view.body = i.description;
  if (open) {
    view.actions = [
      // Once someone has it in hand, the button goes: nobody else is asked to acknowledge.
      ...(i.acknowledgedAt ? [] : [{ id: "ack" as const, label: "Acknowledge" }]),
      { id: "update", label: "Post update" },
      { id: "resolve", label: "Resolve" },
    ];
  } else if (i.status === "resolved") {
    view.actions = [{ id: "rca", label: "RCA form" }];
  }
  return view;
}

export function noticeView(i: Pick<Incident, "reference">, text: string): ChatMessage {
  return { kind: "notice", reference: i.reference, headline: text, fields: [] };
}

/** The war-room topic: priority · status · IM · reference. */
export function topicText(policy: Policy, i: Incident): string {
  const im = i.roles.im ? `IM @${i.roles.im}` : "no IM";
  // The reference is the war room's marker: a retried creation adopts a channel only if it carries it.
  return `${priorityText(policy, i.priority)} · ${statusLabel(i.status)} · ${im} · ${i.reference}`;
}
