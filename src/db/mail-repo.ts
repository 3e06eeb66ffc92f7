/** Stakeholder e-mail on drizzle: threads per incident and list, members' unsubscribe tokens. */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { MailRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { mailRecipients, mailThreads } from "./stakeholder-schema.js";

export class DrizzleMailRepo implements MailRepo {
  constructor(private readonly tx: Executor) {}

  async threadRoot(incidentId: number, destination: string, key: string, at: Date): Promise<string> {
    // Two communications enqueued at once (replicas): the first insert wins, the other answers it.
    await this.tx.insert(mailThreads).values({ incidentId, destination, messageKey: key, createdAt: at }).onConflictDoNothing();
    const [row] = await this.tx.select({ key: mailThreads.messageKey }).from(mailThreads).where(and(eq(mailThreads.incidentId, incidentId), eq(mailThreads.destination, destination)));
    return row!.key;
  }

  async token(destination: string, address: string, at: Date): Promise<string> {
    // 144 random bits: the link is the only proof of who clicks it.
    await this.tx.insert(mailRecipients).values({ destination, address, token: randomBytes(18).toString("base64url"), createdAt: at }).onConflictDoNothing();
    const [row] = await this.tx.select({ token: mailRecipients.token }).from(mailRecipients).where(and(eq(mailRecipients.destination, destination), eq(mailRecipients.address, address)));
    return row!.token;
  }

  async unsubscribed(destination: string, address: string): Promise<boolean> {
    const [row] = await this.tx.select({ at: mailRecipients.unsubscribedAt }).from(mailRecipients).where(and(eq(mailRecipients.destination, destination), eq(mailRecipients.address, address)));
    return !!row?.at;
  }

  async recipient(token: string): Promise<{ destination: string; address: string; done: boolean } | null> {
    const [row] = await this.tx.select().from(mailRecipients).where(eq(mailRecipients.token, token));
    return row ? { destination: row.destination, address: row.address, done: !!row.unsubscribedAt } : null;
  }

  async unsubscribe(token: string, at: Date): Promise<{ destination: string; address: string; already: boolean } | null> {
    const [row] = await this.tx.select().from(mailRecipients).where(eq(mailRecipients.token, token)).for("update");
    if (!row) return null;
    if (!row.unsubscribedAt) await this.tx.update(mailRecipients).set({ unsubscribedAt: at }).where(eq(mailRecipients.token, token));
    return { destination: row.destination, address: row.address, already: !!row.unsubscribedAt };
  }
}
