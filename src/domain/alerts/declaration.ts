/** What an incident declared from alerts says: its title and description from the alerts, its classification from the route. */
import type { Route } from "./routing.js";
import type { AlertBatch, NormalisedAlert } from "./types.js";
import { alertLines } from "./views.js";

export interface AlertDeclaration {
  title: string;
  description: string;
  impact: string;
  urgency: string;
  nature?: string | undefined;
  service?: string | undefined;
  customer?: string | undefined;
}

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A title for `alerts` of a group: the first one's (else the group's), and how many more there are. */
export function alertsTitle(b: AlertBatch, alerts: readonly NormalisedAlert[]): string {
  const first = alerts[0]?.title ?? b.title ?? "Alert";
  return alerts.length > 1 ? `${first} (+${alerts.length - 1} more)` : first;
}

/** The declaration of a group's firing alerts, cut to the command table's limits (`titleMax`, `textMax`). */
export function declarationOf(route: Route, b: AlertBatch, titleMax: number, textMax: number): AlertDeclaration {
  const firing = b.alerts.filter((a) => a.status === "firing");
  const shown = firing.length ? firing : b.alerts;
  const title = alertsTitle(b, shown);
  const links = [...new Set(shown.map((a) => a.url).filter((u): u is string => !!u))].slice(0, 3);
  const text = [`Detected by ${b.source} (rule ${route.rule.name}).`, alertLines(shown), ...links].join("\n");
  return {
    title: cut(title, titleMax),
    // Room is kept for the line that links a recurrence to the previous incident.
    description: cut(text, textMax - 120),
    impact: route.impact,
    urgency: route.urgency,
    nature: route.rule.nature,
    service: route.service ? cut(route.service, titleMax) : undefined,
    customer: route.rule.customer,
  };
}
