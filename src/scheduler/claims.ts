/**
 * The scheduler's SQL: claim due timers with FOR UPDATE SKIP LOCKED under a lease, then mark them
 * done, retried or failed. "Now" is always passed in from the clock port, never SQL now(), so tests
 * and the console can move time.
 */
import { and, asc, eq, inArray, lt, lte, min, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { timers } from "../db/schema.js";

export interface ClaimedTimer {
  id: number;
  kind: string;
  key: string;
  incidentId: number | null;
  payload: Record<string, unknown>;
  dueAt: Date;
  /** Including this one. */
  attempts: number;
}

/** Pending rows that are due, and running rows whose lease ran out (their worker died). */
const claimable = (now: Date) =>
  or(
    and(eq(timers.status, "pending"), lte(timers.dueAt, now)),
    and(eq(timers.status, "running"), lt(timers.lockedUntil, now)),
  );

export async function claimDue(db: Db, workerId: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedTimer[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: timers.id })
      .from(timers)
      .where(claimable(now))
      .orderBy(asc(timers.dueAt), asc(timers.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(timers)
      .set({
        status: "running",
        lockedBy: workerId,
        lockedUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${timers.attempts} + 1`,
      })
      .where(
        inArray(
          timers.id,
          due.map((d) => d.id),
        ),
      )
      .returning({
        id: timers.id,
        kind: timers.kind,
        key: timers.key,
        incidentId: timers.incidentId,
        payload: timers.payload,
        dueAt: timers.dueAt,
        attempts: timers.attempts,
      });
  });
}

/** Only the worker holding the lease may finish a timer; a cancelled or taken-over row is left alone. */
const heldBy = (id: number, workerId: string) =>
  and(eq(timers.id, id), eq(timers.status, "running"), eq(timers.lockedBy, workerId));

export async function markDone(db: Db, id: number, workerId: string, now: Date): Promise<void> {
  await db
    .update(timers)
    .set({ status: "done", finishedAt: now, lockedBy: null, lockedUntil: null })
    .where(heldBy(id, workerId));
}

export async function markRetry(db: Db, id: number, workerId: string, dueAt: Date, error: string): Promise<void> {
  await db
    .update(timers)
    .set({ status: "pending", dueAt, lastError: error, lockedBy: null, lockedUntil: null })
    .where(heldBy(id, workerId));
}

export async function markFailed(db: Db, id: number, workerId: string, now: Date, error: string): Promise<void> {
  await db
    .update(timers)
    .set({ status: "failed", finishedAt: now, lastError: error, lockedBy: null, lockedUntil: null })
    .where(heldBy(id, workerId));
}

/**
 * Gives back claims whose handler did not finish before shutdown: pending again, lease cleared, same
 * due time, so another replica claims them at once instead of waiting out the lease. The attempt
 * stays counted (the handler did start, and may have done part of its work).
 */
export async function releaseClaims(db: Db, ids: number[], workerId: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(timers)
    .set({ status: "pending", lockedBy: null, lockedUntil: null })
    .where(and(inArray(timers.id, ids), eq(timers.status, "running"), eq(timers.lockedBy, workerId)))
    .returning({ id: timers.id });
  return rows.map((r) => r.id);
}

/** The earliest moment something may become claimable: the next due row or lease expiry. */
export async function nextWakeAt(db: Db): Promise<Date | null> {
  const [p] = await db.select({ at: min(timers.dueAt) }).from(timers).where(eq(timers.status, "pending"));
  const [r] = await db.select({ at: min(timers.lockedUntil) }).from(timers).where(eq(timers.status, "running"));
  const times = [p?.at, r?.at].filter((x): x is Date => x instanceof Date);
  if (times.length === 0) return null;
  return new Date(Math.min(...times.map((t) => t.getTime())));
}
