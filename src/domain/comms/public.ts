/**
 * The public side of a communication: what stakeholders outside the war room may read. Built from the
 * incident and the words the incident manager wrote for them, and nothing else — no SLA clock (respond-
 * by, resolve-by), no escalation ladder, no roles, no user ids or mentions. Every public destination
 * (announcements channels, chat channels of either platform, e-mail, webhooks) renders this one value;
 * `PublicNotice` is plain JSON, stored in the outbox row of each delivery.
 */
import { formatDuration } from "../duration.js";
import type { Incident } from "../incident.js";
import { statusLabel } from "../lifecycle.js";
import type { Policy } from "../policy.js";
import { formatTime, priorityText, type ChatMessage, type ViewField } from "../views.js";

/** notice (declared or raised to a communicating priority) | update | all-clear | interim | report. */
export type PublicKind = "announcement" | "update" | "allclear" | "interim" | "report";

export interface PublicNotice {
  kind: PublicKind;
  reference: string;
  title: string;
  description: string | null;
  /** "P1", and its words: "P1 Critical". */
  priority: string;
  priorityText: string;
  /** The status in words: "investigating". */
  status: string;
  /** The impact level's words: "Total outage: Total unavailability of production." */
  impact: string;
  service: string | null;
  customer: string | null;
  /** The IM's words (update), the resolution (all-clear), the report (Markdown); scrubbed of mentions. */
  text: string | null;
  declaredAt: string;
  resolvedAt: string | null;
  /** When the next update comes (ISO), for announcements and updates; null when none is promised. */
  nextUpdateAt: string | null;
}

/**
 * Free text made public: chat mentions (`<@U123>`, `<!channel>`, `<@&role>`, `@everyone`, `@alice`)
 * become "the team", so no user id or ping reaches a stakeholder. An e-mail address
 * (`ops@acme.example`) is left alone: the `@` must start a word.
 */
