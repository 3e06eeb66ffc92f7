/**
 * Stakeholder e-mail on drizzle: threads per incident and list, members' unsubscriptions, and the
 * digests of their unsubscribe tokens (a token itself is never stored: it is in the mail only).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { MailRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { mailRecipients, mailThreads, mailTokens } from "./stakeholder-schema.js";

/** What is stored of a token: its SHA-256, hex (as the migration that hashed the older ones wrote it). */
export const tokenDigest = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export class DrizzleMailRepo implements MailRepo {
  constructor(private readonly tx: Executor) {}

  async threadRoot(incidentId: number, destination: string, key: string, at: Date): Promise<string> {
    // Two communications enqueued at once (replicas): the first insert wins, the other answers it.
    await this.tx.insert(mailThreads).values({ incidentId, destination, messageKey: key, createdAt: at }).onConflictDoNothing();
    const [row] = await this.tx.select({ key: mailThreads.messageKey }).from(mailThreads).where(and(eq(mailThreads.incidentId, incidentId), eq(mailThreads.destination, destination)));
    return row!.key;
  }

  async issueToken(destination: string, address: string, at: Date): Promise<string> {
    // 144 random bits: the link is the only proof of who clicks it.
    const token = randomBytes(18).toString("base64url");
    await this.tx.insert(mailRecipients).values({ destination, address, createdAt: at }).onConflictDoNothing();
    await this.tx.insert(mailTokens).values({ digest: tokenDigest(token), destination, address, createdAt: at });
    return token;
  }

  async unsubscribed(destination: string, address: string): Promise<boolean> {
    const [row] = await this.tx.select({ at: mailRecipients.unsubscribedAt }).from(mailRecipients).where(and(eq(mailRecipients.destination, destination), eq(mailRecipients.address, address)));
    return !!row?.at;
  }

  async recipient(token: string): Promise<{ destination: string; address: string; done: boolean } | null> {
    const [row] = await this.memberOf(token);
    return row ? { destination: row.destination, address: row.address, done: !!row.unsubscribedAt } : null;
  }

  async unsubscribe(token: string, at: Date): Promise<{ destination: string; address: string; already: boolean } | null> {
    const [row] = await this.memberOf(token).for("update", { of: mailRecipients });
    if (!row) return null;
    const member = and(eq(mailRecipients.destination, row.destination), eq(mailRecipients.address, row.address));
    if (!row.unsubscribedAt) await this.tx.update(mailRecipients).set({ unsubscribedAt: at }).where(member);
    return { destination: row.destination, address: row.address, already: !!row.unsubscribedAt };
  }

  /** The list member whose mail carried `token`: looked up by the token's digest. */
  private memberOf(token: string) {
    return this.tx
      .select({ destination: mailRecipients.destination, address: mailRecipients.address, unsubscribedAt: mailRecipients.unsubscribedAt })
      .from(mailTokens)
      .innerJoin(mailRecipients, and(eq(mailRecipients.destination, mailTokens.destination), eq(mailRecipients.address, mailTokens.address)))
      .where(eq(mailTokens.digest, tokenDigest(token)));
  }
}
