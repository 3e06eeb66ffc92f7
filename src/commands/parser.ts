/**
 * Parses and validates the text after `/incident` into a Command. The shape of each subcommand is a
 * zod schema built from the policy (its impact and urgency levels, its natures); the first problem
 * becomes a refusal with a stable code, one sentence and the subcommand's usage line.
 */
import { z } from "zod";
import { DETECTION_SOURCES, ROLES } from "../domain/incident.js";
import type { Policy } from "../domain/policy.js";
import { fail, ok, refusal, type RefusalCode, type Result } from "../domain/refusal.js";
import { parseDuration } from "../domain/duration.js";
import { splitArgs, tokenize } from "./lexer.js";
import type { Command } from "./types.js";
import type { DeclareInput } from "../app/declare.js";
import { closestSubcommand, GENERAL_USAGE, subcommand } from "./usage.js";
import { rcaRawFields, rcaSchemas } from "./rca-grammar.js";

export const TITLE_MAX = 150;
export const TEXT_MAX = 3000;

/** `@alice`, `<@U123>`, `<@U123|alice>` (Slack), `<@123>` / `<@!123>` (Discord) → the bare id. */
export function normaliseUser(token: string): string {
  return token.replace(/^<@!?/, "").replace(/\|.*$/, "").replace(/>$/, "").replace(/^@/, "");
}

const oneOf = (label: string, values: readonly string[]) =>
  z.string().transform((v, ctx) => {
    const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (hit) return hit;
    return issue(ctx, "E_BAD_LEVEL", `${label} must be one of ${values.join(", ")} (got "${v}").`);
  });

/** A custom zod issue carrying the refusal code it maps to. */
function issue(ctx: z.RefinementCtx, code: RefusalCode, message: string): never {
  ctx.addIssue({ code: "custom", message, params: { code } });
  return z.NEVER;
}

const text = (label: string, max: number) =>
  z.string().transform((raw, ctx) => {
    const v = raw.trim();
    if (v === "") return issue(ctx, "E_MISSING_ARGUMENT", `${label} is missing.`);
    if (v.length > max) return issue(ctx, "E_TEXT_TOO_LONG", `${label} is ${v.length} characters; the limit is ${max}. Shorten it.`);
    return v;
  });

const ref = z
  .string()
  .transform((v, ctx) =>
    /^[A-Za-z]+-\d{4}-\d{1,9}$/.test(v) ? v.toUpperCase() : issue(ctx, "E_BAD_ARGUMENT", `--incident takes a reference such as INC-2026-0042 (got "${v}").`),
  )
  .optional();

/** `--next 45m`: a duration of at least a minute and at most a day. */
const duration = (label: string) =>
  z.string().transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null || ms < 60_000 || ms > 86_400_000) {
      return issue(ctx, "E_BAD_ARGUMENT", `${label} takes a duration between 1m and 24h, such as 30m or 1h30m (got "${v}").`);
    }
    return ms;
  });

/** A calendar day, YYYY-MM-DD. */
const day = (label: string) =>
  z.string().transform((v, ctx) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const ok = m && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
    return ok ? v : issue(ctx, "E_BAD_ARGUMENT", `${label} takes a date such as 2026-11-01 (got "${v}").`);
  });

const user = z.string().transform((v, ctx) => {
  const id = normaliseUser(v ?? "");
  return id === "" ? issue(ctx, "E_MISSING_ARGUMENT", "Name the user, e.g. @alice.") : id;
});

function schemas(policy: Policy) {
  const impact = oneOf("Impact", policy.matrix.impacts.map((l) => l.id)).optional();
  const urgency = oneOf("Urgency", policy.matrix.urgencies.map((l) => l.id)).optional();
  return {
    declare: z.object({
      name: z.literal("declare"),
      title: text("The title", TITLE_MAX),
      description: text("The description", TEXT_MAX).optional(),
      impact,
      urgency,
      nature: oneOf("Nature", policy.natures).optional(),
      service: text("The service", TITLE_MAX).optional(),
      customer: text("The customer", TITLE_MAX).optional(),
      detectedBy: oneOf("--detected-by", DETECTION_SOURCES).optional(),
      im: user.optional(),
      parent: ref,
    }),
    status: z.object({ name: z.literal("status"), incident: ref }),
    list: z.object({ name: z.literal("list"), all: z.boolean() }),
    help: z.object({ name: z.literal("help"), topic: z.string().optional() }),
    classify: z.object({ name: z.literal("classify"), impact, urgency, incident: ref }),
    role: z.object({ name: z.literal("role"), role: oneOf("The role", ROLES), user, incident: ref }),
    ack: z.object({ name: z.literal("ack"), incident: ref }),
    investigating: z.object({ name: z.literal("investigating"), incident: ref }),
    wait: z.object({ name: z.literal("wait"), on: oneOf("What you wait on", ["customer", "vendor"]), incident: ref }),
    mitigated: z.object({ name: z.literal("mitigated"), text: text("What was done", TEXT_MAX), incident: ref }),
    resolve: z.object({ name: z.literal("resolve"), summary: text("The resolution summary", TEXT_MAX), incident: ref }),
    reopen: z.object({ name: z.literal("reopen"), reason: text("The reason", TEXT_MAX), incident: ref }),
    update: z.object({ name: z.literal("update"), text: text("The update", TEXT_MAX), next: duration("--next").optional(), incident: ref }),
    comms: z.object({ name: z.literal("comms"), incident: ref }),
    stats: z
      .object({ name: z.literal("stats"), from: day("--from").optional(), to: day("--to").optional(), customer: text("The customer", TITLE_MAX).optional(), nature: oneOf("Nature", policy.natures).optional() })
      .refine((s) => !s.from || !s.to || s.from <= s.to, { message: "--from must not be after --to.", params: { code: "E_BAD_ARGUMENT" } }),
    escalate: z.object({ name: z.literal("escalate"), reason: text("The reason for escalating", TEXT_MAX), incident: ref }),
    ...rcaSchemas(policy, ref),
  } as const;
}