export function publicText(text: string): string {
  return text
    .replace(/<[@!#][^>\s]*>/g, "the team")
    .replace(/(^|[^\w.@-])@[A-Za-z0-9][\w.-]*/g, (_, lead: string) => `${lead}the team`);
}

/**
 * The impact level's words: "Total outage: Total unavailability of production." (just the label when
 * the level has no description; the id when the policy no longer has the level). The war room's
 * views say the same after the level's id (messages.ts).
 */
export function impactWords(policy: Policy, impact: string): string {
  const level = policy.matrix.impacts.find((l) => l.id === impact);
  return level ? `${level.label}: ${level.description}`.replace(/:\s*$/, "") : impact;
}

export function publicNotice(policy: Policy, i: Incident, kind: PublicKind, text: string | null, next: Date | null): PublicNotice {
  return {
    kind,
    reference: i.reference,
    // The title is free text too: `Checkout down for <@U024BE7LH>` must not carry the id to a customer.
    title: publicText(i.title),
    description: i.description ? publicText(i.description) : null,
    priority: i.priority,
    priorityText: priorityText(policy, i.priority),
    status: statusLabel(i.status),
    impact: impactWords(policy, i.impact),
    service: i.service,
    customer: i.customer,
    text: text === null ? null : publicText(text),
    declaredAt: i.declaredAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    nextUpdateAt: kind === "announcement" || kind === "update" ? (next?.toISOString() ?? null) : null,
  };
}

const at = (iso: string, tz: string) => formatTime(new Date(iso), tz);

/** The one-line headline of each kind, the same on every destination. */
export function publicHeadline(n: PublicNotice): string {
  const about = `${n.reference} · ${n.priorityText} · ${n.title}`;
  switch (n.kind) {
    case "announcement":
      return `Incident declared: ${about}`;
    case "update":
      return `Update on ${about}`;
    case "allclear":
      return allClearHeadline(n.reference, n.title);
    case "interim":
      return interimHeadline(about);
    case "report":
      return `Incident report ${n.reference}: ${n.title}`;
  }
}

/*
 * The all-clear and the interim notice say the same to stakeholders and in the war room: the war
 * room's views (messages.ts) are built from these, with the incident's own words unscrubbed.
 */
export const allClearHeadline = (reference: string, title: string): string => `All clear: ${reference} · ${title} is resolved`;
export const interimHeadline = (about: string): string => `Incident report in preparation: ${about}`;

/** What the all-clear tells: the incident's facts and the resolution (`text`). */
export type AllClearFacts = Pick<PublicNotice, "title" | "description" | "service" | "customer" | "text" | "declaredAt" | "resolvedAt">;

/** The all-clear in plain words: what happened, how it was fixed, how long it lasted. */
export function allClearLines(n: AllClearFacts, tz: string): string[] {
  const what = n.description ? `${n.title}: ${n.description}` : n.title;
  const where = [n.service ? `service ${n.service}` : null, n.customer ? `customer ${n.customer}` : null].filter(Boolean).join(", ");
  const end = n.resolvedAt ?? n.declaredAt;
  const lasted = formatDuration(new Date(end).getTime() - new Date(n.declaredAt).getTime());
  return [
    `What happened: ${what}${where ? ` (affecting ${where})` : ""}.`,
    `How it was fixed: ${n.text ?? "resolved"}`,
    `It lasted ${lasted}, from ${at(n.declaredAt, tz)} to ${at(end, tz)}. The incident report will follow.`,
  ];
}

/** The interim notice's sentence: the report is late but coming. */
export function interimText(n: Pick<PublicNotice, "resolvedAt">, tz: string): string {
  const resolved = n.resolvedAt ? ` (resolved ${at(n.resolvedAt, tz)})` : "";
  return `The incident report for this incident${resolved} is being prepared and will be sent as soon as it is complete.`;
}

/** The facts as labelled fields, in `tz`: what every renderer lists. */
export function publicFields(n: PublicNotice, tz: string): ViewField[] {
  const next = { label: "Next update", value: n.nextUpdateAt ? at(n.nextUpdateAt, tz) : "none scheduled" };
  switch (n.kind) {
    case "announcement": {
      const fields: ViewField[] = [{ label: "Status", value: n.status }, { label: "Priority", value: n.priorityText }, { label: "Impact", value: n.impact }];
      if (n.service) fields.push({ label: "Service", value: n.service });
      if (n.customer) fields.push({ label: "Customer", value: n.customer });
      return [...fields, next];
    }
    case "update":
      return [{ label: "Status", value: n.status }, { label: "Impact", value: n.impact }, { label: "Actions in progress", value: n.text ?? "" }, next];
    default:
      return [];
  }
}

/** The body text of the kinds that speak in sentences (all-clear, interim, report). */
export function publicBody(n: PublicNotice, tz: string): string | undefined {
  switch (n.kind) {
    case "allclear":
      return allClearLines(n, tz).join("\n");
    case "interim":
      return interimText(n, tz);
    case "report":
      return n.text ?? undefined;
    default:
      return undefined;
  }
}

/**
 * For a chat channel: no field carries mentions. `warRoom` names the war room to stakeholders on the
 * incident's own platform, who can join it; elsewhere it would be a dead name.
 */
export function publicChatMessage(n: PublicNotice, tz: string, warRoom?: string | null): ChatMessage {
  const fields = publicFields(n, tz);
  if (warRoom && n.kind === "announcement") fields.push({ label: "War room", value: `#${warRoom}` });
  const body = publicBody(n, tz);
  return {
    kind: n.kind === "announcement" || n.kind === "interim" ? "announcement" : n.kind === "report" ? "notice" : "update",
    reference: n.reference,
    headline: publicHeadline(n),
    ...(body !== undefined ? { body } : {}),
    fields,
  };
}

/** The JSON a webhook destination receives (with an `Idempotency-Key` header carrying `idempotencyKey`). */
export function webhookBody(n: PublicNotice, idempotencyKey: string, destination: string): Record<string, unknown> {
  return {
    type: `incident.${n.kind}`,
    idempotencyKey,
    destination,
    headline: publicHeadline(n),
    incident: { reference: n.reference, title: n.title, priority: n.priority, priorityText: n.priorityText, status: n.status, impact: n.impact, service: n.service, customer: n.customer, declaredAt: n.declaredAt, resolvedAt: n.resolvedAt },
    text: n.text,
    nextUpdateAt: n.nextUpdateAt,
  };
}
