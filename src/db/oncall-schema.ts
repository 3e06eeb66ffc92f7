/**
 * The on-call tables (re-exported by `schema.ts`): overrides of schedules, and cover requests with
 * who accepted them. Schedules themselves are policy, not rows.
 */
import { index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Someone on call on one platform of a schedule from `from` to `to` (end excluded), above its layers. */
export const oncallOverrides = pgTable(
  "oncall_overrides",
  {
    /** The number people remove it by (`/incident oncall override remove <n>`). */
    id: serial("id").primaryKey(),
    schedule: text("schedule").notNull(),
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    from: tstz("from_at").notNull(),
    to: tstz("to_at").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: tstz("created_at").notNull(),
    /** The cover request it was made from, if any. */
    coverRequestId: integer("cover_request_id"),
    /** Removed overrides stay, for the record, and count no more. */
    removedAt: tstz("removed_at"),
    removedBy: text("removed_by"),
  },
  (t) => [index("oncall_overrides_schedule_idx").on(t.schedule, t.to)],
);

/** A request for cover: posted with an Accept button; the first to accept covers, later ones are told. */
export const oncallCoverRequests = pgTable("oncall_cover_requests", {
  id: serial("id").primaryKey(),
  schedule: text("schedule").notNull(),
  platform: text("platform").notNull(),
  channelId: text("channel_id").notNull(),
  askedBy: text("asked_by").notNull(),
  until: tstz("until_at").notNull(),
  createdAt: tstz("created_at").notNull(),
  /** The outbox key of the posted request (its message id is stored on that row once sent). */
  messageKey: text("message_key").notNull(),
  acceptedBy: text("accepted_by"),
  acceptedAt: tstz("accepted_at"),
});
