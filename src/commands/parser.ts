/**
 * Input → Command, once for every surface. A console or slash-command line is split into raw values by
 * the table (`parseLine`); Discord options and form submissions arrive as raw values already. Either
 * way `commandFrom` checks them with one zod schema per subcommand, built from the table's argument
 * kinds and the policy, and the first problem becomes a refusal with a stable code and one sentence.
 * A command whose required form fields are missing (declare, resolve, update…) becomes a FormRequest.
 */
import { z } from "zod";
import { fail, ok, refusal, type RefusalCode, type Result } from "../domain/refusal.js";
import type { Policy } from "../domain/policy.js";
import { parseDuration } from "../domain/duration.js";
import { matchSection } from "../domain/rca/match.js";
import { isLocalDate, splitTimeWords } from "../domain/rca/time.js";
import { splitArgs, tokenize } from "./lexer.js";
import { argsOf, specOf, TEXT_MAX, TITLE_MAX, type Arg, type Spec } from "./table.js";
import type { Command } from "./types.js";
import { closestSubcommand, GENERAL_USAGE, helpText, usageOf } from "./usage.js";
import { checkInput, excerpt } from "./input.js";
import { userId } from "./users.js";

export { TEXT_MAX, TITLE_MAX };

/** Raw values by argument name, before validation: strings, or true for a switch. */
export type Raw = Record<string, string | boolean | undefined>;

/** A command with required form fields still missing: the surface shows its form (or asks, on the console). */
export interface FormRequest {
  name: string;
  /** What was given, by argument name (pre-fills the form). */
  values: Raw;
  /** The form's fields, in order; `missing` are the required ones not given. */
  fields: Arg[];
  missing: string[];
}

export type Parsed = { kind: "command"; command: Command } | { kind: "form"; form: FormRequest };

function issue(ctx: z.RefinementCtx, code: RefusalCode, message: string): never {
  ctx.addIssue({ code: "custom", message, params: { code } });
  return z.NEVER;
}

/** The validator of one argument kind; `undefined` stays undefined (absence is checked by the spec). */
function argSchema(a: Arg, policy: Policy, platform: string): z.ZodType<unknown> {
  const str = z.string().transform((raw, ctx) => {
    const bad = checkInput(raw);
    return bad ? issue(ctx, "E_BAD_ARGUMENT", `${a.label} ${bad}`) : raw;
  });
  switch (a.kind) {
    case "switch":
      return z.union([z.boolean(), z.string()]).transform((v) => v === true || v === "true");
    case "text":
      return str.transform((raw, ctx) => {
        const v = raw.trim();
        const max = a.max ?? TEXT_MAX;
        if (v.length > max) return issue(ctx, "E_TEXT_TOO_LONG", `${a.label} is ${v.length} characters; the limit is ${max}. Shorten it.`);
        return v === "" ? undefined : v;
      });
    case "choice":
      return str.transform((v, ctx) => {
        const values = (a.choices?.(policy) ?? []).map((c) => c.value);
        const hit = values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
        if (hit) return hit;
        const code: RefusalCode = "E_BAD_LEVEL";
        return issue(ctx, code, `${a.label} must be one of ${values.join(", ")} (got ${excerpt(v)}).`);
      });
    case "user":
      return str.transform((v, ctx) => {
        const id = userId(v, platform);
        return id ?? issue(ctx, "E_BAD_ARGUMENT", `${a.label} must be a person: mention them, e.g. @alice (got ${excerpt(v)}).`);
      });
    case "ref":
      return str.transform((v, ctx) =>
        /^[A-Za-z]+-\d{4}-\d{1,9}$/.test(v.trim()) ? v.trim().toUpperCase() : issue(ctx, "E_BAD_ARGUMENT", `${a.label} takes a reference such as INC-2026-0042 (got ${excerpt(v)}).`),
      );
    case "duration":
      return str.transform((v, ctx) => {
        const ms = parseDuration(v.trim());
        if (ms === null || ms < 60_000 || ms > 86_400_000) return issue(ctx, "E_BAD_ARGUMENT", `${a.label} takes a duration between 1m and 24h, such as 30m or 1h30m (got ${excerpt(v)}).`);
        return ms;
      });
    case "day":
      return str.transform((v, ctx) => (isLocalDate(v.trim()) ? v.trim() : issue(ctx, "E_BAD_ARGUMENT", `${a.label} takes a date such as 2026-11-01 (got ${excerpt(v)}).`)));
  }
}

