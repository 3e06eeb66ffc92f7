/**
 * The one way in. Every surface — a console line, a slash command, Discord options, a button, a form
 * — becomes a Command (or a form to fill first) and runs through `execute`, which resolves the
 * command's permission rule from the table and the policy, runs the use case (the rule is enforced by
 * app/access.ts where the use case finds what it acts on — an incident under its row lock, a
 * schedule, an alert proposal) and renders the one reply every surface shows.
 */
import { randomUUID } from "node:crypto";
import { acknowledge } from "../app/acknowledge.js";
import { classify } from "../app/classify.js";
import { ensureMonitoring } from "../app/access.js";
import type { AccessCheck, AppContext, Invocation } from "../app/context.js";
import { declare } from "../app/declare.js";
import { joinIncident } from "../app/join.js";
import { linkIncident } from "../app/link.js";
import { checkAccess, incidentStatus, listIncidents } from "../app/queries.js";
import { rcaFormState } from "../app/rca/form.js";
import { assignRole } from "../app/roles.js";
import { changeStatus, type StatusChangeInput } from "../app/status-change.js";
import { ROLE_LABELS } from "../domain/incident.js";
import { refusal, type RefusalCode } from "../domain/refusal.js";
import { changedText, declaredText, listText, statusText } from "./format.js";
import { commandFrom, parseLine, type FormRequest, type Parsed, type Raw } from "./parser.js";
import { guarded, refusalReply, type FormField, type FormView, type Reply } from "./reply.js";
import { runComms, runUpdate } from "./run-comms.js";
import { runEscalate } from "./run-escalation.js";
import { runRca } from "./run-rca.js";
import { runStats } from "./run-stats.js";
import { runOncall } from "./run-oncall.js";
import { runAlert } from "./run-alert.js";
import { DEFAULT_PERMISSIONS, PERMISSION_VERBS, specOf, TEXT_MAX, type Arg } from "./table.js";
import { permissionKey, type Command } from "./types.js";
import { helpText, usageOf } from "./usage.js";
import { UNUSABLE } from "./unusable.js";
import type { Policy } from "../domain/policy.js";
import type { UnitOfWork } from "../app/ports.js";
import { noticeView } from "../domain/views.js";
import { addLogContext } from "../log.js";

/** The text after `/incident` (console line, Slack slash command). */
export async function dispatch(ctx: AppContext, inv: Invocation, text: string): Promise<Reply> {
  const parsed = parseLine(text, ctx.policy, inv.platform);
  return parsed.ok ? proceed(ctx, inv, parsed.value) : handled(ctx, inv, "unknown", refusalReply(parsed.refusal));
}

/** A subcommand with raw values by argument name (Discord options). */
export async function runWith(ctx: AppContext, inv: Invocation, name: string, raw: Raw): Promise<Reply> {
  const parsed = commandFrom(name, raw, ctx.policy, inv.platform);
  return parsed.ok ? proceed(ctx, inv, parsed.value) : handled(ctx, inv, name, refusalReply(parsed.refusal));
}

/** The buttons of the bot's messages (views' action ids), each the command it stands for. */
export const BUTTONS = ["ack", "update", "resolve", "rca", "cover", "declare"] as const;

/** A button pressed on an incident's message (`reference`: its incident), or on a cover request (`reference`: its number). */
export async function pressButton(ctx: AppContext, inv: Invocation, button: string, reference: string): Promise<Reply> {
  if (!(BUTTONS as readonly string[]).includes(button)) return handled(ctx, inv, "button", refusalReply(refusal("E_BAD_ARGUMENT", UNUSABLE.unknownButton, {})));
  if (button === "rca") return handled(ctx, inv, "rca", await guarded(() => openRcaForm(ctx, inv, reference)));
  if (button === "cover") return runWith(ctx, inv, "oncall", { schedule: `cover accept ${reference}` });
  // The triage channel's Declare: `reference` names the alert group (ALERT-<n>).
  if (button === "declare") return execute(ctx, inv, { name: "alert", op: "declare", group: reference });
  return runWith(ctx, inv, button, { incident: reference });
}

