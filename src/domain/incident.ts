/** The incident record as the domain and the use cases see it (the store maps rows to this). */
import type { Status } from "./lifecycle.js";
import type { Pause } from "./sla.js";

export const DETECTION_SOURCES = ["monitoring", "staff", "customer"] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

export const OUTCOMES = ["duplicate", "declined"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ROLES = ["im", "lead", "comms"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  im: "incident manager",
  lead: "technical lead",
  comms: "communications lead",
};

export interface Incident {
  id: number;
  reference: string;
  year: number;
  seq: number;
  title: string;
  description: string | null;
  nature: string | null;
  service: string | null;
  customer: string | null;
  detectedBy: DetectionSource | null;
  impact: string;
  urgency: string;
  priority: string;
  status: Status;
  /** The chat platform it was declared on (console, slack, discord) and the channel. */
  platform: string;
  originChannel: string;
  declaredBy: string;
  declaredAt: Date;
  respondBy: Date | null;
  resolveBy: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** The major incident this one is part of, or null. */
  parentId: number | null;
  /**
   * Resolved as a duplicate of another incident or declined (not an incident after all): no
   * all-clear, no RCA required, counted apart in the KPIs. Null for a real incident.
   */
  outcome: Outcome | null;
  /** When the next stakeholder update is promised (communication priorities), or null. */
  nextUpdateAt: Date | null;
  /** Periods spent waiting on the customer or a vendor: the SLA clock stops there. */
  pauses: Pause[];
  roles: Partial<Record<Role, string>>;
}

/** An incident linked to a major one with --parent, as the major one's summary lists it. */
export interface ChildIncident {
  reference: string;
  status: Status;
}

export interface WarRoom {
  incidentId: number;
  platform: string;
  channelId: string;
  channelName: string;
  summaryMessageId: string | null;
  /** Set once the summary is pinned (or pinning was given up): other posts may follow from then on. */
  readyAt?: Date | null;
  /** Set once the channel is archived: nothing is posted there any more. */
  archivedAt?: Date | null;
  /** Digests of the summary and topic last sent (see `app/jobs/summary-digest.ts`). */
  summaryDigest?: string | null;
  topicDigest?: string | null;
}

/** One entry of the append-only timeline. */
export interface IncidentEvent {
  id: number;
  incidentId: number;
  at: Date;
  actor: string;
  kind: string;
  data: Record<string, unknown>;
}
