/**
 * The drizzle schema: one definition for PostgreSQL and PGlite. `drizzle-kit generate` turns changes
 * here into SQL migrations under `drizzle/`. Every timestamp is `timestamptz`.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Last sequence number handed out per reference year (INC-2026-0042 → year 2026, last 42). */
export const referenceCounters = pgTable("reference_counters", {
  year: integer("year").primaryKey(),
  last: integer("last").notNull(),
});

export const incidents = pgTable(
  "incidents",
  {
    id: serial("id").primaryKey(),
    reference: text("reference").notNull(),
    year: integer("year").notNull(),
    seq: integer("seq").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    nature: text("nature"),
    service: text("service"),
    customer: text("customer"),
    detectedBy: text("detected_by"),
    impact: text("impact").notNull(),
    urgency: text("urgency").notNull(),
    priority: text("priority").notNull(),
    status: text("status").notNull(),
    platform: text("platform").notNull(),
    originChannel: text("origin_channel").notNull(),
    declaredBy: text("declared_by").notNull(),
    declaredAt: tstz("declared_at").notNull(),
    respondBy: tstz("respond_by"),
    resolveBy: tstz("resolve_by"),
    acknowledgedAt: tstz("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    resolvedAt: tstz("resolved_at"),
    closedAt: tstz("closed_at"),
    /** The major incident this one is part of (`--parent`), or null. */
    parentId: integer("parent_id"),
    /** How a resolved incident ended when it was not a real outage: duplicate or declined; else null. */
    outcome: text("outcome"),
    /** The promised time of the next stakeholder update (P1/P2), null when none is due. */
    nextUpdateAt: tstz("next_update_at"),
    /** [{ from, to | null }] ISO strings: time spent waiting, excluded from the SLA clock. */
    pauses: jsonb("pauses").$type<{ from: string; to: string | null }[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    uniqueIndex("incidents_reference_key").on(t.reference),
    uniqueIndex("incidents_year_seq_key").on(t.year, t.seq),
    index("incidents_status_idx").on(t.status),
    // The status page's window: open (NULL) or resolved in the last 90 days (src/db/status-repo.ts).
    index("incidents_resolved_at_idx").on(t.resolvedAt),
  ],
);

/** The append-only timeline: every action on an incident is a row here, never updated. */
export const incidentEvents = pgTable(
  "incident_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    at: tstz("at").notNull(),
    actor: text("actor").notNull(),
    kind: text("kind").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("incident_events_incident_idx").on(t.incidentId, t.at)],
);

/** Current holder of each role; hand-overs are recorded as timeline events. */
export const incidentRoles = pgTable(
  "incident_roles",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    role: text("role").notNull(),
    userId: text("user_id").notNull(),
    assignedAt: tstz("assigned_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.role] })],
);

/** One war-room channel per incident and platform. */
export const warRooms = pgTable(
  "war_rooms",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    platform: text("platform").notNull(),
    channelId: text("channel_id").notNull(),
    channelName: text("channel_name").notNull(),
    summaryMessageId: text("summary_message_id"),
    /** Digests of the summary and topic last sent: a re-render that changes nothing sends nothing. */
    summaryDigest: text("summary_digest"),
    topicDigest: text("topic_digest"),
    /** When the summary was pinned (or given up pinning): other posts may follow from then on. */
    readyAt: tstz("ready_at"),
    createdAt: tstz("created_at").notNull(),
    archivedAt: tstz("archived_at"),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.platform] }),
    uniqueIndex("war_rooms_channel_key").on(t.platform, t.channelId),
  ],
);

/** Durable timers: claimed with FOR UPDATE SKIP LOCKED by the scheduler (src/scheduler). */
export const timers = pgTable(
  "timers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    /** Idempotency key: scheduling the same key twice keeps one row. */
    key: text("key").notNull(),
    incidentId: integer("incident_id").references(() => incidents.id),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    dueAt: tstz("due_at").notNull(),
    /** pending | running | waiting | done | cancelled | failed */
    status: text("status").notNull().default("pending"),
    /** A waiting row's signal (timer_signals.key): released, due at once, when it is raised. */
    waitFor: text("wait_for"),
    /** A "replace" schedule met this row running: it runs once more when it finishes. */
    rerun: boolean("rerun").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    lockedBy: text("locked_by"),
    lockedUntil: tstz("locked_until"),
    lastError: text("last_error"),
    createdAt: tstz("created_at").notNull(),
    finishedAt: tstz("finished_at"),
  },
  (t) => [
    uniqueIndex("timers_key_key").on(t.key),
    index("timers_due_idx").on(t.status, t.dueAt),
    index("timers_incident_idx").on(t.incidentId, t.kind),
    index("timers_wait_idx").on(t.waitFor),
  ],
);

/** Signals raised once (e.g. `room:<incident>:<platform>` when a war room is ready): timers wait on them. */
export const timerSignals = pgTable("timer_signals", {
  key: text("key").primaryKey(),
  at: tstz("at").notNull(),
});

/**
 * The next moment a message may be sent to a channel, shared by every replica (Slack allows about one
 * message per second per channel): a send takes the slot or is deferred to it.
 */
