/**
 * The `/incident` command table: every subcommand declared once — its summary, its arguments and
 * flags with their types, allowed values (levels, natures and RCA sections come from the policy),
 * limits, which of them a form asks for, and who may run it. The text parser, `help`, Discord's
 * command registration and the Slack / Discord forms are all derived from this table; adding a flag
 * is one edit here.
 */
import { DETECTION_SOURCES, OUTCOMES, ROLE_LABELS, ROLES } from "../domain/incident.js";
import type { Policy } from "../domain/policy.js";

export const TITLE_MAX = 150;
export const TEXT_MAX = 3000;

export interface Choice {
  value: string;
  /** What a menu shows (Discord choice name, Slack option text). */
  name: string;
  /** The level's definition, where the platform can show one. */
  description?: string;
}

export type ArgKind =
  /** Free text; a positional text argument takes the rest of the line. */
  | "text"
  /** One value from a list (levels, natures, roles…), matched without regard to case. */
  | "choice"
  /** A platform user: a mention or a user id. */
  | "user"
  /** An incident reference, INC-2026-0042. */
  | "ref"
  /** A duration between 1 minute and 24 hours, 30m or 1h30m. */
  | "duration"
  /** A calendar day, YYYY-MM-DD. */
  | "day"
  /** A switch (--all): present or not. */
  | "switch";

export interface Arg {
  /** The flag's name (`--detected-by`) and the Discord option's name. */
  name: string;
  /** The property of the command value it fills (`detectedBy`); defaults to `name`. */
  key?: string;
  /** How refusals name it: "The title". */
  label: string;
  /** One line for help, the Discord option and the form field's hint. */
  describe: string;
  kind: ArgKind;
  /** Given as a word in this order, not as a --flag. */
  positional?: boolean;
  required?: boolean;
  max?: number;
  choices?: (p: Policy) => Choice[];
  /** Asked for in the form when missing (declare, resolve, update). */
  form?: boolean;
  /** Multi-line form input. */
  paragraph?: boolean;
}

/**
 * Who may run a command. anyone; responders (declarer, role holders, people paged for it, people who
 * joined); the incident manager or communications lead; approvers named in the policy.
 */
export const ACCESS_RULES = ["anyone", "responder", "manager", "approver"] as const;
/** `monitoring`: only the alert webhooks' system user (internal commands; not a rule a policy can give). */
export type AccessRule = (typeof ACCESS_RULES)[number] | "monitoring";

export interface Spec {
  name: string;
  summary: string;
  args: Arg[];
  /** Runs on one incident: its war room, or `--incident`. */
  scoped: boolean;
  /**
   * The permission key(s): `name`, or `name op` for subcommands with verbs (rca approve). `access`
   * gives the default rule of each; the policy's `permissions` may override any of them.
   */
  access: Record<string, AccessRule>;
  /** What the refusal says one may not do: "acknowledge it". */
  does: Record<string, string>;
  /** A usage line written by hand where the words are richer than the arguments (rca, timeline). */
  usage?: string;
}

const levelChoices = (levels: Policy["matrix"]["impacts"]): Choice[] => levels.map((l) => ({ value: l.id, name: `${l.id} — ${l.label}`, description: l.description }));
const listOf = (values: readonly string[]) => (): Choice[] => values.map((v) => ({ value: v, name: v }));

const incident: Arg = { name: "incident", label: "--incident", describe: "The incident (default: the war room you are in)", kind: "ref" };
const impact: Arg = { name: "impact", label: "Impact", describe: "How much of production is affected", kind: "choice", choices: (p) => levelChoices(p.matrix.impacts), form: true };
const urgency: Arg = { name: "urgency", label: "Urgency", describe: "How critical the affected system is", kind: "choice", choices: (p) => levelChoices(p.matrix.urgencies), form: true };
const nature = (form: boolean): Arg => ({ name: "nature", label: "Nature", describe: "Kind of incident", kind: "choice", choices: (p) => p.natures.map((n) => ({ value: n, name: n })), form });
const text = (name: string, label: string, describe: string, o: Partial<Arg> = {}): Arg => ({ name, label, describe, kind: "text", positional: true, required: true, max: TEXT_MAX, form: true, paragraph: true, ...o });
const one = (name: string, rule: AccessRule, does: string) => ({ access: { [name]: rule }, does: { [name]: does } });

