/**
 * Durable timers against graphile-worker (devDependency, for this bench only) on the same PostgreSQL,
 * in the same run: throughput (timers due at once, one worker, fired per second) and lateness (timers
 * due 100 per second, p99 of fired-at minus due-at). graphile-worker "tuned": 10 concurrent jobs, a
 * 100 ms poll for future jobs (its defaults are 1 and 2 s).
 */
import { fork } from "node:child_process";
import { sql } from "drizzle-orm";
import { Logger, run, makeWorkerUtils } from "graphile-worker";
import { openDatabase, type Db } from "../src/db/client.js";
import { applyMigrations } from "../src/db/migrate.js";
import { timers } from "../src/db/schema.js";
import { systemClock } from "../src/clock.js";
import { Scheduler } from "../src/scheduler/scheduler.js";
import { pct, scratchPostgres, type BenchStore } from "./stores.js";

const DUE_AT_ONCE = Number(process.env.BENCH_TIMERS ?? 2000);
const SPREAD = Number(process.env.BENCH_SPREAD_TIMERS ?? 300); // at 100/s: 3 s
const RATE = 100;

export interface TimerFigures {
  firedPerSec: number;
  latenessP99Ms: number;
  lateFired: number;
}

async function insertTimers(db: Db, n: number, due: (i: number) => Date, kind: string): Promise<void> {
  for (let i = 0; i < n; i += 500) {
    await db.insert(timers).values(
      Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ kind, key: `${kind}:${i + k}`, dueAt: due(i + k), payload: { due: due(i + k).getTime() }, createdAt: new Date() })),
    );
  }
}

export async function ourTimers(store: BenchStore): Promise<TimerFigures> {
  const { database, dispose } = await store.open();
  try {
    const db = database.db;
    await insertTimers(db, DUE_AT_ONCE, () => new Date(Date.now() - 1000), "tick");
    const s = new Scheduler(db, systemClock, { workerId: "bench", pollSeconds: 60 });
    s.on("tick", async () => {});
    const t0 = performance.now();
    const fired = await s.drain();
    const firedPerSec = fired / ((performance.now() - t0) / 1000);
    await s.stop();

    const lateness: number[] = [];
    const s2 = new Scheduler(db, systemClock, { workerId: "bench-late", pollSeconds: 60 });
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    s2.on("late", async (t) => {
      lateness.push(Date.now() - Number(t.payload.due));
      if (lateness.length === SPREAD) resolveAll();
    });
    const start = Date.now() + 500;
    await insertTimers(db, SPREAD, (i) => new Date(start + (i * 1000) / RATE), "late");
    s2.start();
    s2.wake();
    await Promise.race([all, new Promise((r) => setTimeout(r, (SPREAD / RATE) * 1000 + 10_000))]);
    await s2.stop();
    await db.execute(sql`select 1`);
    return { firedPerSec, latenessP99Ms: pct(lateness, 99), lateFired: lateness.length };
  } finally {
    await dispose();
  }
}

export async function graphileTimers(adminUrl: string): Promise<TimerFigures> {
  const scratch = await scratchPostgres(adminUrl);
  try {
    const connectionString = scratch.url;
    const utils = await makeWorkerUtils({ connectionString });
    await utils.migrate();
    for (let i = 0; i < DUE_AT_ONCE; i += 500) {
      await utils.addJobs(Array.from({ length: Math.min(500, DUE_AT_ONCE - i) }, () => ({ identifier: "tick", payload: {} })));
    }
    let n = 0;
    let doneAll!: () => void;
    const done = new Promise<void>((r) => (doneAll = r));
    const t0 = performance.now();
    const runner = await run({
      connectionString,
      concurrency: 10,
      pollInterval: 100,
      noHandleSignals: true,
      logger: quietLogger(),
      taskList: {
        tick: async () => {
          if (++n === DUE_AT_ONCE) doneAll();
        },
      },
    });
    await done;
    const firedPerSec = DUE_AT_ONCE / ((performance.now() - t0) / 1000);
    await runner.stop();

    const lateness: number[] = [];
    let lateAll!: () => void;
    const allLate = new Promise<void>((r) => (lateAll = r));
    const runner2 = await run({
      connectionString,
      concurrency: 10,
      pollInterval: 100,
      noHandleSignals: true,
      logger: quietLogger(),
      taskList: {
        late: async (payload) => {
          lateness.push(Date.now() - Number((payload as { due: number }).due));
          if (lateness.length === SPREAD) lateAll();
        },
      },
    });
    const start = Date.now() + 500;
    for (let i = 0; i < SPREAD; i += 500) {
      await utils.addJobs(Array.from({ length: Math.min(500, SPREAD - i) }, (_, k) => {
        const due = start + ((i + k) * 1000) / RATE;
        return { identifier: "late", payload: { due }, runAt: new Date(due) };
      }));
    }
    await Promise.race([allLate, new Promise((r) => setTimeout(r, (SPREAD / RATE) * 1000 + 10_000))]);
    await runner2.stop();
    await utils.release();
    return { firedPerSec, latenessP99Ms: pct(lateness, 99), lateFired: lateness.length };
  } finally {
    await scratch.drop();
  }
}