async function proceed(ctx: AppContext, inv: Invocation, parsed: Parsed): Promise<Reply> {
  if (parsed.kind === "command") return execute(ctx, inv, parsed.command);
  return handled(ctx, inv, parsed.form.name, await guarded(() => openForm(ctx, inv, parsed.form)));
}

/**
 * Resolves who may run `cmd`: the table's default, or the policy's `permissions` override — except
 * that a `monitoring` command stays the webhooks' whatever a policy says.
 */
function accessFor(policy: Policy, platform: string, key: string): AccessCheck {
  const fixed = DEFAULT_PERMISSIONS[key] === "monitoring" ? "monitoring" : undefined;
  const rule = fixed ?? policy.permissions[key] ?? DEFAULT_PERMISSIONS[key] ?? "anyone";
  return { rule, does: PERMISSION_VERBS[key] ?? "do that", approvers: policy.rca.approvers[platform] ?? [] };
}

/**
 * Runs a command: permission (from the table and policy), the use case and its reply's placement in
 * one transaction, then the one reply. A public answer about an incident belongs where its people
 * are: run elsewhere (another channel, `--incident` of another incident), the answer is posted in the
 * incident's war room (its channel for a P3) with the change, and the person gets a private copy.
 */
export async function execute(ctx: AppContext, inv: Invocation, cmd: Command): Promise<Reply> {
  const allowed = { ...inv, access: accessFor(ctx.policy, inv.platform, permissionKey(cmd)) };
  const spec = specOf(cmd.name);
  const reply = await guardedWithUsage(
    () => {
      ensureMonitoring(allowed); // the other rules are checked where the use case finds its party
      return ctx.store.transaction(async (uow) => place(ctx, uow, inv, await run(ctx, allowed, cmd)));
    },
    spec ? usageOf(spec, ctx.policy) : undefined,
  );
  ctx.waker.wake(); // after the commit: what the command scheduled is due now
  if (reply.about) addLogContext({ incident: reply.about.reference });
  return handled(ctx, inv, cmd.name, reply);
}

