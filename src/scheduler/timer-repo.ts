/** Scheduling, cancelling and signalling timers inside the caller's transaction (the TimerRepo port). */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { TimerRepo, TimerSpec } from "../app/ports.js";
import type { Executor } from "../db/client.js";
import { timerSignals, timers } from "../db/schema.js";
import { raiseSignal, signalLock } from "./claims.js";

/**
 * In a transaction (`deferred`), schedules are queued and written together — one INSERT for those
 * that ignore an existing key and one for those that replace — before a cancel that would meet one of
 * them, a signal, or the commit (`flush`, called by the store). A P1's declare schedules 8 timers
 * between 3 cancels of other kinds, and opening its war room 4: 12 INSERTs become ~4. A key queued
 * twice flushes first, since one INSERT … ON CONFLICT may not meet the same key twice.
 */
export class DrizzleTimerRepo implements TimerRepo {
  private queued: TimerSpec[] = [];
  /** Incidents inserted in this transaction with no timer written yet (see `inserted`). */
  private readonly fresh = new Set<number>();

  constructor(
    private readonly tx: Executor,
    private readonly now: () => Date,
    private readonly deferred = false,
  ) {}

  async schedule(t: TimerSpec): Promise<void> {
    if (!this.deferred) return this.insert([t], !!t.replace);
    if (this.queued.some((q) => q.key === t.key)) await this.flush();
    this.queued.push(t);
  }

  /** Writes the queued schedules. */
  async flush(): Promise<void> {
    const queued = this.queued;
    if (queued.length === 0) return;
    this.queued = [];
    for (const t of queued) if (t.incidentId != null) this.fresh.delete(t.incidentId);
    const keeping = queued.filter((t) => !t.replace);
    const replacing = queued.filter((t) => t.replace);
    if (keeping.length > 0) await this.insert(keeping, false);
    if (replacing.length > 0) await this.insert(replacing, true);
  }

  private async insert(specs: TimerSpec[], replace: boolean): Promise<void> {
    const createdAt = this.now();
    // Parked from the start only in a transaction: its signal's lock (the one raiseSignal takes) is held
    // until the commit, so the signal is raised either before (this row starts pending) or after (its
    // release sees this row). A P1's notice and war-room page so skip a run that would only park them.
    const parks = (t: TimerSpec) => this.deferred && !replace && t.waitFor !== undefined;
    for (const signal of [...new Set(specs.filter(parks).map((t) => t.waitFor!))].sort()) await this.tx.execute(signalLock(signal));
    const raised = (signal: string) => sql`exists (select 1 from ${timerSignals} where ${timerSignals.key} = ${signal})`;
    const insert = this.tx.insert(timers).values(
      specs.map((t) => ({
        kind: t.kind,
        key: t.key,
        incidentId: t.incidentId ?? null,
        dueAt: t.dueAt,
        payload: t.payload ?? {},
        createdAt,
        ...(parks(t) ? { status: sql`case when ${raised(t.waitFor!)} then 'pending' else 'waiting' end`, waitFor: sql`case when ${raised(t.waitFor!)} then null else ${t.waitFor!} end` } : {}),
      })),
    );
    if (!replace) {
      await insert.onConflictDoNothing({ target: timers.key });
      return;
    }
    // "Replace": one row per key. A pending (or finished) row takes the new due time and payload; a
    // waiting row keeps waiting (its release runs it); a running row runs once more when it finishes.
    await insert.onConflictDoUpdate({
      target: timers.key,
      set: {
        status: sql`case when ${timers.status} in ('running', 'waiting') then ${timers.status} else 'pending' end`,
        rerun: sql`${timers.status} = 'running'`,
        dueAt: sql`case when ${timers.status} = 'pending' then least(${timers.dueAt}, excluded.due_at) else excluded.due_at end`,
        payload: sql`excluded.payload`,
        attempts: sql`case when ${timers.status} = 'running' then ${timers.attempts} else 0 end`,
        finishedAt: null,
      },
    });
  }

  /**
   * An incident inserted in this transaction: until a timer of it is written, none can be stored, so
   * its cancels need no statement (a declare's reactions cancel-and-rearm three kinds of timer).
   */
  inserted(incidentId: number): void {
    if (this.deferred) this.fresh.add(incidentId);
  }

  async cancel(incidentId: number, kinds?: string[]): Promise<number> {
    // Only a queued schedule this cancel would meet needs writing first; the others stay queued.
    const meets = this.queued.some((t) => t.incidentId === incidentId && (!kinds?.length || kinds.includes(t.kind)));
    if (!meets && this.fresh.has(incidentId)) return 0;
    if (meets) await this.flush();
    const rows = await this.tx
      .update(timers)
      .set({ status: "cancelled", finishedAt: this.now() })
      .where(
        and(
          eq(timers.incidentId, incidentId),
          inArray(timers.status, ["pending", "waiting"]),
          kinds && kinds.length > 0 ? inArray(timers.kind, kinds) : undefined,
        ),
      )
      .returning({ id: timers.id });
    return rows.length;
  }

  async cancelKeys(prefix: string, keep?: string): Promise<number> {
    if (this.queued.some((t) => t.key.startsWith(prefix) && t.key !== keep)) await this.flush();
    const rows = await this.tx
      .update(timers)
      .set({ status: "cancelled", finishedAt: this.now() })
      .where(
        and(
          sql`left(${timers.key}, ${prefix.length}) = ${prefix}`,
          inArray(timers.status, ["pending", "waiting"]),
          keep === undefined ? undefined : sql`${timers.key} <> ${keep}`,
        ),
      )
      .returning({ id: timers.id });
    return rows.length;
  }

  async signal(key: string, at: Date): Promise<number> {
    await this.flush();
    return raiseSignal(this.tx, key, at);
  }

  async signalled(key: string): Promise<boolean> {
    const [row] = await this.tx.select({ key: timerSignals.key }).from(timerSignals).where(eq(timerSignals.key, key));
    return !!row;
  }
}
