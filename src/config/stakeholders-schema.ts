/**
 * Validation of the `stakeholders` policy key: named destinations (a Slack, Discord or console
 * channel, an e-mail list, a webhook) and the rules choosing them by priority, service and customer.
 * `policy-schema.ts` plugs it in; the cross-checks (rules name known destinations and priorities) run
 * from its `crossCheck`. Whether a destination's platform is configured is known only with the
 * environment: main.ts warns at start-up, and such a delivery fails with a reason saying so.
 */
import { z } from "zod";
import { httpUrlSchema, textSchema } from "./primitives-schema.js";
import type { DestinationSpec, StakeholderPolicy } from "../domain/comms/destinations.js";
import { timezoneSchema } from "./primitives-schema.js";

const NAME = 'must be a destination name made of letters, digits, "_", "." or "-", e.g. "customers-acme"';
const nameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: NAME });

/** A chat channel id as the platform gives it (quote Discord ids: YAML numbers lose digits). */
const channel = textSchema;
const EMAIL = "must be an e-mail address such as ops@acme.example";
const address = z.string().trim().regex(/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/, { error: EMAIL });
const httpUrl = httpUrlSchema;

const CHANNEL_KEYS = ["slack", "discord", "console", "email", "webhook"] as const;

export const destinationSchema = z
  .strictObject({
    slack: channel.optional(),
    discord: channel.optional(),
    console: channel.optional(),
    email: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(address).min(1, { error: "must list at least one address" })).optional(),
    /** The list's timezone for the times in its e-mails; the business-hours timezone by default. */
    timezone: timezoneSchema.optional(),
    webhook: httpUrl.optional(),
    /** Name the incident's customer here even when a rule naming no customer chose this destination. */
    showCustomer: z.boolean().optional(),
  })
  .superRefine((d, ctx) => {
    const given = CHANNEL_KEYS.filter((k) => d[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: "custom", message: `must have exactly one of ${CHANNEL_KEYS.join(", ")} (got ${given.length ? given.join(" and ") : "none"}), e.g. { slack: C0123456789 } or { email: [ops@acme.example] }` });
    }
    if (d.timezone !== undefined && d.email === undefined) ctx.addIssue({ code: "custom", path: ["timezone"], message: "is for e-mail lists only (chat platforms show times in the reader's own zone)" });
  })
  .transform((d): DestinationSpec => {
    const show = d.showCustomer ? { showCustomer: true } : {};
    if (d.email) return { email: d.email, timezone: d.timezone, ...show };
    if (d.webhook) return { webhook: d.webhook, ...show };
    const platform = (["slack", "discord", "console"] as const).find((k) => d[k] !== undefined)!;
    return { platform, channel: d[platform]!, ...show };
  });

const list = z.preprocess((v) => (typeof v === "string" || typeof v === "number" ? [String(v)] : v), z.array(z.string().trim().min(1)));

export const stakeholderRuleSchema = z.strictObject({
  priorities: list.optional(),
  services: list.optional(),
  customers: list.optional(),
  to: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(nameSchema).min(1, { error: "must name at least one destination" })),
});

export const stakeholdersSchema = z.strictObject({
  destinations: z
    .record(z.string(), destinationSchema)
    .superRefine((ds, ctx) => {
      for (const k of Object.keys(ds)) if (!nameSchema.safeParse(k).success) ctx.addIssue({ code: "custom", path: [k], message: `${NAME} (got "${k}")` });
    })
    .default({}),
  rules: z.array(stakeholderRuleSchema).default([]),
});

// A compile-time check that the schema's output is the domain's type.
const _isPolicy = (s: z.output<typeof stakeholdersSchema>): StakeholderPolicy => s;
void _isPolicy;

/** Rules name destinations that exist and priorities of the matrix; destinations are used by some rule. */
export function checkStakeholders(s: StakeholderPolicy, priorityIds: Set<string>, ctx: z.RefinementCtx): void {
  const names = Object.keys(s.destinations);
  const known = names.length ? names.join(", ") : "none (add it under stakeholders.destinations)";
  const priorities = new Set([...priorityIds].map((p) => p.toLowerCase()));
  s.rules.forEach((r, i) => {
    r.to.forEach((n, j) => {
      if (s.destinations[n] === undefined) ctx.addIssue({ code: "custom", path: ["stakeholders", "rules", i, "to", j], message: `references unknown destination "${n}"; known: ${known}` });
    });
    (r.priorities ?? []).forEach((p, j) => {
      if (!priorities.has(p.toLowerCase())) ctx.addIssue({ code: "custom", path: ["stakeholders", "rules", i, "priorities", j], message: `references unknown priority "${p}"; known: ${[...priorityIds].join(", ")}` });
    });
  });
  if (names.length > 0 && s.rules.length === 0) {
    ctx.addIssue({ code: "custom", path: ["stakeholders", "rules"], message: "is empty: with destinations configured, rules choose them (a rule without criteria, e.g. { to: [status] }, takes every incident)" });
  }
}

/** The key inside a complete policy (its destinations already read by `stakeholdersSchema`). */
export const stakeholderPolicySchema = z.strictObject({
  destinations: z.record(z.string(), z.custom<DestinationSpec>((v) => typeof v === "object" && v !== null)),
  rules: z.array(stakeholderRuleSchema),
});
