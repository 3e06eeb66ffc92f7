/**
 * zod schemas for the process policy (DESIGN §2–3):
 * - `policySchema` validates a *complete* `Policy`, including the cross-references (matrix cells,
 *   SLA and cadence keys, business hours);
 * - `policyOverrideSchema` validates the *file*: a partial override that `parsePolicy` merges over
 *   `DEFAULT_POLICY` (see `policy-file.ts` for the merge rules).
 * Messages are predicates ("must be …"); `formatIssue` adds the key path and the offending value.
 */
import { ACCESS_RULES, DEFAULT_PERMISSIONS } from "../commands/table.js";
import { z } from "zod";
import { WEEKDAYS, type Policy, type Weekday } from "../domain/policy.js";
import { checkEscalation, escalationOverrideSchema, escalationSchema } from "./escalation-schema.js";
import { PROCEDURES } from "../domain/rca/policy.js";
import { schedulesSchema } from "./oncall-schema.js";
import { checkStakeholders, stakeholderPolicySchema, stakeholdersSchema } from "./stakeholders-schema.js";
import { alertsSchema, checkAlerts } from "./alerts-schema.js";
import { END_TIME, endTimeSchema, TIME, timeSchema } from "./primitives-schema.js";
export { localDateSchema, timezoneSchema } from "./primitives-schema.js";
import { localDateSchema, timezoneSchema } from "./primitives-schema.js";

/** A strict object whose unknown keys are reported with the allowed ones. */
function obj<S extends z.ZodRawShape>(shape: S) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `has unknown key${iss.keys.length === 1 ? "" : "s"} ${iss.keys.map((k) => JSON.stringify(k)).join(", ")}; allowed: ${allowed}`
        : undefined,
  });
}

/** Ids are command tokens (`/incident classify I1 U2`): no spaces. YAML numbers are taken as text. */
const ID_MESSAGE = 'must be an id made of letters, digits, "_" or "-" (no spaces), e.g. "P1"';
const numberToText = (v: unknown) => (typeof v === "number" ? String(v) : v);
export const idSchema = z.preprocess(
  numberToText,
  z.string({ error: ID_MESSAGE }).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: ID_MESSAGE }),
);

const nonEmptyText = z.string().trim().min(1);

const MINUTES = "must be a positive whole number of minutes";
export const minutesSchema = z.number({ error: MINUTES }).int({ error: MINUTES }).positive({ error: MINUTES });

export const clockSchema = z.enum(["24x7", "business"]);

export const workIntervalSchema = obj({ start: timeSchema, end: endTimeSchema }).superRefine((iv, ctx) => {
  if (TIME.test(iv.start) && END_TIME.test(iv.end) && iv.end <= iv.start) {
    ctx.addIssue({ code: "custom", path: ["end"], message: `must be later than start ${iv.start} (got "${iv.end}")` });
  }
});

export const levelSchema = obj({ id: idSchema, label: nonEmptyText, description: z.string().default("") });
export const priorityDefSchema = obj({ id: idSchema, label: nonEmptyText, communication: z.boolean() });

export const matrixSchema = obj({
  impacts: z.array(levelSchema).min(1),
  urgencies: z.array(levelSchema).min(1),
  /** In rank order: the first is the most urgent. */
  priorities: z.array(priorityDefSchema).min(1),
  cells: z.record(z.string(), z.record(z.string(), idSchema)),
});

const slaShape = { respondMinutes: minutesSchema, resolveMinutes: minutesSchema, clock: clockSchema };
export const slaTargetSchema = obj(slaShape);

const dayHours = z.array(workIntervalSchema);
const weekShape = Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.optional()])) as Record<
  (typeof WEEKDAYS)[number],
  z.ZodOptional<typeof dayHours>
>;
/** In a file, `sat: null` (or `[]`) also means "no hours that day". */
const weekOverrideShape = Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours.nullable().optional()])) as Record<
  (typeof WEEKDAYS)[number],
  z.ZodOptional<z.ZodNullable<typeof dayHours>>
>;

const natureSchema = z.preprocess(
  numberToText,
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'must be a word of letters, digits, "_" or "-" (no spaces)' }),
);
export const naturesSchema = z.array(natureSchema).min(1);
export const referencePrefixSchema = z
  .string()
  .regex(/^[A-Z]{1,10}$/, { error: 'must be 1 to 10 capital letters, e.g. "INC"' });