const keyOf = (a: Arg) => a.key ?? a.name;

/**
 * Turns validated values into the command value. Most subcommands are their values as they are; the
 * ones with verbs (rca, action, timeline, report) and forgiving section names are shaped here.
 */
type Shaper = (v: Record<string, unknown>, policy: Policy, ctx: z.RefinementCtx, platform: string) => Command;
const words = (...parts: unknown[]) => parts.filter((p): p is string => typeof p === "string" && p !== "").join(" ").split(" ").filter((w) => w !== "");

const SHAPES: Record<string, Shaper> = {
  classify: (v, _p, ctx) => (v.impact || v.urgency ? ({ name: "classify", ...v } as Command) : issue(ctx, "E_MISSING_ARGUMENT", "Give a new impact, a new urgency, or both.")),
  rca: (v, policy, ctx) => {
    const all = words(v.section, v.text);
    const append = v.append === true;
    const incident = v.incident as string | undefined;
    if (all.length === 0) return append ? issue(ctx, "E_MISSING_ARGUMENT", "--append needs a section and the text to add.") : { name: "rca", op: "show", incident };
    if (all.length === 1 && all[0]!.toLowerCase() === "approve") return { name: "rca", op: "approve", incident };
    const m = matchSection(policy.rca.sections, all);
    if (!m.ok) return issue(ctx, m.refusal.code, m.refusal.message);
    if (m.value.rest.length === 0 && !append) return { name: "rca", op: "show", section: m.value.section, incident };
    const text = m.value.rest.join(" ").trim();
    if (text === "") return issue(ctx, "E_MISSING_ARGUMENT", `The text of "${m.value.section.label}" is missing.`);
    if (text.length > TEXT_MAX) return issue(ctx, "E_TEXT_TOO_LONG", `The text of "${m.value.section.label}" is ${text.length} characters; the limit is ${TEXT_MAX}. Split it and add the rest with --append.`);
    return { name: "rca", op: "set", section: m.value.section, text, append, incident };
  },
  action: (v, _p, ctx) => {
    const incident = v.incident as string | undefined;
    const op = (v.op as string | undefined) ?? "list";
    const text = v.text as string | undefined;
    if (op === "list") return { name: "action", op: "list", incident };
    if (op === "done") {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) return issue(ctx, "E_BAD_ARGUMENT", `action done takes the action's number, e.g. /incident action done 2 (got ${excerpt(text ?? "")}).`);
      return { name: "action", op: "done", n, incident };
    }
    if (!text) return issue(ctx, "E_MISSING_ARGUMENT", "The action is missing.");
    if (!v.owner) return issue(ctx, "E_MISSING_ARGUMENT", "An action needs its owner: --owner @user.");
    if (!v.due) return issue(ctx, "E_MISSING_ARGUMENT", "An action needs its due date: --due YYYY-MM-DD.");
    return { name: "action", op: "add", text, owner: v.owner as string, due: v.due as string, incident };
  },
  timeline: (v, _p, ctx) => {
    const { time, rest } = splitTimeWords(words(v.time, v.text));
    if (time === "") return issue(ctx, "E_MISSING_ARGUMENT", "Give the time (HH:MM today, or an ISO time) and what happened.");
    const text = rest.join(" ").trim();
    if (text === "") return issue(ctx, "E_MISSING_ARGUMENT", "What happened is missing.");
    return { name: "timeline", op: "add", time, text, incident: v.incident as string | undefined };
  },
  report: (v) => ({ name: "report", send: v.op === "send", incident: v.incident as string | undefined }),
  close: (v) => ({ name: "close", comment: (v.comment as string | undefined) ?? "", customerConfirmed: v.customerConfirmed === true, incident: v.incident as string | undefined }),
  list: (v) => ({ name: "list", all: v.all === true }),
  stats: (v, _p, ctx) => (v.from && v.to && (v.from as string) > (v.to as string) ? issue(ctx, "E_BAD_ARGUMENT", "--from must not be after --to.") : ({ name: "stats", ...v } as Command)),
  oncall: oncallShape,
  help: (v, policy, ctx) => {
    const topic = v.topic as string | undefined;
    const h = topic ? helpText(policy, topic) : null;
    return h && !h.known ? issue(ctx, "E_UNKNOWN_SUBCOMMAND", h.text) : { name: "help", topic };
  },
};

