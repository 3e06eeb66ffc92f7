/** Scheduling, cancelling and signalling timers inside the caller's transaction (the TimerRepo port). */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { TimerRepo, TimerSpec } from "../app/ports.js";
import type { Executor } from "../db/client.js";
import { timerSignals, timers } from "../db/schema.js";
import { raiseSignal } from "./claims.js";

export class DrizzleTimerRepo implements TimerRepo {
  constructor(
    private readonly tx: Executor,
    private readonly now: () => Date,
  ) {}

  async schedule(t: TimerSpec): Promise<void> {
    const insert = this.tx.insert(timers).values({
      kind: t.kind,
      key: t.key,
      incidentId: t.incidentId ?? null,
      dueAt: t.dueAt,
      payload: t.payload ?? {},
      createdAt: this.now(),
    });
    if (!t.replace) {
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

  async cancel(incidentId: number, kinds?: string[]): Promise<number> {
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
    return raiseSignal(this.tx, key, at);
  }

  async signalled(key: string): Promise<boolean> {
    const [row] = await this.tx.select({ key: timerSignals.key }).from(timerSignals).where(eq(timerSignals.key, key));
    return !!row;
  }
}
