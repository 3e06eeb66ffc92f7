/** The parsed `/incident` commands: what every adapter hands to the dispatcher. */
import type { DeclareInput } from "../app/declare.js";
import type { Outcome, Role } from "../domain/incident.js";
import type { RcaSectionDef } from "../domain/rca/policy.js";
import type { AlertBatch } from "../domain/alerts/types.js";

/** Incident-scoped commands name their incident with --incident, or run in its war room. */
interface Scoped {
  incident?: string | undefined;
}

export type DeclareDraft = Omit<DeclareInput, "impact" | "urgency"> & { impact?: string | undefined; urgency?: string | undefined };

export type Command =
  /** The declaration as the use case takes it, impact and urgency still optional (the adapter asks). */
  | ({ name: "declare" } & DeclareDraft)
  | ({ name: "status" } & Scoped)
  | { name: "list"; all: boolean }
  | { name: "help"; topic?: string | undefined }
  | ({ name: "classify"; impact?: string | undefined; urgency?: string | undefined } & Scoped)
  | ({ name: "role"; role: Role; user: string } & Scoped)
  | ({ name: "ack" } & Scoped)
  | ({ name: "investigating" } & Scoped)
  | ({ name: "wait"; on: "customer" | "vendor" } & Scoped)
  | ({ name: "mitigated"; text: string } & Scoped)
  | ({ name: "resolve"; summary: string; outcome?: Outcome | undefined } & Scoped)
  | ({ name: "link"; parent: string } & Scoped)
  | ({ name: "unlink" } & Scoped)
  | ({ name: "reopen"; reason: string } & Scoped)
  | ({ name: "update"; text: string; next?: number | undefined } & Scoped)
  | ({ name: "comms" } & Scoped)
  | ({ name: "escalate"; reason: string } & Scoped)
  | { name: "stats"; from?: string | undefined; to?: string | undefined; customer?: string | undefined; nature?: string | undefined }
  | OncallCommand
  | ({ name: "join" } & Scoped)
  /** Internal (not a slash command): a monitoring notification, or the triage channel's Declare button. */
  | { name: "alert"; op: "receive"; batch: AlertBatch }
  | { name: "alert"; op: "declare"; group: string }
  | RcaCommand;

/**
 * `/incident oncall`: who is on call (no op), overrides, cover requests and their Accept button.
 * Times ("YYYY-MM-DD HH:MM", ISO, or "now" for --from) are read in the schedule's timezone by the runner.
 */
export type OncallCommand =
  | { name: "oncall"; op?: undefined; schedule?: string | undefined; at?: string | undefined }
  | { name: "oncall"; op: "override"; schedule: string; user: string; from: string; to: string }
  | { name: "oncall"; op: "remove"; n: number }
  | { name: "oncall"; op: "cover"; schedule: string; until: string }
  | { name: "oncall"; op: "accept"; n: number };

/** The RCA and closure subcommands: rca, action, timeline, report, close. */
export type RcaCommand =
  | ({ name: "rca"; op: "show"; section?: RcaSectionDef | undefined } & Scoped)
  | ({ name: "rca"; op: "set"; section: RcaSectionDef; text: string; append: boolean } & Scoped)
  /** The RCA form: every section at once (Slack / Discord modal). */
  | ({ name: "rca"; op: "form"; texts: Record<string, string> } & Scoped)
  | ({ name: "rca"; op: "approve" } & Scoped)
  | ({ name: "action"; op: "add"; text: string; owner: string; due: string } & Scoped)
  | ({ name: "action"; op: "done"; n: number } & Scoped)
  | ({ name: "action"; op: "list" } & Scoped)
  | ({ name: "timeline"; op: "add"; time: string; text: string } & Scoped)
  | ({ name: "report"; send: boolean } & Scoped)
  | ({ name: "close"; comment: string; customerConfirmed: boolean } & Scoped);

/** The permission key of a command: its name, or `name op` for the subcommands with verbs. */
export function permissionKey(cmd: Command): string {
  switch (cmd.name) {
    case "rca":
      return cmd.op === "approve" ? "rca approve" : cmd.op === "show" ? "rca show" : "rca set";
    case "action":
      return `action ${cmd.op}`;
    case "timeline":
      return "timeline add";
    case "report":
      return cmd.send ? "report send" : "report";
    case "oncall":
      return cmd.op === "override" || cmd.op === "remove" ? "oncall override" : cmd.op === "cover" || cmd.op === "accept" ? "oncall cover" : "oncall";
    case "alert":
      return cmd.op === "declare" ? "alert declare" : "alert";
    default:
      return cmd.name;
  }
}

export type CommandName = Command["name"];