const TIME = /^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const TIME_FLAGS = ["at", "from", "to", "until"] as const;
/** A clock time alone: the next such time in the schedule's zone (after --from for --to). */
const CLOCK = /^\d{1,2}:\d{2}$/;

/**
 * `/incident oncall …`: the words say what (a schedule; override <schedule> @user; override remove
 * <n>; cover <schedule>; cover accept <n>, the Accept button), the flags when. `--from 2026-03-30 09:00`
 * unquoted leaves "09:00" among the words: clock words go, in order, to the date-only time flags.
 */
function oncallShape(v: Record<string, unknown>, policy: Policy, ctx: z.RefinementCtx, platform: string): Command {
  const all = words(v.schedule);
  const times: Partial<Record<(typeof TIME_FLAGS)[number], string>> = {};
  for (const flag of TIME_FLAGS) {
    let t = v[flag] as string | undefined;
    if (t === undefined) continue;
    const clock = all.findIndex((w) => /^\d{1,2}:\d{2}$/.test(w));
    if (/^\d{4}-\d{2}-\d{2}$/.test(t) && clock >= 0) t = `${t} ${all.splice(clock, 1)[0]}`;
    if (!TIME.test(t) && !CLOCK.test(t) && !(flag === "from" && t.toLowerCase() === "now") && !(flag !== "from" && flag !== "at" && parseDuration(t.replace(/^\+/, "")) !== null)) {
      return issue(ctx, "E_BAD_ARGUMENT", `--${flag} takes a time such as "2026-03-30 09:00" or "18:00"${flag === "from" || flag === "at" ? "" : ", or a duration such as 2h"} (got ${excerpt(t)}).`);
    }
    times[flag] = t;
  }
  const known = Object.keys(policy.schedules);
  const scheduleNamed = (wanted: string | undefined): string => {
    if (wanted === undefined) return issue(ctx, "E_MISSING_ARGUMENT", `Name the schedule; ${known.length ? `schedules: ${known.join(", ")}` : "the policy has no schedules"}.`);
    const hit = known.find((k) => k.toLowerCase() === wanted.toLowerCase());
    return hit ?? issue(ctx, "E_BAD_ARGUMENT", `No schedule ${excerpt(wanted)}; ${known.length ? `schedules: ${known.join(", ")}` : "the policy has no schedules"}.`);
  };
  const number = (what: string, w: string | undefined): number => {
    const n = Number(w);
    return Number.isInteger(n) && n >= 1 ? n : issue(ctx, "E_BAD_ARGUMENT", `${what} takes a number, e.g. /incident oncall ${what} 3 (got ${excerpt(w ?? "")}).`);
  };
  /** The time flag given that `what` does not take, if any. */
  const stray = (flags: string[]) => TIME_FLAGS.find((f) => times[f] !== undefined && !flags.includes(f));
  const strayIssue = (f: string, what: string) => issue(ctx, "E_BAD_ARGUMENT", `--${f} does not go with ${what}.`);
  const [verb, ...rest] = all;
  switch (verb?.toLowerCase()) {
    case "override": {
      if (rest[0]?.toLowerCase() === "remove") {
        const f = stray([]);
        if (f) return strayIssue(f, "override remove");
        if (rest.length > 2) return issue(ctx, "E_BAD_ARGUMENT", `override remove takes one number (got ${excerpt(rest.slice(1).join(" "))}).`);
        return { name: "oncall", op: "remove", n: number("override remove", rest[1]) };
      }
      const f = stray(["from", "to"]);
      if (f) return strayIssue(f, "override");
      const schedule = scheduleNamed(rest[0]);
      if (rest.length > 2) return issue(ctx, "E_BAD_ARGUMENT", `override takes a schedule and one person (got ${excerpt(rest.join(" "))}).`);
      const user = rest[1] === undefined ? issue(ctx, "E_MISSING_ARGUMENT", "Name who is on call instead, e.g. @alice.") : userId(rest[1], platform);
      if (!user) return issue(ctx, "E_BAD_ARGUMENT", `The override must name a person: mention them, e.g. @alice (got ${excerpt(rest[1]!)}).`);
      if (!times.from || !times.to) return issue(ctx, "E_MISSING_ARGUMENT", 'An override needs --from and --to, e.g. --from "2026-03-30 09:00" --to "2026-03-31 09:00".');
      return { name: "oncall", op: "override", schedule, user, from: times.from, to: times.to };
    }
    case "cover": {
      if (rest[0]?.toLowerCase() === "accept") {
        const f = stray([]);
        if (f) return strayIssue(f, "cover accept");
        return { name: "oncall", op: "accept", n: number("cover accept", rest[1]) };
      }
      const f = stray(["until"]);
      if (f) return strayIssue(f, "cover");
      const schedule = scheduleNamed(rest[0]);
      if (rest.length > 1) return issue(ctx, "E_BAD_ARGUMENT", `cover takes one schedule name (got ${excerpt(rest.join(" "))}).`);
      if (!times.until) return issue(ctx, "E_MISSING_ARGUMENT", 'Cover needs --until, e.g. --until "2026-03-31 09:00".');
      return { name: "oncall", op: "cover", schedule, until: times.until };
    }
  }
  const f = stray(["at"]);
  if (f) return strayIssue(f, "oncall without override or cover");
  if (all.length > 1) return issue(ctx, "E_BAD_ARGUMENT", `oncall takes one schedule name (got ${excerpt(all.join(" "))}).`);
  return { name: "oncall", schedule: all[0] === undefined ? undefined : scheduleNamed(all[0]), at: times.at };
}