/** Raw fields of a subcommand from its words and flags, before validation. */
function rawFields(name: string, words: string[], flags: Map<string, string | true>): Record<string, unknown> {
  const flag = (f: string) => {
    const v = flags.get(f);
    return typeof v === "string" ? v : undefined;
  };
  const rest = words.length ? words.join(" ") : "";
  const base = { name, incident: flag("incident") };
  switch (name) {
    case "declare":
      return { name, title: rest, description: flag("description"), impact: flag("impact"), urgency: flag("urgency"), nature: flag("nature"), service: flag("service"), customer: flag("customer"), detectedBy: flag("detected-by"), im: flag("im"), parent: flag("parent") };
    case "list":
      return { name, all: flags.get("all") === true };
    case "help":
      return { name, topic: words[0] };
    case "classify":
      return { ...base, impact: flag("impact"), urgency: flag("urgency") };
    case "role":
      return { ...base, role: words[0] ?? "", user: words[1] ?? "" };
    case "wait":
      return { ...base, on: words[0] ?? "" };
    case "mitigated":
      return { ...base, text: rest };
    case "resolve":
      return { ...base, summary: rest };
    case "reopen":
    case "escalate":
      return { ...base, reason: rest };
    case "update":
      return { ...base, text: rest, next: flag("next") };
    case "stats":
      return { name, from: flag("from"), to: flag("to"), customer: flag("customer"), nature: flag("nature") };
    default:
      return rcaRawFields(name, words, flags) ?? base;
  }
}

export function parseCommand(line: string, policy: Policy): Result<Command> {
  const tokens = tokenize(line);
  if (!tokens.ok) return fail({ ...tokens.refusal, usage: GENERAL_USAGE });
  const [first, ...args] = tokens.value;
  if (!first) return ok({ name: "help" });
  const name = first.text.toLowerCase();
  const sub = subcommand(name);
  if (!sub) {
    const guess = closestSubcommand(name);
    const hint = guess ? ` Did you mean "${guess}"?` : "";
    return fail(refusal("E_UNKNOWN_SUBCOMMAND", `Unknown subcommand "${first.text}".${hint} Try /incident help.`, { subcommand: first.text }, GENERAL_USAGE));
  }
  const split = splitArgs(args, sub.valued, sub.booleans, sub.usage);
  if (!split.ok) return split;
  const schema = schemas(policy)[sub.name];
  const parsed = schema.safeParse(rawFields(sub.name, split.value.positional, split.value.flags));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const code = ((issue as { params?: { code?: RefusalCode } }).params?.code ?? "E_BAD_ARGUMENT") as RefusalCode;
    return fail(refusal(code, issue.message, { path: issue.path.join(".") }, sub.usage));
  }
  const cmd = parsed.data as Command;
  if (cmd.name === "classify" && !cmd.impact && !cmd.urgency) {
    return fail(refusal("E_MISSING_ARGUMENT", "Give a new impact, a new urgency, or both.", {}, sub.usage));
  }
  return ok(cmd);
}

export type DeclareFields = Record<"title" | "impact" | "urgency" | "description" | "nature" | "service" | "customer", string | undefined>;

/**
 * Validates a declaration form (Slack / Discord modal) with the same rules as the command, and
 * answers per field so the form can show each error beside its input.
 */
export function validateDeclare(
  fields: DeclareFields,
  policy: Policy,
): { ok: true; value: DeclareInput } | { ok: false; errors: Record<string, string> } {
  const parsed = schemas(policy).declare.safeParse({ name: "declare", ...fields });
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
  if (!fields.impact) errors.impact = "Choose the impact.";
  if (!fields.urgency) errors.urgency = "Choose the urgency.";
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  const { name: _, ...d } = parsed.data;
  return { ok: true, value: { ...d, impact: d.impact!, urgency: d.urgency!, detectedBy: d.detectedBy as DeclareInput["detectedBy"] } };
}
