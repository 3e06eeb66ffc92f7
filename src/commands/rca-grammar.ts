/**
 * The RCA and closure subcommands of the `/incident` grammar: rca, action, timeline, report, close.
 * `parser.ts` spreads these schemas into its table; each turns the raw words and flags into a
 * command, and its first problem into a refusal (same codes and wording as the other subcommands).
 */
import { z } from "zod";
import type { Policy } from "../domain/policy.js";
import { matchSection } from "../domain/rca/match.js";
import type { RcaSectionDef } from "../domain/rca/policy.js";
import { isLocalDate, splitTimeWords } from "../domain/rca/time.js";
import type { RefusalCode } from "../domain/refusal.js";
import { normaliseUser } from "./parser.js";

export const RCA_TEXT_MAX = 3000;

type Scoped = { incident?: string | undefined };
export type RcaCommand =
  | ({ name: "rca"; op: "show"; section?: RcaSectionDef | undefined } & Scoped)
  | ({ name: "rca"; op: "set"; section: RcaSectionDef; text: string; append: boolean } & Scoped)
  | ({ name: "rca"; op: "approve" } & Scoped)
  | ({ name: "action"; op: "add"; text: string; owner: string; due: string } & Scoped)
  | ({ name: "action"; op: "done"; n: number } & Scoped)
  | ({ name: "action"; op: "list" } & Scoped)
  | ({ name: "timeline"; op: "add"; time: string; text: string } & Scoped)
  | ({ name: "report"; send: boolean } & Scoped)
  | ({ name: "close"; comment: string; customerConfirmed: boolean } & Scoped);

function issue(ctx: z.RefinementCtx, code: RefusalCode, message: string): never {
  ctx.addIssue({ code: "custom", message, params: { code } });
  return z.NEVER;
}

function text(ctx: z.RefinementCtx, label: string, words: string[]): string {
  const v = words.join(" ").trim();
  if (v === "") return issue(ctx, "E_MISSING_ARGUMENT", `${label} is missing.`);
  if (v.length > RCA_TEXT_MAX) return issue(ctx, "E_TEXT_TOO_LONG", `${label} is ${v.length} characters; the limit is ${RCA_TEXT_MAX}. Split it and add the rest with --append.`);
  return v;
}

const raw = <N extends string>(name: N, ref: z.ZodType<string | undefined>) => ({
  name: z.literal(name),
  words: z.array(z.string()),
  incident: ref,
  flags: z.record(z.string(), z.union([z.string(), z.literal(true)])),
});

function rca(policy: Policy, v: { words: string[]; incident?: string | undefined; flags: Record<string, string | true> }, ctx: z.RefinementCtx): RcaCommand {
  const { words, incident } = v;
  const append = v.flags.append === true;
  if (words.length === 0) return append ? issue(ctx, "E_MISSING_ARGUMENT", "--append needs a section and the text to add.") : { name: "rca", op: "show", incident };
  if (words.length === 1 && words[0]!.toLowerCase() === "approve") return { name: "rca", op: "approve", incident };
  const m = matchSection(policy.rca.sections, words);
  if (!m.ok) return issue(ctx, m.refusal.code, m.refusal.message);
  if (m.value.rest.length === 0 && !append) return { name: "rca", op: "show", section: m.value.section, incident };
  return { name: "rca", op: "set", section: m.value.section, text: text(ctx, `The text of "${m.value.section.label}"`, m.value.rest), append, incident };
}

function action(v: { words: string[]; incident?: string | undefined; flags: Record<string, string | true> }, ctx: z.RefinementCtx): RcaCommand {
  const [op = "list", ...rest] = v.words;
  const { incident } = v;
  const flag = (f: string) => (typeof v.flags[f] === "string" ? (v.flags[f] as string) : undefined);
  switch (op.toLowerCase()) {
    case "list":
      return { name: "action", op: "list", incident };
    case "done": {
      const n = Number(rest[0]);
      if (!Number.isInteger(n) || n < 1) return issue(ctx, "E_BAD_ARGUMENT", `action done takes the action's number, e.g. /incident action done 2 (got "${rest[0] ?? ""}").`);
      return { name: "action", op: "done", n, incident };
    }
    case "add": {
      const t = text(ctx, "The action", rest);
      const owner = normaliseUser(flag("owner") ?? "");
      if (owner === "") return issue(ctx, "E_MISSING_ARGUMENT", "An action needs its owner: --owner @user.");
      const due = flag("due");
      if (!due) return issue(ctx, "E_MISSING_ARGUMENT", "An action needs its due date: --due YYYY-MM-DD.");
      if (!isLocalDate(due)) return issue(ctx, "E_BAD_ARGUMENT", `--due takes a date such as 2026-12-01 (got "${due}").`);
      return { name: "action", op: "add", text: t, owner, due, incident };
    }
    default:
      return issue(ctx, "E_BAD_ARGUMENT", `action takes add, done <n> or list (got "${op}").`);
  }
}

function timeline(v: { words: string[]; incident?: string | undefined }, ctx: z.RefinementCtx): RcaCommand {
  const [op, ...rest] = v.words;
  if (op?.toLowerCase() !== "add") return issue(ctx, "E_BAD_ARGUMENT", `timeline takes add <HH:MM | ISO time> <text> (got "${op ?? ""}").`);
  const { time, rest: words } = splitTimeWords(rest);
  if (time === "") return issue(ctx, "E_MISSING_ARGUMENT", "Give the time (HH:MM today, or an ISO time) and what happened.");
  return { name: "timeline", op: "add", time, text: text(ctx, "What happened", words), incident: v.incident };
}

export function rcaSchemas(policy: Policy, ref: z.ZodType<string | undefined>) {
  return {
    rca: z.object(raw("rca", ref)).transform((v, ctx) => rca(policy, v, ctx)),
    action: z.object(raw("action", ref)).transform((v, ctx) => action(v, ctx)),
    timeline: z.object(raw("timeline", ref)).transform((v, ctx) => timeline(v, ctx)),
    report: z.object(raw("report", ref)).transform((v, ctx): RcaCommand => {
      const op = v.words.join(" ").toLowerCase();
      if (op !== "" && op !== "send") return issue(ctx, "E_BAD_ARGUMENT", `report takes nothing, or send (got "${op}").`);
      return { name: "report", send: op === "send", incident: v.incident };
    }),
    close: z.object(raw("close", ref)).transform((v, ctx): RcaCommand => {
      const comment = v.words.join(" ").trim();
      if (comment.length > RCA_TEXT_MAX) return issue(ctx, "E_TEXT_TOO_LONG", `The closing comment is ${comment.length} characters; the limit is ${RCA_TEXT_MAX}.`);
      return { name: "close", comment, customerConfirmed: v.flags["customer-confirmed"] === true, incident: v.incident };
    }),
  };
}

export const RCA_SUBCOMMANDS = ["rca", "action", "timeline", "report", "close"] as const;

/** Raw fields of the RCA subcommands (words, flags), or undefined for another subcommand. */
export function rcaRawFields(name: string, words: string[], flags: Map<string, string | true>): Record<string, unknown> | undefined {
  if (!(RCA_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  const incident = flags.get("incident");
  return { name, words, incident: typeof incident === "string" ? incident : undefined, flags: Object.fromEntries(flags) };
}
