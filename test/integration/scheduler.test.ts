/**
 * The durable scheduler on every backend: exactly-once firing across two instances, survival across a
 * restart, overdue timers at start-up, retries with backoff, lease take-over, cancellation.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { Db } from "../../src/db/client.js";
import { timers } from "../../src/db/schema.js";
import { DrizzleTimerRepo } from "../../src/scheduler/timer-repo.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { backends, type TestDatabase } from "../support/databases.js";

const T0 = "2026-11-23T10:00:00Z";

async function scheduleMany(db: Db, clock: ManualClock, n: number, dueAt: Date, kind = "tick") {
  const repo = new DrizzleTimerRepo(db, () => clock.now());
  for (let i = 0; i < n; i += 100) {
    await db.insert(timers).values(
      Array.from({ length: Math.min(100, n - i) }, (_, k) => ({
        kind,
        key: `${kind}:${i + k}`,
        dueAt,
        payload: { n: i + k },
        createdAt: clock.now(),
      })),
    );
  }
  return repo;
}

async function statusCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: timers.status, n: sql<number>`count(*)::int` })
    .from(timers)
    .groupBy(timers.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

describe.each(backends)("scheduler on $name", (backend) => {
  const open: TestDatabase[] = [];
  const schedulers: Scheduler[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    for (const d of open.splice(0)) await d.destroy().catch(() => {});
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const fresh = async (opts?: { dir?: string; reuse?: string }) => {
    const d = await backend.open(opts);
    open.push(d);
    return d;
  };
  const make = (db: Db, clock: ManualClock, id: string, opts = {}) => {
    const s = new Scheduler(db, clock, { workerId: id, pollSeconds: 60, ...opts });
    schedulers.push(s);
    return s;
  };

  it("two instances over 1,000 due timers fire each exactly once", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    await scheduleMany(db, clock, 1000, new Date(T0));
    const fired = new Map<number, string[]>();
    const record = (who: string) => async (t: { payload: Record<string, unknown> }) => {
      const n = Number(t.payload.n);
      fired.set(n, [...(fired.get(n) ?? []), who]);
      await new Promise((r) => setImmediate(r)); // let the other instance interleave
    };
    const a = make(db, clock, "a", { batchSize: 10 }).on("tick", record("a"));
    const b = make(db, clock, "b", { batchSize: 10 }).on("tick", record("b"));
    await Promise.all([a.drain(), b.drain()]);
    expect(fired.size).toBe(1000);
    expect([...fired.values()].filter((w) => w.length !== 1)).toEqual([]);
    expect(await statusCounts(db)).toEqual({ done: 1000 });
    if (backend.name === "postgres") {
      // On a real pool both instances get work; PGlite has one connection, so one may take it all.
      const byA = [...fired.values()].filter((w) => w[0] === "a").length;
      expect(byA).toBeGreaterThan(0);
      expect(byA).toBeLessThan(1000);
    }
  });

  it("a timer survives a restart and an overdue timer fires at start-up", async () => {
    const dir = backend.name === "pglite" ? mkdtempSync(join(tmpdir(), "sched-")) : undefined;
    if (dir) dirs.push(dir);
    const first = await fresh(dir ? { dir } : undefined);
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(first.db, () => clock.now());
    await repo.schedule({ kind: "remind", key: "remind:1", dueAt: new Date("2026-11-23T10:30:00Z"), payload: { who: "alice" } });
    const s1 = make(first.db, clock, "before");
    const seen: string[] = [];
    s1.on("remind", async (t) => void seen.push(String(t.payload.who)));
    expect(await s1.drain()).toBe(0); // not due yet
    await s1.stop();
    await first.close(); // the process goes away

    clock.set("2026-11-23T11:00:00Z"); // back up after the due time
    const again = await backend.open({ reuse: first.reopenSpec });
    open.push(again);
    const s2 = make(again.db, clock, "after").on("remind", async (t) => void seen.push(String(t.payload.who)));
    s2.start();
    await expect.poll(() => seen, { timeout: 5000 }).toEqual(["alice"]);
    await s2.drain();
    expect(await statusCounts(again.db)).toEqual({ done: 1 });
  });

  it("fires a due timer from the in-process wake-up, without waiting for the poll", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    const s = make(db, clock, "w", { pollSeconds: 60 });
    const seen: number[] = [];
    s.on("x", async () => void seen.push(1));
    s.start();
    await s.drain();
    await repo.schedule({ kind: "x", key: "x:1", dueAt: clock.now() });
    s.wake();
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(1);
  });

  it("a wake-up that comes while it claims, with a handler still running, fires the new row without waiting for that handler", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    const s = make(db, clock, "w", { pollSeconds: 60 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fired: string[] = [];
    // The slow one writes a second row and wakes the scheduler (as another replica's NOTIFY would)
    // before the claim loop has started waiting, then runs on until the second has fired.
    s.on("slow", async () => {
      fired.push("slow");
      await repo.schedule({ kind: "quick", key: "quick:1", dueAt: clock.now() });
      s.wake();
      await gate;
    });
    s.on("quick", async () => {
      fired.push("quick");
      release();
    });
    await repo.schedule({ kind: "slow", key: "slow:1", dueAt: clock.now() });
    s.start();
    // Without serving the wake-up the quick row would wait for the slow handler, which waits for it.
    await expect.poll(() => fired, { timeout: 10_000 }).toEqual(["slow", "quick"]);
    release();
  });

  it("retries a failing handler with backoff, then marks it failed and reports once", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    await repo.schedule({ kind: "flaky", key: "flaky:1", dueAt: clock.now() });
    const failures: string[] = [];
    const attempts: boolean[] = [];
    const s = make(db, clock, "r", {
      maxAttempts: 3,
      backoffMs: (n: number) => n * 60_000,
      onFailure: (t: { key: string }) => void failures.push(t.key),
    }).on("flaky", async (t) => {
      attempts.push(t.lastAttempt);
      throw new Error("chat API down");
    });
    await s.drain();
    expect(attempts).toEqual([false]);
    const [row] = await db.select().from(timers).where(eq(timers.key, "flaky:1"));
    expect(row!.status).toBe("pending");
    expect(row!.dueAt.toISOString()).toBe("2026-11-23T10:01:00.000Z");
    expect(row!.lastError).toBe("chat API down");
    clock.advance(60_000);
    await s.drain();
    clock.advance(120_000);
    await s.drain();
    expect(attempts).toEqual([false, false, true]);
    clock.advance(3_600_000);
    await s.drain();
    expect(attempts).toHaveLength(3);
    expect(failures).toEqual(["flaky:1"]);
    expect(await statusCounts(db)).toEqual({ failed: 1 });
  });

  it("waits the Retry-After a platform asked for instead of its own backoff", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    await repo.schedule({ kind: "limited", key: "limited:1", dueAt: clock.now() });
    let calls = 0;
    const s = make(db, clock, "r", { maxAttempts: 5, backoffMs: () => 5_000 }).on("limited", async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error("rate limited"), { retryAfterMs: 30_000 });
    });
    await s.drain();
    const [row] = await db.select().from(timers).where(eq(timers.key, "limited:1"));
    // 30 s asked for, not the 5 s backoff.
    expect(row!.dueAt.toISOString()).toBe("2026-11-23T10:00:30.000Z");
    clock.advance(5_000);
    await s.drain();
    expect(calls).toBe(1);
    clock.advance(25_000);
    await s.drain();
    expect(calls).toBe(2);
    expect(await statusCounts(db)).toEqual({ done: 1 });
  });

  it("a rate limit does not use up an attempt", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    await new DrizzleTimerRepo(db, () => clock.now()).schedule({ kind: "limited", key: "limited:2", dueAt: clock.now() });
    const seen: number[] = [];
    const s = make(db, clock, "r", { maxAttempts: 1 }).on("limited", async (t) => {
      seen.push(t.attempts);
      if (seen.length < 3) throw Object.assign(new Error("rate limited"), { retryAfterMs: 60_000 });
    });
    for (let i = 0; i < 3; i++) {
      await s.drain();
      clock.advance(60_000);
    }
    expect(seen).toEqual([1, 1, 1]);
    expect(await statusCounts(db)).toEqual({ done: 1 });
  });

  it("takes over a timer whose worker died after claiming it, once the lease has run out", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    await repo.schedule({ kind: "job", key: "job:1", dueAt: clock.now() });
    // Worker "dead" claims the row and never finishes.
    await db.update(timers).set({ status: "running", lockedBy: "dead", lockedUntil: new Date("2026-11-23T10:01:00Z"), attempts: 1 });
    const runs: number[] = [];
    const s = make(db, clock, "alive", { leaseMs: 60_000 }).on("job", async (t) => void runs.push(t.attempts));
    await s.drain();
    expect(runs).toEqual([]); // lease still held
    clock.advance(61_000);
    await s.drain();
    expect(runs).toEqual([2]);
    expect(await statusCounts(db)).toEqual({ done: 1 });
  });

  it("cancels the pending timers of an incident by kind, and scheduling a key twice keeps one row", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    await db.execute(sql`insert into incidents (id, reference, year, seq, title, impact, urgency, priority, status, platform, origin_channel, declared_by, declared_at)
      values (1, 'INC-2026-0001', 2026, 1, 't', 'I1', 'U1', 'P1', 'declared', 'console', 'general', 'a', ${T0}), (2, 'INC-2026-0002', 2026, 2, 't', 'I1', 'U1', 'P1', 'declared', 'console', 'general', 'a', ${T0})`);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    const due = new Date("2026-11-23T10:30:00Z");
    await repo.schedule({ kind: "update.due", key: "u:1", incidentId: 1, dueAt: due });
    await repo.schedule({ kind: "update.due", key: "u:1", incidentId: 1, dueAt: due });
    await repo.schedule({ kind: "page", key: "p:1", incidentId: 1, dueAt: due });
    await repo.schedule({ kind: "update.due", key: "u:2", incidentId: 2, dueAt: due });
    expect(await statusCounts(db)).toEqual({ pending: 3 });
    expect(await repo.cancel(1, ["update.due"])).toBe(1);
    const rows = await db.select({ key: timers.key, status: timers.status }).from(timers).orderBy(timers.key);
    expect(rows).toEqual([
      { key: "p:1", status: "pending" },
      { key: "u:1", status: "cancelled" },
      { key: "u:2", status: "pending" },
    ]);
    expect(await repo.cancel(1)).toBe(1);
    clock.set("2026-11-23T12:00:00Z");
    const fired: string[] = [];
    const s = make(db, clock, "c").on("update.due", async (t) => void fired.push(t.key)).on("page", async (t) => void fired.push(t.key));
    await s.drain();
    expect(fired).toEqual(["u:2"]);
  });

  it("parks a timer that waits for a signal and releases it the moment the signal is raised", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    await repo.schedule({ kind: "after", key: "after:1", dueAt: clock.now() });
    let ready = false;
    const runs: boolean[] = [];
    const s = make(db, clock, "w").on("after", async () => {
      runs.push(ready);
      if (!ready) throw Object.assign(new Error("room not ready"), { waitFor: "room:1" });
    });
    await s.drain();
    const [parked] = await db.select().from(timers);
    expect(parked).toMatchObject({ status: "waiting", waitFor: "room:1", attempts: 0 });
    clock.advance(3_600_000);
    await s.drain();
    expect(runs).toEqual([false]); // no polling while it waits
    ready = true;
    await db.transaction((tx) => new DrizzleTimerRepo(tx, () => clock.now()).signal("room:1", clock.now()));
    await s.drain();
    expect(runs).toEqual([false, true]);
    expect(await statusCounts(db)).toEqual({ done: 1 });
    // Parking after the signal was raised runs it again at once instead of waiting forever.
    await repo.schedule({ kind: "late", key: "late:1", dueAt: clock.now() });
    let n = 0;
    s.on("late", async () => {
      if (n++ === 0) throw Object.assign(new Error("looked before the signal"), { waitFor: "room:1" });
    });
    await s.drain();
    expect(n).toBe(2);
  });

  it("a deferred timer runs at its slot without using up an attempt", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    await new DrizzleTimerRepo(db, () => clock.now()).schedule({ kind: "send", key: "send:1", dueAt: clock.now() });
    const seen: number[] = [];
    const s = make(db, clock, "d", { maxAttempts: 1 }).on("send", async (t) => {
      seen.push(t.attempts);
      if (seen.length < 3) throw Object.assign(new Error("slot taken"), { deferUntil: new Date(clock.now().getTime() + 1_000) });
    });
    await s.drain();
    clock.advance(1_000);
    await s.drain();
    clock.advance(1_000);
    await s.drain();
    expect(seen).toEqual([1, 1, 1]);
    expect(await statusCounts(db)).toEqual({ done: 1 });
  });

  it("a replacing key keeps one row: pending takes the earlier time, running runs once more after", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    const later = new Date(clock.now().getTime() + 60_000);
    for (let i = 0; i < 5; i++) await repo.schedule({ kind: "render", key: "render:1", dueAt: later, payload: { v: i }, replace: true });
    expect(await db.select({ payload: timers.payload }).from(timers)).toEqual([{ payload: { v: 4 } }]);
    await repo.schedule({ kind: "render", key: "render:1", dueAt: clock.now(), payload: { v: 5 }, replace: true });
    const seen: unknown[] = [];
    const s = make(db, clock, "r").on("render", async (t) => {
      seen.push(t.payload.v);
      // A change while it renders: one more run follows, not one per change.
      if (seen.length === 1) for (let i = 6; i < 9; i++) await repo.schedule({ kind: "render", key: "render:1", dueAt: clock.now(), payload: { v: i }, replace: true });
    });
    await s.drain();
    expect(seen).toEqual([5, 8]);
    expect(await statusCounts(db)).toEqual({ done: 1 });
  });

  it("a crashed worker's short lease runs out while a live worker's heartbeat keeps its own", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    const repo = new DrizzleTimerRepo(db, () => clock.now());
    await repo.schedule({ kind: "slow", key: "slow:1", dueAt: clock.now() });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runs: string[] = [];
    const a = make(db, clock, "a", { leaseMs: 6_000, heartbeatMs: 20 }).on("slow", async () => {
      runs.push("a");
      await gate;
    });
    a.start();
    await expect.poll(() => runs.length, { timeout: 5000 }).toBe(1);
    clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 100)); // a few heartbeats
    clock.advance(5_000); // 10 s after the claim: past the first lease, within the renewed one
    const b = make(db, clock, "b", { leaseMs: 6_000 }).on("slow", async () => void runs.push("b"));
    await b.drain();
    expect(runs).toEqual(["a"]);
    release();
    await expect.poll(() => statusCounts(db), { timeout: 5000 }).toEqual({ done: 1 });
  });

  it("a timer whose lease ran out while it still runs here is not run a second time by its own worker", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    await new DrizzleTimerRepo(db, () => clock.now()).schedule({ kind: "slow", key: "slow:1", dueAt: clock.now() });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    // No heartbeat in time (as behind a long transaction on one PGlite connection).
    const a = make(db, clock, "a", { leaseMs: 6_000, heartbeatMs: 3_600_000 }).on("slow", async () => {
      runs++;
      await gate;
    });
    a.start();
    await expect.poll(() => runs, { timeout: 5000 }).toBe(1);
    clock.advance(10_000); // past the lease
    a.wake();
    await expect.poll(async () => (await db.select().from(timers))[0]!.lockedUntil!.getTime() > clock.now().getTime(), { timeout: 5000 }).toBe(true); // claimed again, by itself
    expect(runs).toBe(1);
    release();
    await expect.poll(() => statusCounts(db), { timeout: 5000 }).toEqual({ done: 1 });
    expect(runs).toBe(1);
  });

  it("deletes finished rows at once with no retention, or prunes them after it", async () => {
    const { db } = await fresh();
    const clock = new ManualClock(T0);
    await scheduleMany(db, clock, 3, clock.now());
    const s = make(db, clock, "z", { retentionMs: 0 }).on("tick", async () => {});
    await s.drain();
    expect(await statusCounts(db)).toEqual({});
    await scheduleMany(db, clock, 3, clock.now(), "tock");
    const k = make(db, clock, "k", { retentionMs: 3_600_000 }).on("tock", async () => {});
    await k.drain();
    expect(await statusCounts(db)).toEqual({ done: 3 });
    clock.advance(2 * 3_600_000);
    await k.drain();
    expect(await statusCounts(db)).toEqual({});
  });

  it.runIf(backend.name === "postgres")("a timer inserted by another replica wakes this one through LISTEN/NOTIFY", async () => {
    const d = await fresh();
    const clock = new ManualClock(T0);
    const seen: string[] = [];
    const s = make(d.db, clock, "l", { pollSeconds: 59, listen: (f: () => void) => d.listen!("timers_due", f) }).on("x", async (t) => void seen.push(t.key));
    s.start();
    await s.drain();
    await new Promise((r) => setTimeout(r, 300)); // LISTEN in place
    await new DrizzleTimerRepo(d.db, () => clock.now()).schedule({ kind: "x", key: "x:other", dueAt: clock.now() }); // no wake() call
    await expect.poll(() => seen, { timeout: 3000 }).toEqual(["x:other"]);
  });
});
