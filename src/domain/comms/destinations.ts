/**
 * Where stakeholder communications go: named destinations (a chat channel on a platform, an e-mail
 * list, a webhook) and rules choosing them by priority, service and customer. Pure: the policy file
 * gives the destinations and rules; the caller gives the chat platforms running.
 *
 * With no destination configured, every communication goes to the announcements channel of every
 * chat platform running (the incident's own first): one platform keeps today's behaviour, and an
 * incident declared on Slack is announced on Discord too when both run.
 *
 * The incident's customer is named to a destination only when a rule naming that customer chose it,
 * or the destination says `showCustomer: true`: a catch-all rule ("every P1 to #status") does not
 * tell one customer's name to everyone else. The implicit announcements channels name it, as always.
 */

/** A destination as the policy file gives it: exactly one of the channel keys. */
export type DestinationSpec = (
  | { platform: string; channel: string }
  | { email: string[]; timezone?: string | undefined }
  | { webhook: string }
) & {
  /** Name the incident's customer here even when a rule naming no customer chose it. */
  showCustomer?: boolean | undefined;
};

export interface StakeholderRule {
  /** Each criterion given must hold (case-insensitive); an empty rule matches every incident. */
  priorities?: string[] | undefined;
  services?: string[] | undefined;
  customers?: string[] | undefined;
  to: string[];
}

export interface StakeholderPolicy {
  destinations: Record<string, DestinationSpec>;
  rules: StakeholderRule[];
}

export const NO_STAKEHOLDERS: StakeholderPolicy = { destinations: {}, rules: [] };

/**
 * A chosen destination. `implicit`: a platform's announcements channel, used when none is configured.
 * `showsCustomer`: whether its public text names the incident's customer.
 */
export type Destination = (
  | { name: string; kind: "chat"; platform: string; channel: string; implicit: boolean }
  | { name: string; kind: "email"; addresses: string[]; timezone: string | null }
  | { name: string; kind: "webhook"; url: string }
) & { showsCustomer: boolean };

/** The announcements channel of a chat platform ("announcements" is resolved when delivered). */
export const ANNOUNCEMENTS = "announcements";

export function destinationOf(name: string, spec: DestinationSpec, showsCustomer: boolean): Destination {
  if ("platform" in spec) return { name, kind: "chat", platform: spec.platform, channel: spec.channel, implicit: false, showsCustomer };
  if ("email" in spec) return { name, kind: "email", addresses: [...new Set(spec.email.map((a) => a.trim().toLowerCase()))], timezone: spec.timezone ?? null, showsCustomer };
  return { name, kind: "webhook", url: spec.webhook, showsCustomer };
}

interface Facts {
  priority: string;
  service: string | null;
  customer: string | null;
  platform: string;
}

const norm = (s: string) => s.trim().toLowerCase();
/** An incident may name several services or customers: "payments, checkout". */
const values = (v: string | null) => (v ?? "").split(/[,;]/).map(norm).filter(Boolean);
const holds = (want: string[] | undefined, have: string[]) => !want || want.length === 0 || want.some((w) => have.includes(norm(w)));

export function ruleMatches(rule: StakeholderRule, i: Facts): boolean {
  return holds(rule.priorities, [norm(i.priority)]) && holds(rule.services, values(i.service)) && holds(rule.customers, values(i.customer));
}

/**
 * The destinations of an incident's stakeholder communications, in policy order, each once.
 * `platforms`: the chat platforms running (for the implicit announcements channels). A destination
 * shows the customer when it says so, or when a matching rule with a `customers` criterion (so one
 * naming this incident's customer) chose it.
 */
export function chooseDestinations(policy: StakeholderPolicy, i: Facts, platforms: string[]): Destination[] {
  const names = Object.keys(policy.destinations);
  if (names.length === 0) {
    const ordered = [i.platform, ...platforms.filter((p) => p !== i.platform).sort()].filter((p) => platforms.includes(p));
    return ordered.map((p) => ({ name: p === i.platform ? ANNOUNCEMENTS : `${ANNOUNCEMENTS}@${p}`, kind: "chat", platform: p, channel: ANNOUNCEMENTS, implicit: true, showsCustomer: true }));
  }
  const chosen = new Set<string>();
  const forTheCustomer = new Set<string>();
  for (const rule of policy.rules) {
    if (!ruleMatches(rule, i)) continue;
    // A rule for one customer: its destinations are that customer's. One for several is shared by them,
    // and one customer's name is not told to the others.
    const namesCustomer = (rule.customers ?? []).length === 1;
    for (const n of rule.to) {
      chosen.add(n);
      if (namesCustomer) forTheCustomer.add(n);
    }
  }
  return names.filter((n) => chosen.has(n)).map((n) => destinationOf(n, policy.destinations[n]!, policy.destinations[n]!.showCustomer === true || forTheCustomer.has(n)));
}

/**
 * The part of an outbox key naming one delivery of a communication to a destination (an e-mail list
 * gets one per address). The incident's own announcements channel keeps the key it always had.
 */
export function destinationKeyPart(d: Destination, address?: string): string {
  if (d.kind === "chat" && d.implicit) return d.name;
  return address ? `dest:${d.name}:${address}` : `dest:${d.name}`;
}

/**
 * The destinations this deployment cannot reach (a platform not configured, e-mail without SMTP), one
 * sentence each: warned at start-up; their deliveries fail with the same reason and are reported.
 */
export function unreachableDestinations(policy: StakeholderPolicy, platforms: string[], mail: boolean): string[] {
  return Object.entries(policy.destinations).flatMap(([name, spec]) => {
    if ("platform" in spec && !platforms.includes(spec.platform)) return [`stakeholder destination "${name}" is on ${spec.platform}, which is not configured: its deliveries will fail`];
    if ("email" in spec && !mail) return [`stakeholder destination "${name}" is an e-mail list but SMTP_URL is not set: its deliveries will fail`];
    return [];
  });
}
