/** What the bot posts about alerts: in the war room (resolved alerts), in the triage channel. */
import type { Incident } from "../incident.js";
import type { ChatMessage } from "../views.js";
import type { AlertBatch, NormalisedAlert } from "./types.js";

const MAX_LISTED = 10;

/** "• HighErrorRate (api): error rate above 5%" lines, at most ten and "… and N more". */
export function alertLines(alerts: readonly NormalisedAlert[]): string {
  const shown = alerts.slice(0, MAX_LISTED).map((a) => `• ${a.title}${a.description ? `: ${a.description}` : ""}`);
  if (alerts.length > MAX_LISTED) shown.push(`… and ${alerts.length - MAX_LISTED} more`);
  return shown.join("\n");
}

/**
 * Resolved alerts, in the war room. Once all are resolved: "ask" asks the IM to resolve (Resolve
 * button); "auto" says the bot resolves it (the rule's autoResolve).
 */
export function alertsResolvedView(i: Pick<Incident, "reference" | "roles" | "status">, resolved: readonly NormalisedAlert[], then: "ask" | "auto" | "none"): ChatMessage {
  const im = i.roles.im;
  const allResolved = then === "ask";
  const ask =
    then === "auto"
      ? " All its alerts are resolved: the bot resolves the incident (autoResolve)."
      : allResolved && im
        ? ` All its alerts are resolved: @${im}, resolve the incident if the service is restored.`
        : "";
  return {
    kind: "notice",
    reference: i.reference,
    headline: `✅ ${i.reference}: ${resolved.length === 1 ? "an alert is" : `${resolved.length} alerts are`} resolved.${ask}`,
    body: alertLines(resolved),
    fields: [],
    ...(allResolved && i.status !== "resolved" && i.status !== "closed" ? { actions: [{ id: "resolve" as const, label: "Resolve" }] } : {}),
    mentionsInHeadline: true,
    mentionIds: im ? [im] : [],
  };
}

/** New firing alerts attached to an open incident. */
export function alertsFiringView(i: Pick<Incident, "reference">, firing: readonly NormalisedAlert[]): ChatMessage {
  return {
    kind: "notice",
    reference: i.reference,
    headline: `🔥 ${i.reference}: ${firing.length === 1 ? "an alert is" : `${firing.length} alerts are`} firing.`,
    body: alertLines(firing),
    fields: [],
  };
}

/** The triage channel: alerts of a rule that only proposes incidents, with a Declare button. */
export function triageView(groupRef: string, rule: string, b: AlertBatch, title: string): ChatMessage {
  return {
    kind: "notice",
    reference: groupRef,
    headline: `🔔 Alert from ${b.source} (rule ${rule}): ${title}. Declare an incident if it is one.`,
    body: alertLines(b.alerts),
    fields: [],
    actions: [{ id: "declare", label: "Declare" }],
  };
}

/** The triage channel, when a rule passes its flood bound. */
export function stormView(storm: Pick<Incident, "reference">, rule: string, perMinute: number, title: string): ChatMessage {
  return {
    kind: "notice",
    reference: storm.reference,
    headline: `🌩️ Monitoring storm: rule ${rule} opened ${perMinute} incidents in the last minute; "${title}" and further new alerts of this rule join ${storm.reference} until the rate drops.`,
    fields: [],
  };
}
