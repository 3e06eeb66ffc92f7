/**
 * The tables of stakeholder e-mail (re-exported by schema.ts): the thread of each incident on each
 * e-mail list (the first mail's Message-ID, which the later ones answer), each list member's
 * unsubscription, and the digests of the unsubscribe tokens their mails carried.
 */
import { foreignKey, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { incidents } from "./schema.js";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** The first mail of an incident to a list: later mails carry In-Reply-To / References to it. */
export const mailThreads = pgTable(
  "mail_threads",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    destination: text("destination").notNull(),
    /** The Message-ID key of the first mail (the sender writes it `<key@domain>`). */
    messageKey: text("message_key").notNull(),
    createdAt: tstz("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.destination] })],
);

/** One row per list member who was sent an unsubscribe link, and whether they used one. */
export const mailRecipients = pgTable(
  "mail_recipients",
  {
    destination: text("destination").notNull(),
    address: text("address").notNull(),
    createdAt: tstz("created_at").notNull(),
    unsubscribedAt: tstz("unsubscribed_at"),
  },
  (t) => [primaryKey({ columns: [t.destination, t.address] })],
);

/**
 * The unsubscribe links sent: the SHA-256 digest (hex) of each mail's token, never the token, so
 * reading the database does not let anyone unsubscribe a member. Every mail has its own token
 * (made when it is sent); all stay valid.
 */
export const mailTokens = pgTable(
  "mail_tokens",
  {
    digest: text("digest").primaryKey(),
    destination: text("destination").notNull(),
    address: text("address").notNull(),
    createdAt: tstz("created_at").notNull(),
  },
  (t) => [foreignKey({ columns: [t.destination, t.address], foreignColumns: [mailRecipients.destination, mailRecipients.address] })],
);