export const COMMANDS: readonly Spec[] = [
  {
    name: "declare",
    summary: "declare an incident (the form opens for what is not given)",
    scoped: false,
    ...one("declare", "anyone", "declare"),
    args: [
      { name: "title", label: "The title", describe: "What is wrong, in a few words", kind: "text", positional: true, required: true, max: TITLE_MAX, form: true },
      impact,
      urgency,
      { name: "description", label: "The description", describe: "More detail", kind: "text", max: TEXT_MAX, form: true, paragraph: true },
      nature(true),
      { name: "service", label: "The service", describe: "Affected service", kind: "text", max: TITLE_MAX, form: true },
      { name: "customer", label: "The customer", describe: "Affected customer", kind: "text", max: TITLE_MAX, form: true },
      { name: "detected-by", key: "detectedBy", label: "--detected-by", describe: "Who noticed it first", kind: "choice", choices: listOf(DETECTION_SOURCES), form: true },
      { name: "im", label: "The incident manager", describe: "Incident manager, if not you", kind: "user", form: true },
      { name: "parent", label: "--parent", describe: "The major incident this one is part of", kind: "ref", form: true },
    ],
  },
  { name: "status", summary: "show an incident", scoped: true, args: [], ...one("status", "anyone", "see it") },
  { name: "list", summary: "list open incidents (--all includes closed)", scoped: false, args: [{ name: "all", label: "--all", describe: "Include closed incidents", kind: "switch" }], ...one("list", "anyone", "list incidents") },
  { name: "join", summary: "become a responder of the incident (then ack, timeline, RCA…)", scoped: true, args: [], ...one("join", "anyone", "join it") },
  { name: "classify", summary: "reclassify; the priority is derived again", scoped: true, args: [{ ...impact, form: false }, { ...urgency, form: false }], ...one("classify", "manager", "reclassify it") },
  {
    name: "role",
    summary: "assign the incident manager, technical lead or communications lead",
    scoped: true,
    ...one("role", "manager", "hand its roles over"),
    args: [
      { name: "role", label: "The role", describe: "The role to assign", kind: "choice", positional: true, required: true, choices: () => ROLES.map((r) => ({ value: r, name: ROLE_LABELS[r] })) },
      { name: "user", label: "The user", describe: "Who takes it", kind: "user", positional: true, required: true },
    ],
  },
  { name: "ack", summary: "acknowledge: you have the incident in hand", scoped: true, args: [], ...one("ack", "responder", "acknowledge it") },
  { name: "investigating", summary: "mark as being investigated", scoped: true, args: [], ...one("investigating", "responder", "change its status") },
  {
    name: "wait",
    summary: "waiting on the customer or a vendor (the SLA clock pauses)",
    scoped: true,
    args: [{ name: "on", label: "What you wait on", describe: "Waiting on whom (the SLA clock pauses)", kind: "choice", positional: true, required: true, choices: listOf(["customer", "vendor"]) }],
    ...one("wait", "responder", "change its status"),
  },
  { name: "mitigated", summary: "a workaround is in place", scoped: true, args: [text("text", "What was done", "The workaround in place")], ...one("mitigated", "responder", "change its status") },
  {
    name: "resolve",
    summary: "service restored; --as duplicate|declined ends one that was not a real incident (no all-clear, no RCA)",
    scoped: true,
    ...one("resolve", "manager", "resolve it"),
    args: [
      text("summary", "The resolution summary", "What happened, and how was it fixed?"),
      { name: "as", key: "outcome", label: "--as", describe: "duplicate or declined: not a real incident (no all-clear, no RCA)", kind: "choice", choices: listOf(OUTCOMES) },
    ],
  },
  { name: "link", summary: "make this incident part of a major incident", scoped: true, args: [{ name: "parent", label: "The major incident", describe: "The incident this one is part of", kind: "ref", positional: true, required: true }], ...one("link", "manager", "link it") },
  { name: "unlink", summary: "this incident is not part of another after all", scoped: true, args: [], ...one("unlink", "manager", "unlink it") },
  { name: "reopen", summary: "a resolved incident is not fixed after all", scoped: true, args: [text("reason", "The reason", "Why it is not fixed after all")], ...one("reopen", "manager", "reopen it") },
  {
    name: "update",
    summary: "post a stakeholder update (war room and announcements); --next says when the next one comes",
    scoped: true,
    ...one("update", "manager", "post its stakeholder updates"),
    args: [
      text("text", "The update", "What is being done? (for stakeholders)"),
      { name: "next", label: "--next", describe: "Next update in, e.g. 30m or 1h (the cadence if empty)", kind: "duration", form: true },
    ],
  },
  { name: "comms", summary: "every communication of the incident, and whether it arrived", scoped: true, args: [], ...one("comms", "anyone", "see its communications") },
  { name: "escalate", summary: "managerial escalation: page management (no technical solution, outside help needed, major incident)", scoped: true, args: [text("reason", "The reason for escalating", "No technical solution, outside help needed, major incident…")], ...one("escalate", "manager", "escalate it") },
  {
    name: "rca",
    summary: "the RCA: checklist; show, set or add to a section; approval by the head of team",
    usage: "/incident rca [<section> [<text>] [--append] | approve]",
    scoped: true,
    access: { "rca show": "anyone", "rca set": "responder", "rca approve": "approver" },
    does: { "rca show": "read its RCA", "rca set": "write its RCA", "rca approve": "approve the RCA" },
    args: [
      {
        name: "section",
        label: "The section",
        describe: "A section to show or write, or approve",
        kind: "text",
        positional: true,
        choices: (p) => [...p.rca.sections.map((s) => ({ value: s.id, name: s.label })), { value: "approve", name: "approve (head of team)" }],
      },
      { name: "text", label: "The text", describe: "The section's text", kind: "text", positional: true, max: TEXT_MAX },
      { name: "append", label: "--append", describe: "Add to the section instead of replacing it", kind: "switch" },
    ],
  },
  {
    name: "action",
    summary: "corrective and preventive actions, each with an owner and a due date",
    usage: "/incident action add <text> --owner @user --due YYYY-MM-DD | action done <n> | action list",
    scoped: true,
    access: { "action add": "responder", "action done": "responder", "action list": "anyone" },
    does: { "action add": "add its actions", "action done": "complete its actions", "action list": "list its actions" },
    args: [
      { name: "op", label: "What to do", describe: "add, done or list", kind: "choice", positional: true, choices: listOf(["add", "done", "list"]) },
      { name: "text", label: "The action", describe: "add: the action; done: its number", kind: "text", positional: true, max: TEXT_MAX },
      { name: "owner", label: "--owner", describe: "Who owns it (add)", kind: "user" },
      { name: "due", label: "--due", describe: "Due date, YYYY-MM-DD (add)", kind: "day" },
    ],
  },
  {
    name: "timeline",
    summary: "add to the timeline what happened outside the bot",
    usage: "/incident timeline add <HH:MM | YYYY-MM-DD HH:MM | ISO time> <text>",
    scoped: true,
    ...one("timeline add", "responder", "add to its timeline"),
    args: [
      { name: "op", label: "What to do", describe: "add", kind: "choice", positional: true, required: true, choices: listOf(["add"]) },
      { name: "time", label: "The time", describe: "HH:MM (today, policy timezone), YYYY-MM-DD HH:MM or ISO time", kind: "text", positional: true, required: true, max: 40 },
      { name: "text", label: "What happened", describe: "What happened", kind: "text", positional: true, required: true, max: TEXT_MAX },
    ],
  },
  {
    name: "report",
    summary: "the incident report in Markdown; send posts it to the announcements channel",
    scoped: true,
    access: { report: "responder", "report send": "manager" },
    does: { report: "see its report", "report send": "send its report" },
    args: [{ name: "op", label: "What to do", describe: "send: post the report to the announcements channel", kind: "choice", positional: true, choices: listOf(["send"]) }],
  },
  {
    name: "close",
    summary: "close a resolved incident once its RCA is done and the customer agreed",
    scoped: true,
    ...one("close", "manager", "close it"),
    args: [
      text("comment", "The closing comment", "The closing comment: how it was resolved", { required: false, form: false }),
      { name: "customer-confirmed", key: "customerConfirmed", label: "--customer-confirmed", describe: "The customer agreed to close", kind: "switch" },
    ],
  },
  {
    name: "stats",
    summary: "the KPIs: by nature and priority, SLA met, escalations, time to acknowledge, downtime, updates on time",
    scoped: false,
    ...one("stats", "anyone", "see the KPIs"),
    args: [
      { name: "from", label: "--from", describe: "First day, YYYY-MM-DD (default: 30 days ago)", kind: "day" },
      { name: "to", label: "--to", describe: "Last day, YYYY-MM-DD (default: today)", kind: "day" },
      { name: "customer", label: "The customer", describe: "Only this customer's incidents", kind: "text", max: TITLE_MAX },
      nature(false),
    ],
  },
  {
    name: "oncall",
    summary: "who is on call now (or --at a time) and next; override a shift, ask for cover, accept it",
    usage:
      '/incident oncall [<schedule>] [--at "YYYY-MM-DD HH:MM"] | oncall override <schedule> @user --from <time> --to <time> | oncall override remove <n> | oncall cover <schedule> --until <time>',
    scoped: false,
    access: { oncall: "anyone", "oncall override": "responder", "oncall cover": "responder" },
    does: { oncall: "see who is on call", "oncall override": "override its shifts", "oncall cover": "ask for or give cover on it" },
    args: [
      { name: "schedule", label: "The schedule", describe: "A schedule (default: all); or override <schedule> @user, override remove <n>, cover <schedule>", kind: "text", positional: true, max: 200 },
      { name: "at", label: "--at", describe: "YYYY-MM-DD HH:MM in the schedule's timezone (default: now)", kind: "text", max: 40 },
      { name: "from", label: "--from", describe: "override: start, YYYY-MM-DD HH:MM in the schedule's timezone, or now", kind: "text", max: 40 },
      { name: "to", label: "--to", describe: "override: end, YYYY-MM-DD HH:MM in the schedule's timezone", kind: "text", max: 40 },
      { name: "until", label: "--until", describe: "cover: until when, YYYY-MM-DD HH:MM in the schedule's timezone", kind: "text", max: 40 },
    ],
  },
  {
    name: "help",
    summary: "this help",
    scoped: false,
    ...one("help", "anyone", "read the help"),
    args: [{ name: "topic", label: "The topic", describe: "A subcommand", kind: "text", positional: true, max: 40, choices: () => COMMANDS.map((s) => ({ value: s.name, name: s.name })) }],
  },
];

