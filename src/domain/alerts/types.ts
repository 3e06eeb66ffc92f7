/**
 * Alerts from monitoring, as the bot keeps them whatever sent them (Alertmanager, Grafana, a generic
 * webhook), and the routing policy that turns them into incidents. Plain data: the HTTP adapter
 * builds `AlertBatch`es, the `alert` command carries them, `app/alerts` acts on them.
 */
import type { EscalationLevel } from "../policy.js";

export const ALERT_SOURCES = ["alertmanager", "grafana", "webhook"] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];
export type AlertStatus = "firing" | "resolved";

/** One alert of a notification. */
export interface NormalisedAlert {
  /** Identity of the alert within its group (Alertmanager / Grafana fingerprint, the generic key). */
  fingerprint: string;
  status: AlertStatus;
  /** What is wrong, in a few words (summary annotation, alertname, the generic title). */
  title: string;
  description: string | null;
  labels: Record<string, string>;
  /** When this firing started (ISO), where the sender says so; a new value is a new firing. */
  startsAt: string | null;
  /** A link back to the monitoring (generatorURL). */
  url: string | null;
}

/** One notification: the alerts of one group, as one POST brought them. */
export interface AlertBatch {
  source: AlertSource;
  /** Alertmanager / Grafana `groupKey`, the generic `key`: alerts of one group share one incident. */
  groupKey: string;
  /** The notification's title (Grafana `title`), if any. */
  title: string | null;
  /** Labels common to the group (routing reads these, then the first alert's). */
  labels: Record<string, string>;
  alerts: NormalisedAlert[];
}

/** Where a routed incident's pages go: a schedule first (then the default ladder), or a named ladder. */
export type EscalationRoute = { schedule: string } | { ladder: string };

export interface AlertRule {
  name: string;
  /** Label equality: every listed label must have exactly this value. */
  match: Record<string, string>;
  /** Label regular expressions, anchored at both ends (as Alertmanager's `match_re`). */
  matchRegex: Record<string, string>;
  service?: string | undefined;
  customer?: string | undefined;
  nature?: string | undefined;
  impact?: string | undefined;
  urgency?: string | undefined;
  escalation?: EscalationRoute | undefined;
  /** Incident manager per platform; default: the first person paged. */
  im?: Record<string, string> | undefined;
  /** "auto": declare at once; "triage": post to the triage channel with a Declare button. */
  declare: "auto" | "triage";
  /** Resolve the incident when all its alerts are resolved, with the alerts as its summary. */
  autoResolve: boolean;
  /** At most this many new incidents per minute from this rule (default: the policy's). */
  maxNewPerMinute?: number | undefined;
}

/** A ladder of its own for routed incidents: levels per business hours and off hours. */
export interface AlertLadder {
  businessHours: EscalationLevel[];
  offHours: EscalationLevel[];
}

export interface AlertsPolicy {
  /** The chat where routed incidents are declared; default the first of slack, discord, console running. */
  platform?: string | undefined;
  /** Triage channel per platform (ids); default the platform's announcements channel. */
  triageChannel: Record<string, string>;
  /** Flood bound: new incidents per minute per rule; past it, alerts join the rule's storm incident. */
  maxNewPerMinute: number;
  /** A new firing after its incident was resolved: a new incident linked to it, or the old one reopened. */
  onRefire: "new" | "reopen";
  ladders: Record<string, AlertLadder>;
  /** First match wins; no match → the default route (declare, the matrix's middle levels). */
  rules: AlertRule[];
}

export const DEFAULT_ALERTS: AlertsPolicy = { triageChannel: {}, maxNewPerMinute: 10, onRefire: "new", ladders: {}, rules: [] };

/** The system user that monitoring acts as: declarer of alert incidents, author of their alert entries. */
export const MONITORING_USER = "monitoring";
