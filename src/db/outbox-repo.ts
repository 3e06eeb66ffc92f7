/**
 * The outbox: every message the bot sends is a row with a sent marker, written in the same transaction
 * as the change it reports, and delivered by a `deliver` timer so that failures are retried with
 * backoff by the scheduler and a restart loses nothing.
 */
import { eq, sql } from "drizzle-orm";
import type { Delivery, OutboxRepo, QueuedDelivery, StakeholderDelivery, TimerRepo } from "../app/ports.js";
import type { ChatMessage } from "../domain/views.js";
import type { Executor } from "./client.js";
import { outbox } from "./schema.js";

/** Must match DELIVER in src/app/jobs: the timer kind that sends one outbox row. */
export const DELIVER_TIMER = "deliver";

/** A row as the app reads it: the chat message, and what the payload keeps beside it. */
function toQueued(r: typeof outbox.$inferSelect): QueuedDelivery {
  const { stakeholder, edits, awaited, ...message } = r.payload;
  return {
    id: r.id,
    key: r.key,
    incidentId: r.incidentId,
    platform: r.platform,
    target: r.target,
    action: r.action as Delivery["action"],
    message: message as unknown as ChatMessage,
    ...(stakeholder ? { stakeholder: stakeholder as StakeholderDelivery } : {}),
    ...(typeof edits === "string" ? { edits } : {}),
    ...(awaited === true ? { awaited: true } : {}),
    status: r.status as QueuedDelivery["status"],
    attempts: r.attempts,
    externalId: r.externalId,
  };
}

export class DrizzleOutboxRepo implements OutboxRepo {
  constructor(
    private readonly tx: Executor,
    private readonly timers: TimerRepo,
  ) {}

  async enqueue(d: Delivery, at: Date): Promise<void> {
    const [row] = await this.tx
      .insert(outbox)
      .values({
        key: d.key,
        incidentId: d.incidentId ?? null,
        platform: d.platform,
        target: d.target,
        action: d.action,
        // A stakeholder delivery keeps its destination and public facts beside the chat rendering; an
        // edit the key of the post it edits; a post an edit may wait for says so.
        payload: {
          ...d.message,
          ...(d.stakeholder ? { stakeholder: d.stakeholder } : {}),
          ...(d.edits ? { edits: d.edits } : {}),
          ...(d.awaited ? { awaited: true } : {}),
        } as unknown as Record<string, unknown>,
        createdAt: at,
      })
      .onConflictDoNothing({ target: outbox.key })
      .returning({ id: outbox.id });
    if (!row) return; // already queued under this key
    await this.timers.schedule({
      kind: DELIVER_TIMER,
      key: `deliver:${row.id}`,
      incidentId: d.incidentId ?? null,
      dueAt: at,
      payload: { outboxId: row.id, platform: d.platform, ...(d.urgent ? { urgent: true } : {}) },
      ...(d.waitFor ? { waitFor: d.waitFor } : {}),
    });
  }

  async get(id: number): Promise<QueuedDelivery | null> {
    const [r] = await this.tx.select().from(outbox).where(eq(outbox.id, id));
    return r ? toQueued(r) : null;
  }

  async byKey(key: string): Promise<QueuedDelivery | null> {
    const [r] = await this.tx.select().from(outbox).where(eq(outbox.key, key));
    return r ? toQueued(r) : null;
  }

  async markSent(id: number, externalId: string | null, at: Date): Promise<void> {
    await this.tx
      .update(outbox)
      .set({ status: "sent", externalId, sentAt: at, attempts: sql`${outbox.attempts} + 1` })
      .where(eq(outbox.id, id));
  }

  async markPosted(id: number, externalId: string): Promise<void> {
    await this.tx.update(outbox).set({ externalId }).where(eq(outbox.id, id));
  }

  async markAttempt(id: number, error: string, final: boolean): Promise<void> {
    await this.tx
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error, status: final ? "failed" : "pending" })
      .where(eq(outbox.id, id));
  }

  async markCancelled(id: number, reason: string): Promise<void> {
    await this.tx.update(outbox).set({ status: "cancelled", lastError: reason }).where(eq(outbox.id, id));
  }
}
