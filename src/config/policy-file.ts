/**
 * The policy file: a partial override of `DEFAULT_POLICY`, in YAML or JSON.
 *
 * Merge rules (file over defaults):
 * - `matrix` replaces the default matrix as a whole (impacts, urgencies, priorities, cells).
 * - `sla` merges per priority and, within a priority, per field: `sla: { P1: { respondMinutes: 10 } }`
 *   keeps P1's default resolve time and clock. A priority with no default needs all three fields.
 * - `updateCadenceMinutes` merges per priority; `P2: null` removes P2's default cadence.
 * - Defaults for `sla` / `updateCadenceMinutes` apply only to priorities the final matrix declares,
 *   so a replaced matrix with new ids does not inherit P1/P2/P3 entries.
 * - `businessHours` merges per key: `timezone`, `week` and `holidays` each replace the default when
 *   given; `week` replaces as a whole (days left out have no hours; `sat: null` or `[]` says so too).
 * - `natures` and `referencePrefix` replace.
 * - `escalation` merges per key: `businessHours` / `offHours` ladders, `priorityTimeouts`,
 *   `repeatTopLevel` and `managementLevel` each replace the default when given.
 * - `natures`, `referencePrefix` and `archiveAfterDays` replace.
 * - `rca` merges per key: `sections` (the whole template), `requiredFor`, `approvers` (user ids per
 *   platform: `{ slack: [U…], discord: […], console: [carol] }`) and `requireApproval` each replace.
 * - `statusPage` merges per key (each of title, services, internalNatures, impactStates replaces).
 * - `schedules` merges per name; each schedule is given as a whole (timezone and layers).
 * - `stakeholders` (destinations and rules) replaces the default (none) as a whole.
 * - `alerts` (routing rules for monitoring alerts) replaces the default as a whole.
 * The merged result is then validated as a whole (`policySchema`), so every error names the key path.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_POLICY, WEEKDAYS, type Policy, type SlaTarget, type WorkInterval, type Weekday } from "../domain/policy.js";
import { configError, formatIssue, predicateErrorMap } from "./errors.js";
import { policyOverrideSchema, policySchema, type PolicyOverride } from "./policy-schema.js";

function merge(base: Policy, o: PolicyOverride): unknown {
  const matrix = o.matrix ?? base.matrix;
  const declared = new Set(matrix.priorities.map((p) => p.id));

  const sla: Record<string, Partial<SlaTarget>> = {};
  for (const [id, t] of Object.entries(base.sla)) if (declared.has(id)) sla[id] = { ...t };
  for (const [id, t] of Object.entries(o.sla ?? {})) {
    sla[id] = { ...sla[id], ...Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) };
  }

  const updateCadenceMinutes: Record<string, number> = {};
  for (const [id, m] of Object.entries(base.updateCadenceMinutes)) if (declared.has(id)) updateCadenceMinutes[id] = m;
  for (const [id, m] of Object.entries(o.updateCadenceMinutes ?? {})) {
    if (m === null) delete updateCadenceMinutes[id];
    else updateCadenceMinutes[id] = m;
  }

  const bh = o.businessHours ?? {};
  let week: Partial<Record<Weekday, WorkInterval[]>> = base.businessHours.week;
  if (bh.week) {
    week = {};
    for (const d of WEEKDAYS) {
      const hours = bh.week[d];
      if (hours && hours.length > 0) week[d] = hours;
    }
  }

  return {
    matrix,
    sla,
    businessHours: {
      timezone: bh.timezone ?? base.businessHours.timezone,
      week,
      holidays: bh.holidays ?? base.businessHours.holidays,
    },
    natures: o.natures ?? base.natures,
    updateCadenceMinutes,
    updateGraceMinutes: o.updateGraceMinutes ?? base.updateGraceMinutes,
    customerReport: { ...base.customerReport, ...Object.fromEntries(Object.entries(o.customerReport ?? {}).filter(([, v]) => v !== undefined)) },
    referencePrefix: o.referencePrefix ?? base.referencePrefix,
    escalation: { ...base.escalation, ...Object.fromEntries(Object.entries(o.escalation ?? {}).filter(([, v]) => v !== undefined)) },
    rca: {
      sections: o.rca?.sections ?? base.rca.sections,
      requiredFor: o.rca?.requiredFor ?? base.rca.requiredFor.filter((id) => declared.has(id)),
      approvers: o.rca?.approvers ?? base.rca.approvers,
      requireApproval: o.rca?.requireApproval ?? base.rca.requireApproval,
    },
    archiveAfterDays: o.archiveAfterDays ?? base.archiveAfterDays,
    permissions: { ...base.permissions, ...o.permissions },
    schedules: { ...base.schedules, ...o.schedules },
    stakeholders: o.stakeholders ?? base.stakeholders,
    alerts: o.alerts ?? base.alerts,
    review: { ...base.review, ...Object.fromEntries(Object.entries(o.review ?? {}).filter(([, v]) => v !== undefined)) },
    statusPage: { ...base.statusPage, ...Object.fromEntries(Object.entries(o.statusPage ?? {}).filter(([, v]) => v !== undefined)) },
  };
}

/**
 * Validates a parsed policy file (`undefined` / `null` — an empty file — means "all defaults") and
 * merges it over `DEFAULT_POLICY`. Throws `ConfigError`: "Policy file <source>: <path> must be …".
 */
export function parsePolicy(raw: unknown, source?: string): Policy {
  const what = source === undefined ? "Policy" : `Policy file ${source}`;
  const opts = { error: predicateErrorMap, reportInput: true } as const;
  const override = policyOverrideSchema.safeParse(raw ?? {}, opts);
  if (!override.success) throw configError(what, override.error.issues.map((i) => formatIssue(i, "the policy")));
  const full = policySchema.safeParse(merge(DEFAULT_POLICY, override.data), opts);
  if (!full.success) throw configError(what, full.error.issues.map((i) => formatIssue(i, "the policy")));
  return full.data;
}

/** Reads a `.yaml` / `.yml` / `.json` policy file; no path → a copy of `DEFAULT_POLICY`. */
export function loadPolicy(path: string | undefined): Policy {
  if (path === undefined || path === "") return structuredClone(DEFAULT_POLICY);
  const ext = extname(path).toLowerCase();
  if (ext !== ".yaml" && ext !== ".yml" && ext !== ".json") {
    throw configError(`Policy file ${path}`, [`unsupported extension "${ext}"; use .yaml, .yml or .json.`]);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw configError(`Policy file ${path}`, [`cannot be read (${why}); check POLICY_FILE.`]);
  }
  let raw: unknown;
  try {
    raw = ext === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const kind = ext === ".json" ? "JSON" : "YAML";
    throw configError(`Policy file ${path}`, [`is not valid ${kind}: ${(err as Error).message.trim()}`]);
  }
  return parsePolicy(raw, path);
}
