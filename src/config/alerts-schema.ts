/**
 * Validation of the `alerts` policy key (routing monitoring alerts to incidents, `domain/alerts`).
 * `policy-schema.ts` plugs it in and runs `checkAlerts` with the rest of its cross-checks, so a rule
 * naming an unknown impact, nature, schedule or ladder is reported at its key path.
 */
import { z } from "zod";
import { textSchema } from "./primitives-schema.js";
import { DEFAULT_ALERTS, type AlertsPolicy } from "../domain/alerts/types.js";
import type { Policy } from "../domain/policy.js";
import { escalationLevelSchema } from "./escalation-schema.js";

const text = textSchema;
const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be a label name (letters, digits, _)" });

const REGEX = "must be a valid regular expression";
/**
 * JavaScript's regular expressions backtrack: a quantified group that itself repeats (`(a+)+`) or a
 * back-reference can take exponential time on one label value. Alertmanager's RE2 has neither, so a
 * pattern written for it never needs them.
 */
const NESTED = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;
const BACKREF = /\\[1-9]|\\k</;
const regex = z
  .string()
  .refine(
    (s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
    { error: REGEX },
  )
  .refine((s) => !NESTED.test(s) && !BACKREF.test(s), { error: "must not repeat a repeated group or refer back to a group (write it as Alertmanager's RE2 would take it)" });

const PER_MINUTE = "must be a whole number of incidents per minute, 1 or more";
const perMinute = z.number({ error: PER_MINUTE }).int({ error: PER_MINUTE }).min(1, { error: PER_MINUTE });

const route = z.union([z.strictObject({ schedule: text }), z.strictObject({ ladder: text })], {
  error: 'must be { schedule: <name> } or { ladder: <name> }',
});

export const alertRuleSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'must be a rule name of letters, digits, "_" or "-"' }),
  match: z.record(labelName, text).default({}),
  matchRegex: z.record(labelName, regex).default({}),
  service: text.optional(),
  customer: text.optional(),
  nature: text.optional(),
  impact: text.optional(),
  urgency: text.optional(),
  escalation: route.optional(),
  im: z.record(z.string(), text).optional(),
  declare: z.enum(["auto", "triage"], { error: 'must be "auto" (declare at once) or "triage" (a Declare button in the triage channel)' }).default("auto"),
  autoResolve: z.boolean().default(false),
  maxNewPerMinute: perMinute.optional(),
});

const ladder = z.array(escalationLevelSchema).min(1, { error: "must list at least one level" });

export const alertsSchema = z.strictObject({
  platform: z.enum(["slack", "discord", "console"]).optional(),
  triageChannel: z.record(z.string(), text).default({}),
  maxNewPerMinute: perMinute.default(DEFAULT_ALERTS.maxNewPerMinute),
  onRefire: z.enum(["new", "reopen"], { error: 'must be "new" (a new incident linked to the last) or "reopen"' }).default("new"),
  ladders: z.record(z.string(), z.strictObject({ businessHours: ladder, offHours: ladder })).default({}),
  rules: z.array(alertRuleSchema).default([]),
});

const _isAlerts = (a: z.output<typeof alertsSchema>): AlertsPolicy => a;
void _isAlerts;

/** Rules must name levels, natures, schedules and ladders the policy has, and be named once. */
export function checkAlerts(p: Policy, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path: ["alerts", ...path], message });
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
  const seen = new Set<string>();
  p.alerts.rules.forEach((r, i) => {
    if (seen.has(r.name)) issue(["rules", i, "name"], `repeats the rule name "${r.name}"; names must be unique`);
    seen.add(r.name);
    const known = (key: "impact" | "urgency" | "nature", values: string[]) => {
      const v = r[key];
      if (v !== undefined && !values.includes(v)) issue(["rules", i, key], `references unknown ${key} "${v}"; known: ${values.join(", ")}`);
    };
    known("impact", ids(p.matrix.impacts));
    known("urgency", ids(p.matrix.urgencies));
    known("nature", p.natures);
    const e = r.escalation;
    if (e && "schedule" in e && !p.schedules[e.schedule]) {
      issue(["rules", i, "escalation", "schedule"], `references unknown schedule "${e.schedule}"; known: ${Object.keys(p.schedules).join(", ") || "none (add it under schedules)"}`);
    }
    if (e && "ladder" in e && !p.alerts.ladders[e.ladder]) {
      issue(["rules", i, "escalation", "ladder"], `references unknown ladder "${e.ladder}"; known: ${Object.keys(p.alerts.ladders).join(", ") || "none (add it under alerts.ladders)"}`);
    }
  });
  for (const [name, l] of Object.entries(p.alerts.ladders)) {
    for (const half of ["businessHours", "offHours"] as const) {
      l[half].forEach((level, i) =>
        (level.targets["schedule"] ?? []).forEach((s, j) => {
          if (!p.schedules[s]) issue(["ladders", name, half, i, "targets", "schedule", j], `references unknown schedule "${s}"`);
        }),
      );
    }
  }
}