export const channelSlots = pgTable(
  "channel_slots",
  {
    platform: text("platform").notNull(),
    channel: text("channel").notNull(),
    nextAt: tstz("next_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.channel] })],
);

/**
 * The calls of one platform API method booked per workspace, shared by every replica (Slack's tiers:
 * at most N calls of a method in any minute): `booked` holds the times (epoch ms) of the bookings that
 * still count, ascending. A call books the earliest time its window has room for, or is deferred to it.
 */
export const methodSlots = pgTable(
  "method_slots",
  {
    platform: text("platform").notNull(),
    method: text("method").notNull(),
    booked: jsonb("booked").$type<number[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.method] })],
);

/** Named leases (e.g. the Discord gateway): one holder at a time, taken over when it runs out. */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  until: tstz("until").notNull(),
});

/** Messages to deliver to chat (and later e-mail / webhooks), with a sent marker. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    incidentId: integer("incident_id").references(() => incidents.id),
    platform: text("platform").notNull(),
    /** A channel id, or a symbolic target resolved at delivery ("warroom", "announcements"). */
    target: text("target").notNull(),
    /** post | dm | archive | email | webhook | edit (Delivery in src/app/ports.ts) */
    action: text("action").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending | sent | failed | cancelled */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    externalId: text("external_id"),
    createdAt: tstz("created_at").notNull(),
    sentAt: tstz("sent_at"),
  },
  (t) => [uniqueIndex("outbox_key_key").on(t.key), index("outbox_status_idx").on(t.status, t.id)],
);

/** Keys of requests already handled (Slack retries, double clicks): a retry changes nothing. */
export const processedRequests = pgTable("processed_requests", {
  key: text("key").primaryKey(),
  result: jsonb("result").$type<unknown>(),
  createdAt: tstz("created_at").notNull(),
});

/**
 * What a person gave before a form opened (declare without impact, a Resolve button…), keyed by the
 * request that opened it: the submission — after a restart, or on another replica — finds it here.
 */
export const formDrafts = pgTable("form_drafts", {
  key: text("key").primaryKey(),
  draft: jsonb("draft").$type<Record<string, unknown>>().notNull(),
  createdAt: tstz("created_at").notNull(),
});

/** Every communication about an incident: who, when, what, where (its outbox deliveries, by key). */
export const communications = pgTable(
  "communications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    at: tstz("at").notNull(),
    actor: text("actor").notNull(),
    /** notice | update | allclear | reminder | interim | report */
    kind: text("kind").notNull(),
    text: text("text").notNull(),
    /** The outbox keys of its deliveries; their rows say where it went and whether it was sent. */
    deliveryKeys: jsonb("delivery_keys").$type<string[]>().notNull(),
    /**
     * Said to stakeholders when written (the incident's priority then followed the communication
     * process): only these reach the public status page. An update of a P3 later raised stays internal.
     */
    public: boolean("public").notNull().default(false),
  },
  (t) => [index("communications_incident_idx").on(t.incidentId, t.at)],
);

/**
 * Every page the escalation ladder sends: one row per target and channel (a direct message, the
 * war-room mention, a webhook, an e-mail). `key` is the idempotency key of the delivery (the outbox
 * key of a direct message, the timer key of the others), so a retried step pages nobody twice.
 */
export const pages = pgTable(
  "pages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    /** technical | managerial */
    kind: text("kind").notNull(),
    /** business | offhours */
    ladder: text("ladder").notNull(),
    /** 1-based level in the ladder, and its name at the time. */
    level: integer("level").notNull(),
    levelName: text("level_name").notNull(),
    /** 0, or how many times the top level had been paged before. */
    repeat: integer("repeat").notNull().default(0),
    /** A chat user/group id, "warroom", a webhook URL or an e-mail address. */
    target: text("target").notNull(),
    /** dm | warroom | webhook | email */
    channel: text("channel").notNull(),
    key: text("key").notNull(),
    /** queued | sent | failed | cancelled (a direct message's delivery is tracked by its outbox row) */
    status: text("status").notNull().default("queued"),
    lastError: text("last_error"),
    createdAt: tstz("created_at").notNull(),
    sentAt: tstz("sent_at"),
  },
  (t) => [uniqueIndex("pages_key_key").on(t.key), index("pages_incident_idx").on(t.incidentId, t.id)],
);

/** RCA sections of an incident: one row per section, `authors` = everyone who wrote in it. */
export const rcaSections = pgTable(
  "rca_sections",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    section: text("section").notNull(),
    text: text("text").notNull(),
    authors: jsonb("authors").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    updatedAt: tstz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.section] })],
);

/** Corrective and preventive actions, numbered per incident. */
export const rcaActions = pgTable(
  "rca_actions",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    n: integer("n").notNull(),
    text: text("text").notNull(),
    owner: text("owner").notNull(),
    /** Local date "YYYY-MM-DD". */
    due: text("due").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: tstz("created_at").notNull(),
    doneAt: tstz("done_at"),
    doneBy: text("done_by"),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.n] })],
);

/** Timeline entries from outside the bot: added by hand (`manual`) or pinned in the war room (`pin`). */
export const timelineEntries = pgTable(
  "timeline_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    at: tstz("at").notNull(),
    text: text("text").notNull(),
    author: text("author").notNull(),
    source: text("source").notNull(),
    createdAt: tstz("created_at").notNull(),
  },
  (t) => [index("timeline_entries_incident_idx").on(t.incidentId, t.at)],
);

export { mailRecipients, mailThreads, mailTokens } from "./stakeholder-schema.js";
export * from "./oncall-schema.js";
export * from "./alert-schema.js";
