/** Scheduling and cancelling timers inside the caller's transaction (the TimerRepo port). */
import { and, eq, inArray } from "drizzle-orm";
import type { TimerRepo, TimerSpec } from "../app/ports.js";
import type { Executor } from "../db/client.js";
import { timers } from "../db/schema.js";

export class DrizzleTimerRepo implements TimerRepo {
  constructor(
    private readonly tx: Executor,
    private readonly now: () => Date,
  ) {}

  async schedule(t: TimerSpec): Promise<void> {
    await this.tx
      .insert(timers)
      .values({
        kind: t.kind,
        key: t.key,
        incidentId: t.incidentId ?? null,
        dueAt: t.dueAt,
        payload: t.payload ?? {},
        createdAt: this.now(),
      })
      .onConflictDoNothing({ target: timers.key });
  }

  async cancel(incidentId: number, kinds?: string[]): Promise<number> {
    const rows = await this.tx
      .update(timers)
      .set({ status: "cancelled", finishedAt: this.now() })
      .where(
        and(
          eq(timers.incidentId, incidentId),
          eq(timers.status, "pending"),
          kinds && kinds.length > 0 ? inArray(timers.kind, kinds) : undefined,
        ),
      )
      .returning({ id: timers.id });
    return rows.length;
  }
}
