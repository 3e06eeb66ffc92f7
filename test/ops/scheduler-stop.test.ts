/**
 * Stopping with a backlog: the scheduler stops claiming at once, lets the running handlers finish up
 * to the grace period, and gives back the claim of a handler that is still running, so another
 * scheduler fires it at once (same clock: no lease has to run out) — and nothing fires twice.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { Db } from "../../src/db/client.js";
import { timers } from "../../src/db/schema.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { backends, type TestDatabase } from "../support/databases.js";

const T0 = "2026-11-23T10:00:00Z";
const BACKLOG = 5000;

async function dueTimers(db: Db, n: number) {
  for (let i = 0; i < n; i += 500) {
    await db.insert(timers).values(
      Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ kind: "tick", key: `tick:${i + k}`, dueAt: new Date(T0), payload: { n: i + k }, createdAt: new Date(T0) })),
    );
  }
}

async function rowsOf(db: Db) {
  const r = await db.execute<{ status: string; n: number; locked: number }>(
    sql`select status, count(*)::int as n, count(locked_by)::int as locked from timers group by status order by status`,
  );
  return (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { status: string; n: number; locked: number }[];
}

describe.each(backends)("scheduler stop on $name", (backend) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it("with 5,000 due timers and one handler mid-way: stops claiming, gives the unfinished claim back, another scheduler fires the rest once", async () => {
    const database: TestDatabase = await backend.open();
    cleanup.push(() => database.destroy());
    const { db } = database;
    const clock = new ManualClock(T0);
    await dueTimers(db, BACKLOG);

    const fired = new Map<number, string[]>();
    const record = (who: string, n: number) => fired.set(n, [...(fired.get(n) ?? []), who]);
    let enteredSlow!: () => void;
    const slowEntered = new Promise<void>((r) => (enteredSlow = r));
    let slowAborted = false;
    const STUCK = 100; // in the fifth batch of 25: at least four batches have fired by then
    const a = new Scheduler(db, clock, { workerId: "a", pollSeconds: 60 }).on("tick", async (t) => {
      const n = Number(t.payload.n);
      if (n === STUCK) {
        enteredSlow();
        // Mid-way and would stay so: only the stop's abort lets it return.
        await new Promise<void>((resolve) => t.signal.addEventListener("abort", () => resolve()));
        slowAborted = true;
        return;
      }
      record("a", n);
    });
    cleanup.push(() => a.stop());
    a.start();
    await slowEntered;

    const outcome = await a.stop({ graceMs: 300 });
    const [stuck] = await db.select({ id: timers.id }).from(timers).where(eq(timers.key, `tick:${STUCK}`));
    expect(outcome.released).toEqual([stuck!.id]);
    expect(slowAborted).toBe(true);
    // What was claimed before the stop finished and is recorded done; nothing more was claimed (the
    // scheduler refills free slots while a handler is stuck, so how many depends on timing).
    const done = fired.size;
    expect(done).toBeGreaterThanOrEqual(124);
    expect(done).toBeLessThan(BACKLOG / 2);
    expect(await rowsOf(db)).toEqual([
      { status: "done", n: done, locked: 0 },
      { status: "pending", n: BACKLOG - done, locked: 0 },
    ]);

    // Another replica, at the same instant: the given-back claim is claimable at once.
    const b = new Scheduler(db, clock, { workerId: "b", pollSeconds: 60, batchSize: 100 }).on("tick", async (t) => void record("b", Number(t.payload.n)));
    cleanup.push(() => b.stop());
    expect(await b.drain()).toBe(BACKLOG - done);
    expect(fired.size).toBe(BACKLOG);
    expect([...fired.entries()].filter(([, who]) => who.length !== 1)).toEqual([]);
    expect(fired.get(STUCK)).toEqual(["b"]);
    expect(await rowsOf(db)).toEqual([{ status: "done", n: BACKLOG, locked: 0 }]);
  }, 120_000);

  it("without a grace period, stop waits for the running handler and records it; nothing is given back", async () => {
    const database: TestDatabase = await backend.open();
    cleanup.push(() => database.destroy());
    const { db } = database;
    const clock = new ManualClock(T0);
    await dueTimers(db, 200);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const a = new Scheduler(db, clock, { workerId: "a", pollSeconds: 60 }).on("tick", async (t) => {
      if (Number(t.payload.n) === 30) {
        entered();
        await gate;
      }
    });
    a.start();
    await inside;
    const stopping = a.stop();
    release();
    const outcome = await stopping;
    expect(outcome.released).toEqual([]);
    expect(outcome.finished).toBeGreaterThanOrEqual(1);
    const rows = await rowsOf(db);
    expect(rows.map((r) => r.status)).toEqual(["done", "pending"]);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(31); // up to the gated one at least
    expect(rows[0]!.n + rows[1]!.n).toBe(200);
    expect(rows.every((r) => r.locked === 0)).toBe(true);
  });
});