/**
 * Commands no person types: they have no grammar, help or registration, only a permission. `alert`
 * carries a monitoring notification (HTTP webhooks); `alert declare` is the triage channel's button.
 */
export const INTERNAL_COMMANDS: readonly Spec[] = [
  {
    name: "alert",
    summary: "alerts from monitoring (HTTP webhooks), and the triage channel's Declare button",
    scoped: false,
    args: [],
    access: { alert: "monitoring", "alert declare": "anyone" },
    does: { alert: "send alerts", "alert declare": "declare it" },
  },
];

/** Every argument of a spec, `--incident` included for scoped commands. */
export function argsOf(spec: Spec): Arg[] {
  return spec.scoped ? [...spec.args, incident] : spec.args;
}

export function specOf(name: string): Spec | undefined {
  return COMMANDS.find((s) => s.name === name);
}

/** Every permission key with its default rule (for the policy schema and the README). */
export const DEFAULT_PERMISSIONS: Readonly<Record<string, AccessRule>> = Object.fromEntries([...COMMANDS, ...INTERNAL_COMMANDS].flatMap((s) => Object.entries(s.access)));

/** What a refusal says one may not do, per permission key. */
export const PERMISSION_VERBS: Readonly<Record<string, string>> = Object.fromEntries([...COMMANDS, ...INTERNAL_COMMANDS].flatMap((s) => Object.entries(s.does)));