/**
 * One schema per subcommand, policy and platform, built on first use: building a zod schema and its
 * first parse (zod compiles a fast path per object schema) cost 0.2–0.8 ms a line, paid before every
 * Slack ack (precheck) and again in dispatch — 30 % of the bot's CPU in a burst of 100 declares,
 * measured 2026-12-05 with bench/ack.ts BENCH_CPU_PROF. Per line, warm (500 parses each): help 181 →
 * 28 µs, list 271 → 24 µs, a declare with levels 606–778 → 22–192 µs. The schemas read the policy
 * when parsing, not when built, so a policy changed in place still holds; another policy object
 * gets schemas of its own (a WeakMap: dropped with it).
 */
const schemas = new WeakMap<Policy, Map<string, ReturnType<typeof buildSchema>>>();
function schemaOf(spec: Spec, policy: Policy, platform: string) {
  let byPolicy = schemas.get(policy);
  if (!byPolicy) schemas.set(policy, (byPolicy = new Map()));
  const key = `${spec.name}\u0000${platform}`;
  let schema = byPolicy.get(key);
  if (!schema) byPolicy.set(key, (schema = buildSchema(spec, policy, platform)));
  return schema;
}

function buildSchema(spec: Spec, policy: Policy, platform: string) {
  const shape: Record<string, z.ZodType<unknown>> = {};
  for (const a of argsOf(spec)) shape[keyOf(a)] = argSchema(a, policy, platform).optional();
  const shaper = SHAPES[spec.name];
  return z.object(shape).transform((v, ctx) => (shaper ? shaper(v, policy, ctx, platform) : ({ name: spec.name, ...v } as Command)));
}

/**
 * Validates raw values for `name` (from a line, Discord options or a form). Required form fields that
 * are missing make a FormRequest; other missing required values are refusals.
 */
