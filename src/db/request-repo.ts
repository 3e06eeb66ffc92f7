/**
 * Processed request keys (the first handling of a Slack retry / double click wins, the rest change
 * nothing) and form drafts (what was given before a form opened, found again at submission).
 */
import { and, eq, gte, lt } from "drizzle-orm";
import type { RequestRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { formDrafts, processedRequests } from "./schema.js";

const DRAFT_TTL_MS = 24 * 3_600_000;

export class DrizzleRequestRepo implements RequestRepo {
  constructor(private readonly tx: Executor) {}

  async claim(key: string, at: Date): Promise<boolean> {
    const rows = await this.tx
      .insert(processedRequests)
      .values({ key, createdAt: at })
      .onConflictDoNothing()
      .returning({ key: processedRequests.key });
    return rows.length === 1;
  }

  async saveDraft(key: string, draft: Record<string, unknown>, at: Date): Promise<void> {
    await this.tx.delete(formDrafts).where(lt(formDrafts.createdAt, new Date(at.getTime() - DRAFT_TTL_MS)));
    await this.tx.insert(formDrafts).values({ key, draft, createdAt: at }).onConflictDoUpdate({ target: formDrafts.key, set: { draft, createdAt: at } });
  }

  async draft(key: string, now: Date): Promise<Record<string, unknown> | null> {
    const rows = await this.tx
      .select({ draft: formDrafts.draft })
      .from(formDrafts)
      .where(and(eq(formDrafts.key, key), gte(formDrafts.createdAt, new Date(now.getTime() - DRAFT_TTL_MS))));
    return rows[0]?.draft ?? null;
  }
}
