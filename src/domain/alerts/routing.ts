/**
 * Routing: which rule of the policy an alert group falls under, and what that rule makes of it —
 * classification, incident manager, escalation ladder. Pure: the policy and the labels in, data out.
 */
import { stepAt, levelTargets } from "../escalation/ladder.js";
import type { Override } from "../oncall/overrides.js";
import type { Policy } from "../policy.js";
import { MONITORING_USER, type AlertBatch, type AlertRule, type EscalationRoute } from "./types.js";

/** The rule used when none matches: declare automatically, the matrix's middle levels (I2 × U2: P2). */
export const DEFAULT_RULE_NAME = "default";

/** Anchored as Alertmanager anchors `match_re`: the whole value must match. */
export const anchored = (re: string): RegExp => new RegExp(`^(?:${re})$`);

export function ruleMatches(rule: AlertRule, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(rule.match)) if ((labels[k] ?? "") !== v) return false;
  for (const [k, re] of Object.entries(rule.matchRegex)) if (!anchored(re).test(labels[k] ?? "")) return false;
  return true;
}

/** The labels a group is routed on: its common labels, completed by its first alert's. */
export function routingLabels(b: AlertBatch): Record<string, string> {
  return { ...(b.alerts[0]?.labels ?? {}), ...b.labels };
}

const middle = <T>(xs: readonly T[]): T => xs[Math.floor((xs.length - 1) / 2)]!;

export interface Route {
  rule: AlertRule;
  impact: string;
  urgency: string;
  service: string | undefined;
}

/** The first rule whose matchers all hold, or the default route. */
export function routeFor(policy: Policy, b: AlertBatch): Route {
  const labels = routingLabels(b);
  const rule = policy.alerts.rules.find((r) => ruleMatches(r, labels)) ?? {
    name: DEFAULT_RULE_NAME,
    match: {},
    matchRegex: {},
    declare: "auto",
    autoResolve: false,
  };
  return {
    rule,
    impact: rule.impact ?? middle(policy.matrix.impacts).id,
    urgency: rule.urgency ?? middle(policy.matrix.urgencies).id,
    service: rule.service ?? labels["service"] ?? undefined,
  };
}

/**
 * The policy as the ladder of a routed incident sees it: a named ladder replaces both of the
 * policy's; a schedule becomes level 1 of both (the rest of the ladder follows). A route naming
 * something the policy no longer has leaves the policy's ladders.
 */
export function routedPolicy(policy: Policy, route: EscalationRoute | null | undefined): Policy {
  if (!route) return policy;
  const e = policy.escalation;
  if ("ladder" in route) {
    const l = policy.alerts.ladders[route.ladder];
    return l ? { ...policy, escalation: { ...e, businessHours: l.businessHours, offHours: l.offHours } } : policy;
  }
  if (!policy.schedules[route.schedule]) return policy;
  const first = (levels: typeof e.businessHours) => [
    { name: `on call (${route.schedule})`, targets: { schedule: [route.schedule] }, ackTimeoutMinutes: levels[0]!.ackTimeoutMinutes },
    ...levels.slice(1),
  ];
  return { ...policy, escalation: { ...e, businessHours: first(e.businessHours), offHours: first(e.offHours) } };
}

/**
 * The incident manager of a routed incident: the rule's, else the first person its ladder pages now —
 * with the schedules' overrides, as the page itself goes (send-page.ts).
 */
export function routedIm(policy: Policy, route: Route, platform: string, at: Date, overrides: Readonly<Record<string, readonly Override[]>> = {}): string {
  const named = route.rule.im?.[platform];
  if (named) return named;
  const step = stepAt(routedPolicy(policy, route.rule.escalation), 0, at);
  return (step && levelTargets(policy, step.level, platform, at, overrides)[0]) ?? MONITORING_USER;
}
