/**
 * The one entry point of every adapter: text after `/incident` → parse → use case → Reply. Refusals,
 * thrown or returned, become ephemeral replies with their code and sentence; nothing is half-stored
 * because each use case runs in one transaction.
 */
import { acknowledge } from "../app/acknowledge.js";
import { classify } from "../app/classify.js";
import type { AppContext, Invocation } from "../app/context.js";
import { declare, type DeclareInput } from "../app/declare.js";
import { incidentStatus, listIncidents } from "../app/queries.js";
import { assignRole } from "../app/roles.js";
import { changeStatus, type StatusChangeInput } from "../app/status-change.js";
import { ROLE_LABELS } from "../domain/incident.js";
import type { RefusalCode } from "../domain/refusal.js";
import { changedText, declaredText, listText, statusText } from "./format.js";
import { parseCommand } from "./parser.js";
import { runComms, runUpdate } from "./run-comms.js";
import { runStats } from "./run-stats.js";
import { runEscalate } from "./run-escalation.js";
import { guarded, refusalReply, type Reply } from "./reply.js";
import { runRca } from "./run-rca.js";
import type { Command } from "./types.js";
import { helpText, subcommand } from "./usage.js";

export async function dispatch(ctx: AppContext, inv: Invocation, text: string): Promise<Reply> {
  const parsed = parseCommand(text, ctx.policy);
  const reply = parsed.ok ? await guardedWithUsage(() => run(ctx, inv, parsed.value), subcommand(parsed.value.name)?.usage) : refusalReply(parsed.refusal);
  const name = parsed.ok ? parsed.value.name : "unknown";
  ctx.observer?.commandHandled(inv.platform, name, reply.refusal?.code ?? "ok");
  return reply;
}

/** Declares once impact and urgency are known (after an adapter's prompt, modal or menus). */
export function declareWith(ctx: AppContext, inv: Invocation, input: DeclareInput): Promise<Reply> {
  return guarded(async () => ({ ephemeral: false, text: declaredText(ctx.policy, await declare(ctx, inv, input)) }));
}

/** Refusals after which the usage line helps: the user named the wrong place or incident. */
const SHOW_USAGE: ReadonlySet<RefusalCode> = new Set(["E_NOT_IN_INCIDENT_CHANNEL", "E_INCIDENT_NOT_FOUND"]);

/** Refusals become replies; those about the place or incident named also show the usage line. */
async function guardedWithUsage(fn: () => Promise<Reply>, usage?: string): Promise<Reply> {
  const reply = await guarded(fn);
  const r = reply.refusal;
  return usage && r && !r.usage && SHOW_USAGE.has(r.code) ? refusalReply({ ...r, usage }) : reply;
}

const STATUS_VERBS: Record<string, string> = {
  investigating: "is being investigated",
  waiting_customer: "is waiting on the customer (SLA clock paused)",
  waiting_vendor: "is waiting on a vendor (SLA clock paused)",
  mitigated: "is mitigated",
  resolved: "is resolved",
};

async function statusChange(ctx: AppContext, inv: Invocation, input: StatusChangeInput): Promise<Reply> {
  const { incident, from, openChildren } = await changeStatus(ctx, inv, input);
  const verb = from === "resolved" ? "is reopened" : (STATUS_VERBS[incident.status] ?? `is ${incident.status}`);
  const children = openChildren.map((c) => `\n${c} is part of it and still open: /incident resolve <summary> --incident ${c}`).join("");
  return { ephemeral: false, text: changedText(ctx.policy, incident, verb) + children };
}

async function run(ctx: AppContext, inv: Invocation, cmd: Command): Promise<Reply> {
  const policy = ctx.policy;
  switch (cmd.name) {
    case "help":
      return { ephemeral: true, text: helpText(cmd.topic) };
    case "declare": {
      const { name: _, ...draft } = cmd;
      if (!cmd.impact || !cmd.urgency) {
        const missing = [...(cmd.impact ? [] : ["impact" as const]), ...(cmd.urgency ? [] : ["urgency" as const])];
        return { ephemeral: true, text: `Needs ${missing.join(" and ")}.`, prompt: { draft, missing, impacts: policy.matrix.impacts, urgencies: policy.matrix.urgencies } };
      }
      return declareWith(ctx, inv, { ...draft, impact: cmd.impact, urgency: cmd.urgency });
    }
    case "status":
      return { ephemeral: true, text: statusText(policy, await incidentStatus(ctx, inv, cmd.incident)) };
    case "list":
      return { ephemeral: true, text: listText(policy, await listIncidents(ctx, cmd.all), cmd.all) };
    case "classify": {
      const r = await classify(ctx, inv, cmd);
      const room = r.warRoomOpened ? ` War room: #${r.warRoomOpened}` : "";
      return { ephemeral: false, text: changedText(policy, r.incident, `reclassified ${r.previousPriority} → ${r.incident.priority}`) + room };
    }
    case "role": {
      const r = await assignRole(ctx, inv, cmd);
      const was = r.previous ? ` (was @${r.previous})` : "";
      return { ephemeral: false, text: `${r.incident.reference}: @${cmd.user} is now ${ROLE_LABELS[cmd.role]}${was}.` };
    }
    case "ack": {
      const r = await acknowledge(ctx, inv, cmd.incident);
      const sla = r.withinSla === null ? "" : r.withinSla ? " (within respond-by)" : " (respond-by was breached)";
      return { ephemeral: false, text: `${r.incident.reference} acknowledged by @${inv.userId}${sla}.` };
    }
    case "investigating":
      return statusChange(ctx, inv, { to: "investigating", incident: cmd.incident });
    case "wait":
      return statusChange(ctx, inv, { to: cmd.on === "customer" ? "waiting_customer" : "waiting_vendor", incident: cmd.incident });
    case "mitigated":
      return statusChange(ctx, inv, { to: "mitigated", text: cmd.text, incident: cmd.incident });
    case "resolve":
      return statusChange(ctx, inv, { to: "resolved", text: cmd.summary, incident: cmd.incident });
    case "reopen":
      return statusChange(ctx, inv, { to: "investigating", text: cmd.reason, incident: cmd.incident, reopen: true });
    case "update":
      return runUpdate(ctx, inv, cmd);
    case "comms":
      return runComms(ctx, inv, cmd);
    case "stats":
      return runStats(ctx, cmd);
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
