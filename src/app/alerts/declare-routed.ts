/** Declares an incident for alerts: the `declare` use case, detected by monitoring, routed by its rule. */
import type { AlertDeclaration } from "../../domain/alerts/declaration.js";
import type { Route } from "../../domain/alerts/routing.js";
import type { Incident } from "../../domain/incident.js";
import type { AppContext, Invocation } from "../context.js";
import { declare } from "../declare.js";

export interface RoutedDeclaration {
  /** Checked by the command layer against the declare command's rules (limits, levels, natures). */
  draft: AlertDeclaration;
  /** The incident these alerts opened before, now resolved: the new one links back to it. */
  previous: Incident | null;
  im: string;
  /** Overrides the draft's title (the storm incident). */
  title?: string;
}

export async function declareRouted(ctx: AppContext, inv: Invocation, route: Route, d: RoutedDeclaration): Promise<Incident> {
  const again = d.previous ? `\nFiring again after ${d.previous.reference} was ${d.previous.status}.` : "";
  const declared = await declare(ctx, inv, {
    ...d.draft,
    ...(d.title ? { title: d.title } : {}),
    description: d.draft.description + again,
    detectedBy: "monitoring",
    im: d.im,
    escalation: route.rule.escalation,
  });
  return declared.incident;
}
