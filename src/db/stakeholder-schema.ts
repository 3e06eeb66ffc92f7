/**
 * The tables of stakeholder e-mail (re-exported by schema.ts): the thread of each incident on each
 * e-mail list (the first mail's Message-ID, which the later ones answer), and each list member's
 * unsubscribe token and unsubscription.
 */
import { integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
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

/** One row per list member who was mailed: the secret of their unsubscribe link, and whether they used it. */
export const mailRecipients = pgTable(
  "mail_recipients",
  {
    destination: text("destination").notNull(),
    address: text("address").notNull(),
    token: text("token").notNull(),
    createdAt: tstz("created_at").notNull(),
    unsubscribedAt: tstz("unsubscribed_at"),
  },
  (t) => [primaryKey({ columns: [t.destination, t.address] }), uniqueIndex("mail_recipients_token_key").on(t.token)],
);
