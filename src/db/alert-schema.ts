/**
 * Tables of alerts from monitoring (re-exported by `schema.ts`, where drizzle-kit reads them).
 * Deduplication lives here, not in process memory: the unique key of `alert_groups` and its row lock
 * make concurrent identical notifications, on any replica, run one after the other.
 */
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { AlertBatch } from "../domain/alerts/types.js";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** One group per (source, groupKey): the incident its alerts attach to. */
export const alertGroups = pgTable(
  "alert_groups",
  {
    id: serial("id").primaryKey(),
    source: text("source").notNull(),
    /** Alertmanager's groupKey can be long; the unique index is on its SHA-256 (`key`). */
    key: text("key").notNull(),
    groupKey: text("group_key").notNull(),
    rule: text("rule").notNull(),
    incidentId: integer("incident_id"),
    pending: boolean("pending").notNull().default(false),
    batch: jsonb("batch").$type<AlertBatch | null>(),
    createdAt: tstz("created_at").notNull(),
    updatedAt: tstz("updated_at").notNull(),
  },
  (t) => [uniqueIndex("alert_groups_key_key").on(t.key), index("alert_groups_incident_idx").on(t.incidentId)],
);

/** The last known state of each alert of a group. */
export const alertStates = pgTable(
  "alert_states",
  {
    groupId: integer("group_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    status: text("status").notNull(),
    startsAt: text("starts_at"),
    title: text("title").notNull(),
    updatedAt: tstz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.fingerprint] })],
);

/** Incidents opened by alerts, per rule: what the flood bound counts. */
export const alertOpenings = pgTable(
  "alert_openings",
  {
    incidentId: integer("incident_id").primaryKey(),
    groupId: integer("group_id").notNull(),
    rule: text("rule").notNull(),
    storm: boolean("storm").notNull(),
    openedAt: tstz("opened_at").notNull(),
  },
  (t) => [index("alert_openings_rule_idx").on(t.rule, t.openedAt)],
);

/** One row per rule, locked while deciding whether a new incident passes the flood bound. */
export const alertRules = pgTable("alert_rules", {
  rule: text("rule").primaryKey(),
  stormIncidentId: integer("storm_incident_id"),
});
