/**
 * The process policy as data: matrix, SLA targets, business hours, cadences. The zod schema that
 * validates a policy file lives in `src/config.ts`; this module holds the types and the DESIGN §2
 * defaults, so the domain never depends on configuration code.
 */
import { DEFAULT_RCA, type RcaPolicy } from "./rca/policy.js";
import type { Schedule } from "./oncall/schedule.js";
import { NO_STAKEHOLDERS, type StakeholderPolicy } from "./comms/destinations.js";
import { DEFAULT_ALERTS, type AlertsPolicy } from "./alerts/types.js";

export type { RcaPolicy, RcaSectionDef } from "./rca/policy.js";

/** One impact or urgency level, e.g. `{ id: "I1", label: "Total unavailability", description }`. */
export interface Level {
  id: string;
  label: string;
  description: string;
}

/** A priority the matrix can yield. `communication` priorities get a war room and stakeholder updates. */
export interface PriorityDef {
  id: string;
  label: string;
  communication: boolean;
}

export interface PriorityMatrix {
  impacts: Level[];
  urgencies: Level[];
  priorities: PriorityDef[];
  /** cells[impactId][urgencyId] = priorityId */
  cells: Record<string, Record<string, string>>;
}

export type SlaClockKind = "24x7" | "business";

export interface SlaTarget {
  respondMinutes: number;
  resolveMinutes: number;
  clock: SlaClockKind;
}

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** A working interval on a weekday, local wall-clock times "HH:MM" (end exclusive, end > start). */
export interface WorkInterval {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  /** IANA zone, e.g. "Europe/Paris". */
  timezone: string;
  week: Partial<Record<Weekday, WorkInterval[]>>;
  /** Local dates "YYYY-MM-DD" with no business hours. */
  holidays: string[];
}

/** The two escalation ladders. */
export type LadderId = "businessHours" | "offHours";

/** One rung of an escalation ladder. */
export interface EscalationLevel {
  name: string;
  /**
   * Chat user / group / role ids to page, per platform: { console: ["desk"], slack: ["U1"], discord: ["123"] };
   * the key `schedule` names on-call schedules instead, whose people on call at the page are paged too.
   */
  targets: Record<string, string[]>;
  /** JSON POST here for every page of this level (e.g. a pager or SMS gateway). */
  webhook?: string;
  /** E-mail address paged through SMTP (SMTP_URL). */
  email?: string;
  /** No acknowledgement within this many minutes pages the next level. */
  ackTimeoutMinutes: number;
}

export interface EscalationPolicy {
  businessHours: EscalationLevel[];
  offHours: EscalationLevel[];
  /** Per-priority timeouts that replace the levels' own, per ladder: { P1: { businessHours: 15, offHours: 15 } }. */
  priorityTimeouts: Record<string, Partial<Record<LadderId, number>>>;
  /** How many times the top level is paged again after its first page before the bot stops repeating. */
  repeatTopLevel: number;
  /** The name of the level that managerial escalation (/incident escalate, resolve-by breach) pages. */
  managementLevel: string;
}

export interface ReviewPolicy {
  /** "announcements" or a channel id. */
  channel: string;
  weeklyDay: Weekday;
  /** Local "HH:MM" in the business-hours timezone, for both the digest and the monthly report. */
  time: string;
  /** Same service and nature at least this many times in 30 days: a recurring incident. */
  recurringThreshold: number;
}

export interface Policy {
  matrix: PriorityMatrix;
  /** keyed by priority id */
  sla: Record<string, SlaTarget>;
  businessHours: BusinessCalendar;
  natures: string[];
  /** Minutes between stakeholder updates, by priority id; absent = no cadence. */
  updateCadenceMinutes: Record<string, number>;
  /** Minutes after a missed update time before the second reminder and the "missed" record. */
  updateGraceMinutes: number;
  /** The customer incident report: due this many hours after resolution, the IM reminded before. */
  customerReport: { dueHours: number; reminderHours: number };
  /** Prefix of human references: INC-2026-0042. */
  referencePrefix: string;
  escalation: EscalationPolicy;
  /** RCA template, the priorities needing one before closure, and its approvers. */
  rca: RcaPolicy;
  /** Days after closing before the war room is archived. */
  archiveAfterDays: number;
  /** The weekly review digest and the monthly report (1st of the month), posted to `channel`. */
  review: ReviewPolicy;
  /**
   * Who may run each command, overriding the command table's defaults: keys are command names, or
   * `name op` (rca approve, report send); values anyone | responder | manager | approver.
   */
  permissions: Record<string, PermissionRule>;
  /** On-call schedules by name; escalation levels page them with `targets: { schedule: [name] }`. */
  schedules: Record<string, Schedule>;
  /** Where stakeholder communications go: named destinations and the rules choosing them. */
  stakeholders: StakeholderPolicy;
  /** Alerts from monitoring: routing rules, their ladders, the flood bound. */
  alerts: AlertsPolicy;
  statusPage: StatusPagePolicy;
}

