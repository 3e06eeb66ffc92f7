/**
 * What changed in an incident, told to every feature that reacts to it (communications, escalation,
 * RCA and closure). The use cases announce changes; each feature owns one reaction module and
 * registers it in `./index.ts`, so adding a feature never edits another feature's use case.
 */
import type { Incident, Role } from "../../domain/incident.js";
import type { Status } from "../../domain/lifecycle.js";
import type { AppContext } from "../context.js";
import type { UnitOfWork } from "../ports.js";

export type IncidentChange =
  | { kind: "declared" }
  | { kind: "priority.changed"; from: string }
  /** Includes resolve (to "resolved") and reopen (from "resolved"). */
  | { kind: "status.changed"; from: Status; text?: string | undefined }
  | { kind: "acknowledged" }
  | { kind: "role.assigned"; role: Role; user: string; previous: string | null }
  | { kind: "closed" };

export interface ChangeContext {
  ctx: AppContext;
  /** The transaction of the use case: a reaction's writes commit or roll back with the change. */
  uow: UnitOfWork;
  /** The incident after the change. */
  incident: Incident;
  actor: string;
  now: Date;
}

/** Runs inside the use case's transaction; schedules timers and outbox deliveries, never sends itself. */
export type Reaction = (c: ChangeContext, change: IncidentChange) => Promise<void>;