async function place(ctx: AppContext, uow: UnitOfWork, inv: Invocation, reply: Reply): Promise<Reply> {
  const i = reply.about;
  if (reply.ephemeral || !i) return reply;
  const room = (await uow.incidents.warRooms(i.id)).find((r) => r.platform === i.platform && !r.archivedAt);
  const home = room ? room.channelId : i.originChannel;
  const here = home === inv.channelId && i.platform === inv.platform;
  if (here && inv.confirm !== "outbox") return reply;
  // Closing words are still delivered once the incident is closed (deliver skips other posts then).
  const key = `${i.status === "closed" ? "closing:" : ""}reply:${inv.platform}:${inv.requestKey ?? randomUUID()}`;
  const message = { ...noticeView(i, reply.text), mentionsInHeadline: true, mentionIds: peopleOf(inv, i) };
  await uow.outbox.enqueue({ key, incidentId: i.id, platform: i.platform, target: room ? "warroom" : i.originChannel, action: "post", message }, ctx.clock.now());
  if (here) return { ...reply, posted: true };
  return { ...reply, ephemeral: true, posted: true, text: `${reply.text}\n(Posted in ${room ? `#${room.channelName}` : "the channel it was declared in"}.)` };
}

function handled(ctx: AppContext, inv: Invocation, name: string, reply: Reply): Reply {
  ctx.observer?.commandHandled(inv.platform, name, reply.refusal?.code ?? "ok");
  return { ...reply, people: peopleOf(inv, reply.about) };
}

const peopleOf = (inv: Invocation, i: Reply["about"]): string[] =>
  [...new Set([inv.userId, ...(i ? [i.declaredBy, ...Object.values(i.roles), ...(i.acknowledgedBy ? [i.acknowledgedBy] : [])] : [])])];

/** Refusals after which the usage line helps: the user named the wrong place or incident. */
const SHOW_USAGE: ReadonlySet<RefusalCode> = new Set(["E_NOT_IN_INCIDENT_CHANNEL", "E_INCIDENT_NOT_FOUND"]);

async function guardedWithUsage(fn: () => Promise<Reply>, usage?: string): Promise<Reply> {
  const reply = await guarded(fn);
  const r = reply.refusal;
  return usage && r && !r.usage && SHOW_USAGE.has(r.code) ? refusalReply({ ...r, usage }) : reply;
}

// ---- Forms ------------------------------------------------------------------------------------

const TITLES: Record<string, [string, string]> = {
  declare: ["Declare an incident", "Declare"],
  resolve: ["Resolve", "Resolve"],
  update: ["Update", "Post update"],
  mitigated: ["Mitigated", "Save"],
  reopen: ["Reopen", "Reopen"],
  escalate: ["Escalate", "Escalate"],
  rca: ["RCA", "Save"],
};

function field(a: Arg, policy: Policy, value: unknown, missing: boolean): FormField {
  const options = a.kind === "choice" && a.choices ? a.choices(policy) : undefined;
  return {
    name: a.name,
    label: a.label.replace(/^--/, "").replace(/^./, (c) => c.toUpperCase()),
    hint: a.describe,
    kind: options ? "choice" : "text",
    required: !!a.required || (a.name === "impact" || a.name === "urgency"),
    paragraph: !!a.paragraph,
    max: a.max ?? (a.kind === "duration" || a.kind === "day" ? 10 : a.kind === "ref" ? 24 : 100),
    ...(options ? { options } : {}),
    missing,
    value: typeof value === "string" ? value : undefined,
  };
}

/** Saves what was given (so any replica, after any restart, finds it at submission) and describes the form. */
async function saveForm(ctx: AppContext, inv: Invocation, draft: Record<string, unknown>, view: Omit<FormView, "draftKey">): Promise<Reply> {
  const draftKey = `${inv.platform}:${inv.requestKey ?? randomUUID()}`.slice(0, 80);
  await ctx.store.transaction((uow) => uow.requests.saveDraft(draftKey, { ...draft, channelId: inv.channelId }, ctx.clock.now()));
  return { ephemeral: true, text: `${view.title}: fill in the form.`, form: { draftKey, ...view } };
}

async function openForm(ctx: AppContext, inv: Invocation, f: FormRequest): Promise<Reply> {
  const reference = typeof f.values.incident === "string" ? f.values.incident : undefined;
  const spec = specOf(f.name)!;
  let title = TITLES[f.name]?.[0] ?? f.name;
  if (spec.scoped) {
    // Someone who may not run the command is told now, not after filling the form in.
    const i = await checkAccess(ctx, { ...inv, access: accessFor(ctx.policy, inv.platform, f.name) }, reference);
    title = `${title} ${i.reference}`;
    f.values.incident = i.reference;
  }
  const fields = f.fields.map((a) => field(a, ctx.policy, f.values[a.name], f.missing.includes(a.name)));
  return saveForm(ctx, inv, { name: f.name, values: f.values }, { title, submit: TITLES[f.name]?.[1] ?? "Submit", fields });
}

async function openRcaForm(ctx: AppContext, inv: Invocation, reference: string): Promise<Reply> {
  const { incident, texts } = await rcaFormState(ctx, { ...inv, access: accessFor(ctx.policy, inv.platform, "rca set") }, reference);
  const fields: FormField[] = ctx.policy.rca.sections.map((s) => ({
    name: s.id,
    label: s.required ? s.label : `${s.label} (optional)`,
    hint: s.label,
    kind: "text",
    required: false,
    paragraph: true,
    max: TEXT_MAX,
    missing: s.required && !texts[s.id],
    value: texts[s.id],
  }));
  return saveForm(ctx, inv, { name: "rca form", values: { incident: incident.reference } }, { title: `RCA ${incident.reference}`, submit: "Save", fields });
}

export type Submission = { ok: true; command: Command; channelId: string } | { ok: false; reply: Reply };

/**
 * Checks a submitted form against the draft it was opened with, with the same rules as the command
 * line; problems come back per field (Slack shows them beside the inputs before the modal closes).
 */
export async function checkSubmission(ctx: AppContext, inv: Invocation, draftKey: string, submitted: Record<string, string | undefined>): Promise<Submission> {
  const draft = await ctx.store.transaction((uow) => uow.requests.draft(draftKey, ctx.clock.now()));
  if (!draft || typeof draft.name !== "string") {
    return { ok: false, reply: refusalReply(refusal("E_FORM_EXPIRED", "This form has expired or is not one the bot opened; run the command again.", {})) };
  }
  const channelId = typeof draft.channelId === "string" ? draft.channelId : inv.channelId;
  const values = { ...((draft.values ?? {}) as Raw) };
  if (draft.name === "rca form") {
    const texts = Object.fromEntries(ctx.policy.rca.sections.flatMap((s) => (s.id in submitted ? [[s.id, submitted[s.id] ?? ""]] : [])));
    return { ok: true, channelId, command: { name: "rca", op: "form", texts, incident: values.incident as string | undefined } };
  }
  const spec = specOf(draft.name);
  if (!spec) return { ok: false, reply: refusalReply(refusal("E_FORM_EXPIRED", "This form is not one the bot knows; run the command again.", {})) };
  for (const a of spec.args.filter((x) => x.form)) if (a.name in submitted) values[a.name] = submitted[a.name];
  const parsed = commandFrom(draft.name, values, ctx.policy, inv.platform);
  if (parsed.ok && parsed.value.kind === "command") return { ok: true, channelId, command: parsed.value.command };
  const errors: Record<string, string> = {};
  if (parsed.ok && parsed.value.kind === "form") {
    for (const m of parsed.value.form.missing) errors[m] = m === "impact" || m === "urgency" ? `Choose the ${m}.` : `${spec.args.find((a) => a.name === m)?.label ?? m} is missing.`;
    return { ok: false, reply: { ...refusalReply(refusal("E_MISSING_ARGUMENT", Object.values(errors).join(" "), {})), fieldErrors: errors } };
  }
  if (!parsed.ok) {
    const path = String(parsed.refusal.context.path ?? "");
    const arg = spec.args.find((a) => a.name === path || a.key === path);
    if (arg) errors[arg.name] = parsed.refusal.message;
    // A form shows the sentence beside the field; the command's usage line would not help there.
    const { usage: _usage, ...withoutUsage } = parsed.refusal;
    return { ok: false, reply: { ...refusalReply(withoutUsage), fieldErrors: errors } };
  }
  return { ok: false, reply: refusalReply(refusal("E_BAD_ARGUMENT", "The form could not be read; run the command again.", {})) };
}

/** A form submitted: checked against its draft, then run as the command, where it was opened. */
export async function submitForm(ctx: AppContext, inv: Invocation, draftKey: string, submitted: Record<string, string | undefined>): Promise<Reply> {
  const s = await checkSubmission(ctx, inv, draftKey, submitted);
  if (!s.ok) return handled(ctx, inv, "form", s.reply);
  return execute(ctx, { ...inv, channelId: s.channelId }, s.command);
}

// ---- The use cases, and their one reply ------------------------------------------------------

const STATUS_VERBS: Record<string, string> = {
  investigating: "is being investigated",
  waiting_customer: "is waiting on the customer (SLA clock paused)",
  waiting_vendor: "is waiting on a vendor (SLA clock paused)",
  mitigated: "is mitigated",
  resolved: "is resolved",
};

async function statusChange(ctx: AppContext, inv: Invocation, input: StatusChangeInput): Promise<Reply> {
  const { incident, from, openChildren } = await changeStatus(ctx, inv, input);
  const verb = from === "resolved" ? "is reopened" : incident.outcome ? `is resolved as ${incident.outcome} (no all-clear, no RCA)` : (STATUS_VERBS[incident.status] ?? `is ${incident.status}`);
  const children = openChildren.map((c) => `\n${c} is part of it and still open: /incident resolve <summary> --incident ${c}`).join("");
  return { about: incident, ephemeral: false, text: changedText(ctx.policy, incident, verb) + children };
}

async function run(ctx: AppContext, inv: Invocation, cmd: Command): Promise<Reply> {
  const policy = ctx.policy;
  switch (cmd.name) {
    case "help": // an unknown topic was refused by the parser
      return { ephemeral: true, text: helpText(policy, cmd.topic).text };
    case "declare": {
      const { name: _, ...draft } = cmd;
      const d = await declare(ctx, inv, { ...draft, impact: draft.impact!, urgency: draft.urgency! });
      return { about: d.incident, ephemeral: false, text: declaredText(policy, d) };
    }
    case "status":
      return { ephemeral: true, text: statusText(policy, await incidentStatus(ctx, inv, cmd.incident)) };
    case "list":
      return { ephemeral: true, text: listText(policy, await listIncidents(ctx, cmd.all), cmd.all) };
    case "join": {
      const r = await joinIncident(ctx, inv, cmd.incident);
      return { about: r.incident, ephemeral: true, text: `You are now a responder of ${r.incident.reference}: you may acknowledge, change its status, write its timeline and RCA.` };
    }
    case "classify": {
      const r = await classify(ctx, inv, cmd);
      const room = r.warRoomOpened ? ` War room: #${r.warRoomOpened}` : "";
      return { about: r.incident, ephemeral: false, text: changedText(policy, r.incident, `reclassified ${r.previousPriority} → ${r.incident.priority}`) + room };
    }
    case "role": {
      const r = await assignRole(ctx, inv, cmd);
      const was = r.previous ? ` (was @${r.previous}, who is told)` : "";
      return { about: r.incident, ephemeral: false, text: `${r.incident.reference}: @${cmd.user} is now ${ROLE_LABELS[cmd.role]}${was}.` };
    }
    case "ack": {
      const r = await acknowledge(ctx, inv, cmd.incident);
      if (r.escalation) return { about: r.incident, ephemeral: false, text: `${r.incident.reference}: @${inv.userId} has the escalation in hand (the incident was acknowledged by @${r.incident.acknowledgedBy}).` };
      const sla = r.withinSla === null ? "" : r.withinSla ? " (within respond-by)" : " (respond-by was breached)";
      return { about: r.incident, ephemeral: false, text: `${r.incident.reference} acknowledged by @${inv.userId}${sla}.` };
    }
    case "investigating":
      return statusChange(ctx, inv, { to: "investigating", incident: cmd.incident });
    case "wait":
      return statusChange(ctx, inv, { to: cmd.on === "customer" ? "waiting_customer" : "waiting_vendor", incident: cmd.incident });
    case "mitigated":
      return statusChange(ctx, inv, { to: "mitigated", text: cmd.text, incident: cmd.incident });
    case "resolve":
      return statusChange(ctx, inv, { to: "resolved", text: cmd.summary, incident: cmd.incident, outcome: cmd.outcome });
    case "link":
    case "unlink": {
      const r = await linkIncident(ctx, inv, cmd.name === "link" ? cmd.parent : null, cmd.incident);
      const text = r.parent ? `${r.incident.reference} is now part of ${r.parent}.` : `${r.incident.reference} is no longer part of ${r.previous}.`;
      return { about: r.incident, ephemeral: false, text };
    }
    case "reopen":
      return statusChange(ctx, inv, { to: "investigating", text: cmd.reason, incident: cmd.incident, reopen: true });
    case "update":
      return runUpdate(ctx, inv, cmd);
    case "comms":
      return runComms(ctx, inv, cmd);
    case "stats":
      return runStats(ctx, cmd);
    case "oncall":
      return runOncall(ctx, inv, cmd);
    case "alert":
      return runAlert(ctx, inv, cmd);
    case "escalate":
      return runEscalate(ctx, inv, cmd);
    case "rca":
    case "action":
    case "timeline":
    case "report":
    case "close":
      return runRca(ctx, inv, cmd);
  }
}