export const businessCalendarSchema = obj({
  timezone: timezoneSchema,
  week: obj(weekShape),
  holidays: z.array(localDateSchema),
});

const HOURS = "must be a whole number of hours greater than 0";
const hoursSchema = z.number({ error: HOURS }).int({ error: HOURS }).positive({ error: HOURS });
export const customerReportSchema = obj({ dueHours: hoursSchema, reminderHours: hoursSchema }).refine((r) => r.reminderHours < r.dueHours, {
  error: "reminderHours must be less than dueHours (the reminder comes before the report is due)",
  path: ["reminderHours"],
});
/** RCA sections: `id` is how commands and the report name a section (lower case, "_" allowed). */
const SECTION_ID = 'must be a lower-case id of letters, digits or "_", e.g. "root_cause"';
export const rcaSectionSchema = obj({
  id: z.string({ error: SECTION_ID }).regex(/^[a-z][a-z0-9_]*$/, { error: SECTION_ID }),
  label: nonEmptyText,
  required: z.boolean(),
  aliases: z.array(nonEmptyText).default([]),
});
const rcaShape = {
  sections: z.array(rcaSectionSchema).min(1),
  requiredFor: z.array(idSchema),
  /** Heads of team per platform: `{ slack: ["U024BE7LH"], console: ["carol"] }`. */
  approvers: z.record(z.string(), z.array(nonEmptyText)),
  requireApproval: z.boolean(),
};
export const rcaSchema = obj(rcaShape);
const DAYS = "must be a positive whole number of days";
export const archiveAfterDaysSchema = z.number({ error: DAYS }).int({ error: DAYS }).positive({ error: DAYS });

const reviewShape = {
  channel: z.string().min(1, { error: 'must be "announcements" or a channel id' }),
  weeklyDay: z.enum(WEEKDAYS as unknown as [Weekday, ...Weekday[]]),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time "HH:MM", e.g. "09:00"' }),
  recurringThreshold: z.number().int().min(2, { error: "must be a whole number of at least 2" }),
};
export const reviewSchema = obj(reviewShape);

/** The status page: `services: { checkout: { name: Checkout, private: false } }`, listed in this order. */
const SERVICE_STATES = ["operational", "degraded", "outage"] as const;
const statusServiceSchema = obj({ name: nonEmptyText, private: z.boolean().default(false) });
const statusPageShape = {
  title: nonEmptyText,
  services: z.record(idSchema, statusServiceSchema),
  internalNatures: z.array(natureSchema),
  impactStates: z.record(z.string(), z.enum(SERVICE_STATES)),
};
export const statusPageSchema = obj(statusPageShape);

const PERMISSION_KEYS = Object.keys(DEFAULT_PERMISSIONS).filter((k) => DEFAULT_PERMISSIONS[k] !== "monitoring");
/** `permissions: { update: responder, "rca approve": manager }`: each key a command of the table. */
export const permissionsSchema = z.record(z.string(), z.enum(ACCESS_RULES)).superRefine((p, ctx) => {
  for (const k of Object.keys(p)) {
    if (!PERMISSION_KEYS.includes(k)) ctx.addIssue({ code: "custom", path: [k], message: `is not a command; permissions take: ${PERMISSION_KEYS.join(", ")}` });
  }
});

/** A complete policy, cross-checked. Its output is a `Policy`. */
export const policySchema = obj({
  matrix: matrixSchema,
  sla: z.record(z.string(), slaTargetSchema),
  businessHours: businessCalendarSchema,
  natures: naturesSchema,
  updateCadenceMinutes: z.record(z.string(), minutesSchema),
  updateGraceMinutes: minutesSchema,
  customerReport: customerReportSchema,
  referencePrefix: referencePrefixSchema,
  escalation: escalationSchema,
  rca: rcaSchema,
  archiveAfterDays: archiveAfterDaysSchema,
  review: reviewSchema,
  permissions: permissionsSchema,
  schedules: schedulesSchema,
  stakeholders: stakeholderPolicySchema,
  alerts: alertsSchema,
  statusPage: statusPageSchema,
}).superRefine((p, ctx) => crossCheck(p, ctx));

