/** PageRepo on drizzle: the pages of the escalation ladder, in the caller's transaction. */
import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { PageRecord, PageRepo, PageStatus, StoredPage } from "../app/ports.js";
import type { Executor } from "./client.js";
import { outbox, pages } from "./schema.js";

type Row = typeof pages.$inferSelect;

function toPage(r: Row, outboxStatus: string | null): StoredPage {
  const delivered = r.channel === "dm" && outboxStatus ? (outboxStatus === "pending" ? "queued" : outboxStatus) : r.status;
  return {
    id: r.id,
    incidentId: r.incidentId,
    kind: r.kind as StoredPage["kind"],
    ladder: r.ladder as StoredPage["ladder"],
    level: r.level,
    levelName: r.levelName,
    repeat: r.repeat,
    target: r.target,
    channel: r.channel as StoredPage["channel"],
    key: r.key,
    status: delivered as PageStatus,
    lastError: r.lastError,
    createdAt: r.createdAt,
  };
}

export class DrizzlePageRepo implements PageRepo {
  constructor(private readonly tx: Executor) {}

  async insert(p: PageRecord, at: Date): Promise<number | null> {
    const [row] = await this.tx
      .insert(pages)
      .values({ ...p, createdAt: at })
      .onConflictDoNothing({ target: pages.key })
      .returning({ id: pages.id });
    return row?.id ?? null;
  }

  private async select(where: ReturnType<typeof eq>): Promise<StoredPage[]> {
    const rows = await this.tx
      .select({ page: pages, outboxStatus: outbox.status })
      .from(pages)
      .leftJoin(outbox, eq(outbox.key, pages.key))
      .where(where)
      .orderBy(asc(pages.id));
    return rows.map((r) => toPage(r.page, r.outboxStatus));
  }

  async get(id: number): Promise<StoredPage | null> {
    return (await this.select(eq(pages.id, id)))[0] ?? null;
  }

  async mark(id: number, status: PageStatus, at: Date, error?: string): Promise<void> {
    await this.tx
      .update(pages)
      .set({ status, lastError: error ?? null, ...(status === "sent" ? { sentAt: at } : {}) })
      .where(eq(pages.id, id));
  }

  async cancelQueued(incidentId: number, reason: string): Promise<number> {
    const dmKeys = this.tx
      .select({ key: pages.key })
      .from(pages)
      .where(and(eq(pages.incidentId, incidentId), eq(pages.status, "queued"), eq(pages.channel, "dm")));
    const stopped = await this.tx
      .update(outbox)
      .set({ status: "cancelled", lastError: reason })
      .where(and(eq(outbox.status, "pending"), inArray(outbox.key, dmKeys)))
      .returning({ key: outbox.key });
    const stoppedKeys = stopped.map((r) => r.key);
    const rows = await this.tx
      .update(pages)
      .set({ status: "cancelled", lastError: reason })
      .where(
        and(
          eq(pages.incidentId, incidentId),
          eq(pages.status, "queued"),
          or(ne(pages.channel, "dm"), stoppedKeys.length ? inArray(pages.key, stoppedKeys) : sql`false`),
        ),
      )
      .returning({ id: pages.id });
    return rows.length;
  }

  list(incidentId: number): Promise<StoredPage[]> {
    return this.select(eq(pages.incidentId, incidentId));
  }
}
