/** What an incident declared from alerts says: its title and description from the alerts, its classification from the route. */
import type { Route } from "./routing.js";
import type { AlertBatch } from "./types.js";
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

/** The declaration of a group's firing alerts, cut to the command table's limits (`titleMax`, `textMax`). */
export function declarationOf(route: Route, b: AlertBatch, titleMax: number, textMax: number): AlertDeclaration {
  const firing = b.alerts.filter((a) => a.status === "firing");
  const shown = firing.length ? firing : b.alerts;
  const first = shown[0]?.title ?? b.title ?? "Alert";
  const title = shown.length > 1 ? `${first} (+${shown.length - 1} more)` : first;
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