/** graphile-worker's logger, errors only. */
function quietLogger(): Logger {
  return new Logger(() => (level, message) => {
    if (level === "error") console.error(`graphile-worker: ${message}`);
  });
}

export interface ReplicaFigures {
  workers: number;
  firedPerSec: number;
  /** The workers' CPU time over the wall time (1.0: one core busy), PostgreSQL's own not counted. */
  cpuShare: number;
  /** Timers fired more than once, or not at all (both must be 0). */
  wrong: number;
}

/**
 * Replicas: DUE_AT_ONCE timers due at once on PostgreSQL, drained by `workers` processes of their own
 * (bench/timer-worker.ts), timed from "go" (every process ready) until the last one is done.
 */
export async function replicaTimers(adminUrl: string, workers: number): Promise<ReplicaFigures> {
  const scratch = await scratchPostgres(adminUrl);
  const database = await openDatabase({ url: scratch.url, maxConnections: 2 });
  try {
    await applyMigrations(database);
    await insertTimers(database.db, DUE_AT_ONCE, () => new Date(Date.now() - 1000), "tick");
    const children = Array.from({ length: workers }, () => fork("bench/timer-worker.ts", [scratch.url], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    await Promise.all(children.map((c) => new Promise((r) => c.once("message", r))));
    const t0 = performance.now();
    const results = await Promise.all(
      children.map(
        (c) =>
          new Promise<{ fired: number; cpuMs: number }>((resolve) => {
            c.once("message", resolve);
            c.send("go");
          }),
      ),
    );
    const wallMs = performance.now() - t0;
    const firedPerSec = DUE_AT_ONCE / (wallMs / 1000);
    const counts = results.map((r) => r.fired);
    const cpuShare = results.reduce((a, r) => a + r.cpuMs, 0) / wallMs;
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
    const [row] = (await database.db.execute(sql`select count(*)::int as n from timers where status = 'done' and attempts = 1`)) as unknown as { n: number }[];
    const fired = counts.reduce((a, b) => a + b, 0);
    return { workers, firedPerSec, cpuShare, wrong: Math.abs(fired - DUE_AT_ONCE) + (DUE_AT_ONCE - row!.n) };
  } finally {
    await database.close();
    await scratch.drop();
  }
}

export function replicaReport(rows: ReplicaFigures[]): string[] {
  const one = rows.find((r) => r.workers === 1);
  return [
    `Timer replicas on PostgreSQL: ${DUE_AT_ONCE} due at once, each worker a process of its own; ratio to one worker`,
    ...rows.map((r) => `  ${r.workers} worker${r.workers > 1 ? "s" : ""}: ${r.firedPerSec.toFixed(0)} fired/s${one ? ` (${(r.firedPerSec / one.firedPerSec).toFixed(2)}×)` : ""}; workers' CPU ${r.cpuShare.toFixed(2)} cores; fired other than once: ${r.wrong}`),
  ];
}

export function timerReport(base: TimerFigures | null, rows: { name: string; f: TimerFigures }[]): string[] {
  const out = [`Durable timers: ${DUE_AT_ONCE} due at once (1 worker), ${SPREAD} due ${RATE}/s; ratio to graphile-worker tuned in this run`];
  if (base) out.push(`  graphile-worker: ${base.firedPerSec.toFixed(0)} fired/s; lateness p99 ${base.latenessP99Ms.toFixed(0)} ms (${base.lateFired}/${SPREAD})`);
  for (const { name, f } of rows) {
    const ratio = base ? ` (${(f.firedPerSec / base.firedPerSec).toFixed(2)}×)` : "";
    const lr = base ? ` (${(f.latenessP99Ms / base.latenessP99Ms).toFixed(2)}×)` : "";
    out.push(`  ${name}: ${f.firedPerSec.toFixed(0)} fired/s${ratio}; lateness p99 ${f.latenessP99Ms.toFixed(0)} ms${lr} (${f.lateFired}/${SPREAD})`);
  }
  return out;
}
