/** The parsed `/incident` commands: what every adapter hands to the dispatcher. */
import type { DeclareInput } from "../app/declare.js";
import type { Role } from "../domain/incident.js";
import type { RcaCommand } from "./rca-grammar.js";

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
  | ({ name: "resolve"; summary: string } & Scoped)
  | ({ name: "reopen"; reason: string } & Scoped)
  | ({ name: "update"; text: string; next?: number | undefined } & Scoped)
  | ({ name: "comms" } & Scoped)
  | ({ name: "escalate"; reason: string } & Scoped)
  | { name: "stats"; from?: string | undefined; to?: string | undefined; customer?: string | undefined; nature?: string | undefined }
  | RcaCommand;

export type CommandName = Command["name"];