/** The policy file: every top-level key optional; see `parsePolicy` for how each one merges. */
export const policyOverrideSchema = obj({
  matrix: matrixSchema.optional(),
  sla: z.record(z.string(), obj({
    respondMinutes: minutesSchema.optional(),
    resolveMinutes: minutesSchema.optional(),
    clock: clockSchema.optional(),
  })).optional(),
  businessHours: obj({
    timezone: timezoneSchema.optional(),
    week: obj(weekOverrideShape).optional(),
    holidays: z.array(localDateSchema).optional(),
  }).optional(),
  natures: naturesSchema.optional(),
  /** `null` removes a default cadence. */
  updateCadenceMinutes: z.record(z.string(), minutesSchema.nullable()).optional(),
  updateGraceMinutes: minutesSchema.optional(),
  customerReport: obj({ dueHours: hoursSchema.optional(), reminderHours: hoursSchema.optional() }).optional(),
  referencePrefix: referencePrefixSchema.optional(),
  /** Merges per key; a given ladder replaces the default one. */
  escalation: escalationOverrideSchema.optional(),
  /** Each key replaces its default: `sections` as a whole list. */
  rca: obj({
    sections: rcaShape.sections.optional(),
    requiredFor: rcaShape.requiredFor.optional(),
    approvers: rcaShape.approvers.optional(),
    requireApproval: rcaShape.requireApproval.optional(),
  }).optional(),
  archiveAfterDays: archiveAfterDaysSchema.optional(),
  /** Merges per key over the command table's defaults. */
  permissions: permissionsSchema.optional(),
  /** Replaces per name (a schedule is given as a whole). */
  schedules: schedulesSchema.optional(),
  /** Replaces the default (none) as a whole. */
  stakeholders: stakeholdersSchema.optional(),
  /** Replaces the default as a whole (routing rules, ladders, flood bound). */
  alerts: alertsSchema.optional(),
  /** Each key replaces its default. */
  statusPage: obj({
    title: statusPageShape.title.optional(),
    services: statusPageShape.services.optional(),
    internalNatures: statusPageShape.internalNatures.optional(),
    impactStates: statusPageShape.impactStates.optional(),
  }).optional(),
  review: obj({
    channel: reviewShape.channel.optional(),
    weeklyDay: reviewShape.weeklyDay.optional(),
    time: reviewShape.time.optional(),
    recurringThreshold: reviewShape.recurringThreshold.optional(),
  }).optional(),
});
export type PolicyOverride = z.output<typeof policyOverrideSchema>;

// A compile-time check that the schema's output is a Policy.
const _outputIsPolicy = (p: z.output<typeof policySchema>): Policy => p;
void _outputIsPolicy;

type Ctx = z.RefinementCtx;
const list = (ids: Iterable<string>) => [...ids].join(", ");

