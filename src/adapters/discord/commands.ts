/**
 * The `/incident` application command: one subcommand per grammar subcommand, with typed options
 * (choices built from the policy: impact and urgency levels with their definitions, natures), and the
 * way back — an interaction's subcommand and options become the shared grammar text, so the one
 * parser validates them and the one dispatcher runs them. Nothing of the process is decided here.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { TEXT_MAX, TITLE_MAX } from "../../commands/parser.js";
import { SUBCOMMANDS } from "../../commands/usage.js";
import type { CommandName } from "../../commands/types.js";
import { DETECTION_SOURCES, ROLE_LABELS, ROLES } from "../../domain/incident.js";
import type { Level, Policy } from "../../domain/policy.js";

export const COMMAND_NAME = "incident";

type Choice = { name: string; value: string };
interface Opt {
  name: string;
  description: string;
  type: "string" | "boolean" | "user";
  required?: boolean;
  /** Given as a positional word of the grammar (in this order) rather than a --flag. */
  positional?: boolean;
  choices?: (p: Policy) => Choice[];
  autocomplete?: boolean;
  maxLength?: number;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** "I1 — Total outage: Total unavailability of production." within Discord's 100 characters. */
export const levelChoice = (l: Level): Choice => ({ name: clip(`${l.id} — ${l.label}: ${l.description}`, 100), value: l.id });
const list = (values: readonly string[]) => () => values.map((v) => ({ name: v, value: v }));

const incident: Opt = { name: "incident", description: "The incident (default: the war room you are in)", type: "string", autocomplete: true };
const impact: Opt = { name: "impact", description: "How much of production is affected", type: "string", choices: (p) => p.matrix.impacts.map(levelChoice) };
const urgency: Opt = { name: "urgency", description: "How critical the affected system is", type: "string", choices: (p) => p.matrix.urgencies.map(levelChoice) };
const text = (name: string, description: string): Opt => ({ name, description, type: "string", required: true, positional: true, maxLength: TEXT_MAX });