/** What a service looks like on the status page, now or on a day. */
export type ServiceState = "operational" | "degraded" | "outage";

/**
 * The status page (`GET /status`): the services it lists, keyed by the incidents' `--service` value,
 * in this order; a `private` service appears only on the token-protected internal page. Incidents of
 * `internalNatures` stay off the public page; `impactStates` says what an open incident of an impact
 * level does to its service (levels not named: see `impactState`).
 */
export interface StatusPagePolicy {
  title: string;
  services: Record<string, { name: string; private: boolean }>;
  internalNatures: string[];
  impactStates: Record<string, ServiceState>;
}

export type PermissionRule = "anyone" | "responder" | "manager" | "approver";

/** The console ids page in the local demo; Slack / Discord ids come from the policy file. */
const ladder = (first: [string, string], minutes: number): EscalationLevel[] =>
  [first, ["engineering", "engineering"], ["team leader", "team-lead"], ["management", "manager"]].map(([name, id]) => ({
    name: name!,
    targets: { console: [id!] },
    ackTimeoutMinutes: minutes,
  }));

const weekdayHours: WorkInterval[] = [{ start: "09:00", end: "17:30" }];

export const DEFAULT_POLICY: Policy = {
  matrix: {
    impacts: [
      { id: "I1", label: "Total outage", description: "Total unavailability of production." },
      { id: "I2", label: "Major degradation", description: "Significant unavailability or degradation of production." },
      { id: "I3", label: "Minor", description: "Insignificant or no impact on production." },
    ],
    urgencies: [
      { id: "U1", label: "Critical business", description: "Failure carries significant financial risk or contractual (SLA) constraints." },
      { id: "U2", label: "Important", description: "Non-financial impact, or important impact for users." },
      { id: "U3", label: "Other", description: "Anything else." },
    ],
    priorities: [
      { id: "P1", label: "Critical", communication: true },
      { id: "P2", label: "Major", communication: true },
      { id: "P3", label: "Low", communication: false },
    ],
    cells: {
      I1: { U1: "P1", U2: "P1", U3: "P2" },
      I2: { U1: "P2", U2: "P2", U3: "P3" },
      I3: { U1: "P3", U2: "P3", U3: "P3" },
    },
  },
  sla: {
    P1: { respondMinutes: 15, resolveMinutes: 4 * 60, clock: "24x7" },
    P2: { respondMinutes: 60, resolveMinutes: 8 * 60, clock: "24x7" },
    P3: { respondMinutes: 8 * 60, resolveMinutes: 16 * 60, clock: "business" },
  },
  businessHours: {
    timezone: "Europe/Paris",
    week: { mon: weekdayHours, tue: weekdayHours, wed: weekdayHours, thu: weekdayHours, fri: weekdayHours },
    holidays: [],
  },
  natures: ["network", "security", "hardware", "application", "storage", "system", "external"],
  updateCadenceMinutes: { P1: 30, P2: 60 },
  updateGraceMinutes: 10,
  customerReport: { dueHours: 24, reminderHours: 20 },
  referencePrefix: "INC",
  escalation: {
    businessHours: ladder(["service desk", "desk"], 30),
    offHours: ladder(["service desk (on call)", "oncall"], 90),
    priorityTimeouts: {},
    repeatTopLevel: 3,
    managementLevel: "management",
  },
  rca: DEFAULT_RCA,
  archiveAfterDays: 7,
  review: { channel: "announcements", weeklyDay: "mon", time: "09:00", recurringThreshold: 3 },
  permissions: {},
  schedules: {},
  stakeholders: NO_STAKEHOLDERS,
  alerts: DEFAULT_ALERTS,
  statusPage: { title: "Service status", services: {}, internalNatures: ["security"], impactStates: {} },
};