function issue(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

function uniqueIds(ctx: Ctx, items: { id: string }[], path: string): void {
  const seen = new Map<string, string>();
  items.forEach((it, i) => {
    const key = it.id.toUpperCase();
    const first = seen.get(key);
    if (first !== undefined) issue(ctx, [...path.split("."), i, "id"], `repeats the id "${first}"; ids must be unique (case-insensitive)`);
    else seen.set(key, it.id);
  });
}

/** Cross-references that no single field can check. */
function crossCheck(p: Policy, ctx: Ctx): void {
  const { impacts, urgencies, priorities, cells } = p.matrix;
  uniqueIds(ctx, impacts, "matrix.impacts");
  uniqueIds(ctx, urgencies, "matrix.urgencies");
  uniqueIds(ctx, priorities, "matrix.priorities");
  const impactIds = new Set(impacts.map((l) => l.id));
  const urgencyIds = new Set(urgencies.map((l) => l.id));
  const priorityIds = new Set(priorities.map((l) => l.id));

  for (const [i, row] of Object.entries(cells)) {
    if (!impactIds.has(i)) {
      issue(ctx, ["matrix", "cells", i], `references unknown impact "${i}"; known: ${list(impactIds)}`);
      continue;
    }
    for (const [u, pid] of Object.entries(row)) {
      if (!urgencyIds.has(u)) issue(ctx, ["matrix", "cells", i, u], `references unknown urgency "${u}"; known: ${list(urgencyIds)}`);
      else if (!priorityIds.has(pid)) issue(ctx, ["matrix", "cells", i, u], `references unknown priority "${pid}"; known: ${list(priorityIds)}`);
    }
  }
  for (const i of impactIds) {
    const row = cells[i];
    if (row === undefined) {
      issue(ctx, ["matrix", "cells", i], `is missing; every impact needs a row giving a priority for each urgency (${list(urgencyIds)})`);
      continue;
    }
    for (const u of urgencyIds) {
      if (row[u] === undefined) {
        issue(ctx, ["matrix", "cells", i, u], `is missing; every impact × urgency pair needs a priority (one of ${list(priorityIds)})`);
      }
    }
  }

  for (const pr of priorities) {
    if (p.sla[pr.id] === undefined) {
      issue(ctx, ["sla", pr.id], "is missing; every priority needs an SLA target { respondMinutes, resolveMinutes, clock }");
    }
  }
  for (const [id, t] of Object.entries(p.sla)) {
    if (!priorityIds.has(id)) issue(ctx, ["sla", id], `references unknown priority "${id}"; known: ${list(priorityIds)}`);
    else if (t.respondMinutes > t.resolveMinutes) {
      issue(ctx, ["sla", id, "respondMinutes"], `must not exceed resolveMinutes (${t.respondMinutes} > ${t.resolveMinutes})`);
    }
  }

  for (const id of Object.keys(p.updateCadenceMinutes)) {
    const pr = priorities.find((x) => x.id === id);
    if (!pr) issue(ctx, ["updateCadenceMinutes", id], `references unknown priority "${id}"; known: ${list(priorityIds)}`);
    else if (!pr.communication) {
      issue(ctx, ["updateCadenceMinutes", id], `is set but priority "${id}" does not follow the communication process (communication: false)`);
    }
  }

  for (const day of WEEKDAYS) {
    const ivs = (p.businessHours.week[day] ?? []).map((iv, idx) => ({ ...iv, idx })).sort((a, b) => (a.start < b.start ? -1 : 1));
    for (let k = 1; k < ivs.length; k++) {
      const prev = ivs[k - 1]!;
      const cur = ivs[k]!;
      if (cur.start < prev.end) {
        issue(ctx, ["businessHours", "week", day, cur.idx], `overlaps ${prev.start}–${prev.end}; intervals in a day must not overlap`);
      }
    }
  }
  for (const id of Object.keys(p.statusPage.impactStates)) {
    if (!impactIds.has(id)) issue(ctx, ["statusPage", "impactStates", id], `references unknown impact "${id}"; known: ${list(impactIds)}`);
  }
  checkEscalation(p.escalation, priorityIds, ctx);
  checkScheduleTargets(p, ctx);
  checkAlerts(p, ctx);
  crossCheckRca(p, priorityIds, ctx);
  checkStakeholders(p.stakeholders, priorityIds, ctx);

  const hasHours = WEEKDAYS.some((d) => (p.businessHours.week[d] ?? []).length > 0);
  const businessSla = Object.entries(p.sla).find(([, t]) => t.clock === "business");
  if (!hasHours && businessSla) {
    issue(ctx, ["businessHours", "week"], `has no working hours, but sla.${businessSla[0]} counts on the business clock`);
  }
}

/** `targets: { schedule: [desk] }` in a ladder must name schedules of `schedules`. */
function checkScheduleTargets(p: Policy, ctx: Ctx): void {
  const known = Object.keys(p.schedules);
  for (const ladder of ["businessHours", "offHours"] as const) {
    p.escalation[ladder].forEach((level, i) => {
      (level.targets["schedule"] ?? []).forEach((name, j) => {
        if (p.schedules[name] === undefined) {
          issue(ctx, ["escalation", ladder, i, "targets", "schedule", j], `references unknown schedule "${name}"; known: ${known.length ? list(known) : "none (add it under schedules)"}`);
        }
      });
    });
  }
}

/** RCA: known priorities; a section name (id, label or alias) means one section only; procedures exists. */
function crossCheckRca(p: Policy, priorityIds: Set<string>, ctx: Ctx): void {
  p.rca.requiredFor.forEach((id, i) => {
    if (!priorityIds.has(id)) issue(ctx, ["rca", "requiredFor", i], `references unknown priority "${id}"; known: ${list(priorityIds)}`);
  });
  const owner = new Map<string, string>();
  p.rca.sections.forEach((s, i) => {
    for (const name of [s.id, s.label, ...s.aliases]) {
      const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
      const first = owner.get(key);
      if (first !== undefined && first !== s.id) issue(ctx, ["rca", "sections", i], `uses the name "${name}", which already names section "${first}"`);
      else owner.set(key, s.id);
    }
  });
  if (!p.rca.sections.some((s) => s.id === PROCEDURES)) {
    issue(ctx, ["rca", "sections"], `must include a section with id "${PROCEDURES}": closing checks the runbook was written or updated`);
  }
}