const OPTIONS: Record<CommandName, Opt[]> = {
  declare: [
    { name: "title", description: "What is wrong, in a few words", type: "string", required: true, positional: true, maxLength: TITLE_MAX },
    impact,
    urgency,
    { name: "nature", description: "Kind of incident", type: "string", choices: (p) => p.natures.slice(0, 25).map((n) => ({ name: n, value: n })) },
    { name: "service", description: "Affected service", type: "string", maxLength: TITLE_MAX },
    { name: "customer", description: "Affected customer", type: "string", maxLength: TITLE_MAX },
    { name: "detected-by", description: "Who noticed it first", type: "string", choices: list(DETECTION_SOURCES) },
    { name: "description", description: "More detail", type: "string", maxLength: TEXT_MAX },
    { name: "im", description: "Incident manager, if not you", type: "user" },
  ],
  status: [incident],
  list: [{ name: "all", description: "Include closed incidents", type: "boolean" }],
  classify: [impact, urgency, incident],
  role: [
    { name: "role", description: "The role to assign", type: "string", required: true, positional: true, choices: () => ROLES.map((r) => ({ name: ROLE_LABELS[r], value: r })) },
    { name: "user", description: "Who takes it", type: "user", required: true, positional: true },
    incident,
  ],
  ack: [incident],
  investigating: [incident],
  wait: [{ name: "on", description: "Waiting on whom (the SLA clock pauses)", type: "string", required: true, positional: true, choices: list(["customer", "vendor"]) }, incident],
  mitigated: [text("text", "The workaround in place"), incident],
  resolve: [text("summary", "What happened and how it was fixed"), incident],
  reopen: [text("reason", "Why it is not fixed after all"), incident],
  update: [text("text", "What is being done, for stakeholders"), { name: "next", description: "When the next update comes, e.g. 30m or 1h", type: "string", maxLength: 10 }, incident],
  comms: [incident],
  stats: [
    { name: "from", description: "First day, YYYY-MM-DD (default: 30 days ago)", type: "string", maxLength: 10 },
    { name: "to", description: "Last day, YYYY-MM-DD (default: today)", type: "string", maxLength: 10 },
    { name: "customer", description: "Only this customer's incidents", type: "string", maxLength: TITLE_MAX },
    { name: "nature", description: "Only incidents of this nature", type: "string", choices: (p) => p.natures.slice(0, 25).map((n) => ({ name: n, value: n })) },
  ],
  escalate: [text("reason", "No technical solution, outside help needed, major incident…"), incident],
  report: [{ name: "action", description: "send: post the report to the announcements channel", type: "string", positional: true, choices: list(["send"]) }, incident],
  rca: [
    { name: "section", description: "A section to show or write, or approve", type: "string", positional: true, choices: (p) => [...p.rca.sections.map((s) => ({ name: s.label, value: s.id })), { name: "approve (head of team)", value: "approve" }].slice(0, 25) },
    { name: "text", description: "The section's text", type: "string", positional: true, maxLength: TEXT_MAX },
    { name: "append", description: "Add to the section instead of replacing it", type: "boolean" },
    incident,
  ],
  action: [
    { name: "op", description: "add, done or list", type: "string", required: true, positional: true, choices: list(["add", "done", "list"]) },
    { name: "text", description: "add: the action; done: its number", type: "string", positional: true, maxLength: TEXT_MAX },
    { name: "owner", description: "Who owns it (add)", type: "user" },
    { name: "due", description: "Due date, YYYY-MM-DD (add)", type: "string", maxLength: 10 },
    incident,
  ],
  timeline: [
    { name: "op", description: "add", type: "string", required: true, positional: true, choices: list(["add"]) },
    { name: "time", description: "HH:MM (today, policy timezone), YYYY-MM-DD HH:MM or ISO time", type: "string", required: true, positional: true, maxLength: 40 },
    text("text", "What happened"),
    incident,
  ],
  close: [text("comment", "The closing comment: how it was resolved"), { name: "customer-confirmed", description: "The customer agreed to close", type: "boolean" }, incident],
  help: [{ name: "topic", description: "A subcommand", type: "string", positional: true, choices: () => SUBCOMMANDS.map((s) => ({ name: s.name, value: s.name })) }],
};

const TYPES = { string: ApplicationCommandOptionType.String, boolean: ApplicationCommandOptionType.Boolean, user: ApplicationCommandOptionType.User } as const;

/** The JSON registered with `PUT applications/{app}/guilds/{guild}/commands`. */
export function incidentCommand(policy: Policy): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: COMMAND_NAME,
    type: ApplicationCommandType.ChatInput,
    description: "Declare and run incidents",
    options: SUBCOMMANDS.map((s) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: s.name,
      description: clip(s.summary, 100),
      options: OPTIONS[s.name].map((o) => ({
        type: TYPES[o.type],
        name: o.name,
        description: o.description,
        required: o.required ?? false,
        ...(o.choices ? { choices: o.choices(policy).slice(0, 25) } : {}),
        ...(o.autocomplete ? { autocomplete: true } : {}),
        ...(o.maxLength ? { max_length: o.maxLength } : {}),
      })) as never,
    })),
  };
}

export { quote } from "../../commands/lexer.js";
import { quote } from "../../commands/lexer.js";

/** `/incident <sub> <options>` → the text after `/incident`, for the shared parser. */
export function toGrammar(sub: string, values: Record<string, string | number | boolean | undefined>): string {
  const opts = OPTIONS[sub as CommandName];
  if (!opts) return quote(sub); // unknown: the parser answers with its usual sentence
  const words: string[] = [sub];
  const flags: string[] = [];
  for (const o of opts) {
    const v = values[o.name];
    if (v === undefined || v === "") continue;
    const word = o.type === "user" ? `<@${String(v)}>` : quote(String(v));
    if (o.type === "boolean") {
      if (v === true) flags.push(`--${o.name}`);
    } else if (o.positional) words.push(word);
    else flags.push(`--${o.name}`, word);
  }
  return [...words, ...flags].join(" ");
}
