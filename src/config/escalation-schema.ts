/**
 * Validation of the `escalation` policy key (the ladders). `policy-schema.ts` plugs these in; the
 * cross-checks need the priority ids, so they run from its `crossCheck`.
 */
import { z } from "zod";
import { httpUrlSchema, textSchema } from "./primitives-schema.js";
import type { EscalationPolicy } from "../domain/policy.js";

const MINUTES = "must be a positive whole number of minutes";
const minutes = z.number({ error: MINUTES }).int({ error: MINUTES }).positive({ error: MINUTES });

const httpUrl = httpUrlSchema;

/** A chat id as the platform gives it: a YAML number (Discord snowflake) is taken as text. */
const chatId = textSchema;

export const escalationLevelSchema = z.strictObject({
  name: z.string().trim().min(1),
  /** Per platform, chat ids; `schedule: desk` (or a list) pages whoever is on call on that schedule. */
  targets: z.record(z.string(), z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(chatId))).default({}),
  webhook: httpUrl.optional(),
  email: z.email({ error: "must be an e-mail address" }).optional(),
  ackTimeoutMinutes: minutes,
});

const ladderSchema = z.array(escalationLevelSchema).min(1, { error: "must list at least one level" });
const priorityTimeoutsSchema = z.record(z.string(), z.strictObject({ businessHours: minutes.optional(), offHours: minutes.optional() }));
const repeatSchema = z.number().int().min(0, { error: "must be a whole number, 0 or more" });

export const escalationSchema = z.strictObject({
  businessHours: ladderSchema,
  offHours: ladderSchema,
  priorityTimeouts: priorityTimeoutsSchema,
  repeatTopLevel: repeatSchema,
  managementLevel: z.string().trim().min(1),
});

/** In a file every key is optional; given ladders replace the default ones as a whole. */
export const escalationOverrideSchema = escalationSchema.partial();

type Ctx = z.RefinementCtx;

export function checkEscalation(e: EscalationPolicy, priorityIds: Set<string>, ctx: Ctx): void {
  for (const ladder of ["businessHours", "offHours"] as const) {
    const seen = new Set<string>();
    e[ladder].forEach((level, i) => {
      const key = level.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["escalation", ladder, i, "name"], message: `repeats the level name "${level.name}"; names must be unique in a ladder` });
      seen.add(key);
    });
    if (!e[ladder].some((l) => l.name.toLowerCase() === e.managementLevel.toLowerCase())) {
      ctx.addIssue({
        code: "custom",
        path: ["escalation", "managementLevel"],
        message: `must name a level of the ${ladder} ladder ("${e.managementLevel}" is not one of ${e[ladder].map((l) => l.name).join(", ")})`,
      });
    }
  }
  for (const id of Object.keys(e.priorityTimeouts)) {
    if (!priorityIds.has(id)) ctx.addIssue({ code: "custom", path: ["escalation", "priorityTimeouts", id], message: `references unknown priority "${id}"; known: ${[...priorityIds].join(", ")}` });
  }
}