export function commandFrom(name: string, raw: Raw, policy: Policy, platform: string): Result<Parsed> {
  const spec = specOf(name);
  if (!spec) return unknownSubcommand(name);
  const known = new Set(argsOf(spec).map((a) => a.name));
  const unknown = Object.keys(raw).find((k) => !known.has(k) && raw[k] !== undefined);
  if (unknown) return fail(refusal("E_BAD_ARGUMENT", `Unknown option ${excerpt(unknown)} for ${spec.name}.`, { option: unknown }, usageOf(spec, policy)));
  const values: Record<string, unknown> = {};
  for (const a of argsOf(spec)) {
    const v = raw[a.name];
    values[keyOf(a)] = v === "" || v === undefined ? undefined : v;
  }
  const parsed = schemaOf(spec, policy, platform).safeParse(values);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const code = ((first as { params?: { code?: RefusalCode } }).params?.code ?? "E_BAD_ARGUMENT") as RefusalCode;
    return fail(refusal(code, first.message, { path: first.path.join(".") }, usageOf(spec, policy)));
  }
  const cmd = parsed.data as Record<string, unknown>;
  const missing = spec.args.filter((a) => a.required && (cmd[keyOf(a)] === undefined || cmd[keyOf(a)] === "")).map((a) => a.name);
  const formMissing = [...missing, ...(spec.name === "declare" ? ["impact", "urgency"].filter((f) => !cmd[f]) : [])];
  const formFields = spec.args.filter((a) => a.form);
  if (formMissing.length > 0 && formFields.length > 0 && formMissing.every((m) => formFields.some((f) => f.name === m))) {
    return ok({ kind: "form", form: { name: spec.name, values: { ...raw }, fields: formFields, missing: formMissing } });
  }
  if (missing.length > 0) {
    const a = spec.args.find((x) => x.name === missing[0])!;
    return fail(refusal("E_MISSING_ARGUMENT", `${a.label} is missing.`, { path: a.name }, usageOf(spec, policy)));
  }
  return ok({ kind: "command", command: parsed.data as Command });
}

function unknownSubcommand(word: string): Result<never> {
  const guess = closestSubcommand(word);
  const hint = guess ? ` Did you mean "${guess}"?` : "";
  return fail(refusal("E_UNKNOWN_SUBCOMMAND", `Unknown subcommand ${excerpt(word)}.${hint} Try /incident help.`, { subcommand: word.slice(0, 40) }, GENERAL_USAGE));
}

/** The text after `/incident` → raw values by the table, then `commandFrom`. */
export function parseLine(line: string, policy: Policy, platform: string): Result<Parsed> {
  const bad = checkInput(line);
  if (bad) return fail(refusal("E_BAD_ARGUMENT", `Your command ${bad}`, {}));
  const tokens = tokenize(line);
  if (!tokens.ok) return fail({ ...tokens.refusal, usage: GENERAL_USAGE });
  const [first, ...rest] = tokens.value;
  if (!first) return ok({ kind: "command", command: { name: "help" } });
  const spec = specOf(first.text.toLowerCase());
  if (!spec) return unknownSubcommand(first.text);
  const args = argsOf(spec);
  const split = splitArgs(
    rest,
    args.filter((a) => !a.positional && a.kind !== "switch").map((a) => a.name),
    args.filter((a) => a.kind === "switch").map((a) => a.name),
    () => usageOf(spec, policy), // only a refusal shows it
  );
  if (!split.ok) return split;
  const raw: Raw = Object.fromEntries(split.value.flags);
  const positional = args.filter((a) => a.positional);
  const wordsLeft = [...split.value.positional];
  if (positional.length === 0 && wordsLeft.length > 0) {
    return fail(refusal("E_BAD_ARGUMENT", `${spec.name} takes no text (got ${excerpt(wordsLeft.join(" "))}).`, {}, usageOf(spec, policy)));
  }
  positional.forEach((a, n) => {
    if (wordsLeft.length === 0) return;
    raw[a.name] = n === positional.length - 1 ? wordsLeft.splice(0).join(" ") : wordsLeft.shift();
  });
  return commandFrom(spec.name, raw, policy, platform);
}
