/** What the alert use cases need from the store (`src/db/alert-repo.ts` implements it). */
import type { KnownAlert } from "../../domain/alerts/dedup.js";
import type { AlertBatch, AlertSource, AlertStatus } from "../../domain/alerts/types.js";

/** One alert group: the alerts Alertmanager / Grafana group under one `groupKey` (or one generic key). */
export interface AlertGroup {
  id: number;
  source: AlertSource;
  groupKey: string;
  rule: string;
  /** The incident its alerts attach to (the last one opened for it), or null. */
  incidentId: number | null;
  /** Posted to the triage channel, waiting for someone to press Declare. */
  pending: boolean;
  /** The notification that made it pending (what Declare declares). */
  batch: AlertBatch | null;
}

export interface AlertStateChange {
  fingerprint: string;
  status: AlertStatus;
  startsAt: string | null;
  title: string;
}

export interface AlertRepo {
  /**
   * The group of (source, groupKey), created on first sight, locked (`FOR UPDATE`) for the rest of the
   * transaction: concurrent notifications of one group, on any replica, run one after the other.
   */
  lockGroup(source: AlertSource, groupKey: string, rule: string, at: Date): Promise<AlertGroup>;
  /** By id, locked; null when there is none. */
  groupById(id: number): Promise<AlertGroup | null>;
  setGroup(id: number, patch: { incidentId?: number | null; pending?: boolean; batch?: AlertBatch | null; rule?: string }, at: Date): Promise<void>;
  states(groupId: number): Promise<KnownAlert[]>;
  /** The alerts of every group attached to the incident. */
  statesOfIncident(incidentId: number): Promise<KnownAlert[]>;
  saveStates(groupId: number, states: AlertStateChange[], at: Date): Promise<void>;
  /**
   * Locks the rule's flood counter (one row per rule) and answers how many incidents the rule opened
   * since `since`, and its open storm incident if any.
   */
  lockRule(rule: string): Promise<{ stormIncidentId: number | null }>;
  openedSince(rule: string, since: Date): Promise<number>;
  setStorm(rule: string, incidentId: number | null): Promise<void>;
  /** Records an incident opened by a rule (counted by the flood bound). */
  recordOpening(incidentId: number, groupId: number, rule: string, storm: boolean, at: Date): Promise<void>;
}
