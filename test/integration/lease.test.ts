/**
 * One replica holds a named lease (the Discord gateway): a second waits; when the holder dies (stops
 * renewing) the second takes it over once the lease runs out; a clean stop hands it over at once.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { timers } from "../../src/db/schema.js";
import { LeaseKeeper } from "../../src/scheduler/lease-keeper.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { DrizzleTimerRepo } from "../../src/scheduler/timer-repo.js";
import { backends, type TestDatabase } from "../support/databases.js";

describe.each(backends)("lease on $name", (backend) => {
  let database: TestDatabase | null = null;
  const keepers: LeaseKeeper[] = [];
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.stop();
    await database?.destroy();
  });

  it("one holder at a time; a dead holder's lease is taken over, a clean stop hands it over", async () => {
    database = await backend.open();
    const events: string[] = [];
    const keeper = (holder: string) => {
      const k = new LeaseKeeper(database!.db, { name: "discord-gateway", holder, leaseMs: 400, renewMs: 50, onGained: () => void events.push(`${holder} gained`), onLost: () => void events.push(`${holder} lost`) });
      keepers.push(k);
      return k;
    };
    const a = keeper("a");
    a.start();
    await expect.poll(() => a.holding).toBe(true);
    const b = keeper("b");
    b.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(b.holding).toBe(false);
    await a.stop(false); // killed: stops renewing, never releases
    await expect.poll(() => b.holding, { timeout: 5000 }).toBe(true);
    const c = keeper("c");
    c.start();
    await b.stop(); // clean shutdown: released at once
    await expect.poll(() => c.holding, { timeout: 5000 }).toBe(true);
    expect(events).toEqual(["a gained", "a lost", "b gained", "b lost", "c gained"]);
  });
});

describe.each(backends.filter((b) => b.name === "postgres"))("timer leases on $name", (backend) => {
  let database: TestDatabase | null = null;
  afterEach(() => database?.destroy());

  it("a running timer's lease is renewed while every connection of the scheduler's pool is held", async () => {
    database = await backend.open();
    const jobDb = database.background!;
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let started = false;
    // As createBot wires it: the heartbeat on its own connection (Database.leases).
    const scheduler = new Scheduler(jobDb, systemClock, { workerId: "w1", leaseMs: 600, heartbeatMs: 100, ...(database.leases ? { leaseDb: database.leases } : {}) });
    scheduler.on("slow", async () => {
      started = true;
      await held;
    });
    await new DrizzleTimerRepo(database.db, () => systemClock.now()).schedule({ kind: "slow", key: "slow:1", dueAt: systemClock.now() });
    scheduler.start();
    await expect.poll(() => started).toBe(true);
    // Handlers' transactions hold every connection of the pool (8 / 2 = 4) for twice the lease.
    const holders = Array.from({ length: 4 }, () =>
      jobDb.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await held;
      }),
    );
    await new Promise((r) => setTimeout(r, 1_200));
    const [row] = await database.db.select().from(timers).where(eq(timers.key, "slow:1"));
    expect(row).toMatchObject({ status: "running", lockedBy: "w1" });
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    release();
    await Promise.all(holders);
    await scheduler.stop();
  });
});

