/**
 * Durable timers: rows with a due time (see claims.ts), fired by whichever replica claims them first.
 * An in-process timeout is armed for the nearest due row so timers fire on time; on PostgreSQL every
 * replica LISTENs for `timers_due` (a trigger NOTIFYs when a row becomes pending), so a timer written
 * by one replica wakes all of them at once; a node-cron poll stays as the backstop. Handlers must be
 * idempotent: a crash after the handler ran but before `done` was written means it runs again.
 *
 * Claims are short leases (6 s) renewed every 2 s by a heartbeat while the handler runs, so a killed
 * replica's work is taken over within ~6 s (the other replicas arm a wake-up at the lease's end)
 * instead of the 60 s a fixed lease long enough for a slow handler needed. The heartbeat costs one
 * UPDATE per replica every 2 s, whatever the number of rows held.
 */
import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { TimerWaker } from "../app/ports.js";
import type { Clock } from "../domain/clock.js";
import type { Db } from "../db/client.js";
import { withLogContext } from "../log.js";
import {
  claimDue,
  extendLeases,
  markDeferred,
  markDoneMany,
  markFailed,
  markRetry,
  markWaiting,
  nextWakeAt,
  pruneFinished,
  releaseClaims,
  type ClaimedTimer,
} from "./claims.js";
import { jittered, retryPolicyFor } from "./retry.js";

export type { ClaimedTimer };
/** `signal` is aborted when the scheduler stops with a grace period and this handler outlives it. */
export type TimerHandler = (timer: ClaimedTimer & { lastAttempt: boolean; signal: AbortSignal }) => Promise<void>;

export interface StopOptions {
  /**
   * How long handlers already running may take to finish. Past it their claims are given back
   * (pending, lease cleared: another replica takes them at once), their `signal` is aborted, and
   * whatever they do afterwards is not recorded. Absent: wait for them, however long.
   */
  graceMs?: number;
}

export interface StopOutcome {
  /** Timers whose handler finished (done, retry or failed recorded) after stop was called. */
  finished: number;
  /** Ids of the timers whose claim was given back unfinished. */
  released: number[];
}


/** Subscribes to the database's "a timer became pending" notifications; resolves to an unsubscribe. */
export type TimerListen = (onNotify: () => void) => Promise<() => Promise<void>>;

export interface SchedulerOptions {
  workerId?: string;
  /** How long a claim protects a running timer before another worker may take it over (renewed by the heartbeat). */
  leaseMs?: number;
  /** How often the leases of running timers are renewed; default a third of the lease. */
  heartbeatMs?: number;
  /** Where the heartbeat renews them (a connection of its own, Database.leases); default the scheduler's db. */
  leaseDb?: Db;
  batchSize?: number;
  /** How many handlers run at once in this process. */
  concurrency?: number;
  /** Overrides the per-kind retry policies (retry.ts) for every kind. */
  maxAttempts?: number;
  /** Overrides the per-kind retry policies: delay before retry n (1-based), no jitter. */
  backoffMs?: (attempt: number) => number;
  pollSeconds?: number;
  /** How long finished rows are kept (0: deleted on completion). Default 24 h. */
  retentionMs?: number;
  /** PostgreSQL LISTEN for timer notifications (absent on PGlite: the in-process wake covers it). */
  listen?: TimerListen;
  /** Called once when a timer has failed for the last time. */
  onFailure?: (timer: ClaimedTimer, error: unknown) => Promise<void> | void;
  log?: (msg: string) => void;
  /** Told each time a timer ran: ok, retry or failed. */
  onFired?: (kind: string, result: "ok" | "retry" | "failed") => void;
}

const MAX_TIMEOUT_MS = 2_147_483_647;
const PRUNE_EVERY_MS = 60_000;
export const defaultBackoff = (attempt: number): number => Math.min(5_000 * 2 ** (attempt - 1), 600_000);

export class Scheduler implements TimerWaker {
  readonly workerId: string;
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly opts: Required<Pick<SchedulerOptions, "leaseMs" | "heartbeatMs" | "batchSize" | "concurrency" | "pollSeconds" | "retentionMs">>;
  private cronTask: ScheduledTask | null = null;
  private timeout: NodeJS.Timeout | null = null;
  /** Calls of `arm` so far: only the latest applies what it read. */
  private arming = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private poke: (() => void) | null = null;
  private stopped = true;
  private lastPrune = 0;
  /** Rows this process is running (their leases are renewed), and finished rows not yet marked done. */
  private readonly held = new Set<number>();
  private doneIds: number[] = [];
  private flushing: Promise<void> = Promise.resolve();
  /** Set by stop(): no new batch is claimed. */
  private closing = false;
  /** Timers whose handler is running, by id. */
  private readonly handling = new Map<number, AbortController>();
  /** Timers given back at stop whose handler may still return: their outcome is not recorded. */
  private readonly released = new Set<number>();
  /** Outcome writes (done / retry / failed) in progress. */
  private readonly recording = new Set<Promise<void>>();
  private finishedSinceStop = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: SchedulerOptions = {},
  ) {
    this.workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
    const leaseMs = options.leaseMs ?? 6_000;
    this.opts = {
      leaseMs,
      heartbeatMs: options.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3)),
      batchSize: options.batchSize ?? 25,
      concurrency: options.concurrency ?? 32,
      pollSeconds: options.pollSeconds ?? 5,
      retentionMs: options.retentionMs ?? 24 * 3_600_000,
    };
  }

  on(kind: string, handler: TimerHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  /** Starts the poll and fires whatever is overdue (e.g. timers that fell due while the bot was down). */
  start(): void {
    this.stopped = false;
    this.closing = false;
    this.cronTask = cron.schedule(`*/${this.opts.pollSeconds} * * * * *`, () => this.wake(), { noOverlap: true });
    this.heartbeat = setInterval(() => void this.renewLeases(), this.opts.heartbeatMs);
    this.heartbeat.unref();
    if (this.options.listen) {
      this.options
        .listen(() => this.wake())
        .then((off) => {
          if (this.stopped) void off();
          else this.unlisten = off;
        })
        .catch((e: unknown) => this.options.log?.(`scheduler: LISTEN failed, polling only: ${String(e)}`));
    }
    this.wake();
  }

  /**
   * Stops claiming at once (the run in progress finishes its current batch and claims no other, so a
   * backlog of thousands does not hold the shutdown), then waits for running handlers — up to
   * `graceMs` if given, after which their claims are given back.
   */
  async stop(opts: StopOptions = {}): Promise<StopOutcome> {
    this.stopped = true;
    this.closing = true;
    this.finishedSinceStop = 0;
    await this.cronTask?.stop();
    this.cronTask = null;
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
    const run = this.running?.then(
      () => "idle" as const,
      () => "idle" as const,
    );
    if (!run) return { finished: 0, released: [] };
    if (opts.graceMs === undefined) {
      await run;
      return { finished: this.finishedSinceStop, released: [] };
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), opts.graceMs)));
    const how = await Promise.race([run, late]);
    clearTimeout(timer);
    if (how === "idle") return { finished: this.finishedSinceStop, released: [] };
    // Past the deadline: mark the unfinished ones as not ours any more before anything can record them.
    const unfinished = [...this.handling.keys()];
    for (const id of unfinished) {
      this.released.add(id);
      this.handling.get(id)?.abort(new Error("scheduler stopping"));
    }
    const released = await releaseClaims(this.db, unfinished, this.workerId);
    await Promise.allSettled([...this.recording]);
    await this.flushDone(); // the finished ones of the run still winding down are recorded now
    return { finished: this.finishedSinceStop, released };
  }

  /** Something may be due: run now (coalesced with a run in progress), then re-arm. */
  wake(): void {
    void this.runOnce().catch((e: unknown) => this.options.log?.(`scheduler: ${String(e)}`));
  }

  /** Fires everything due now, including timers the handlers schedule for now; resolves when idle. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      // A run started elsewhere (the armed timeout, the poll, a wake) may be firing what is due: wait
      // for it rather than return while it still posts.
      if (this.running) {
        total += await this.running;
        continue;
      }
      const n = await this.runOnce();
      total += n;
      if (n === 0 && !this.running) return total;
    }
  }

  private runOnce(): Promise<number> {
    if (this.running) {
      this.again = true;
      this.poke?.();
      return this.running;
    }
    this.again = false;
    this.running = this.fireDue().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) this.wake();
      else void this.arm();
    });
    return this.running;
  }

  /**
   * Claims in batches while handlers run: once half a batch of slots is free (or nothing runs, or a
   * wake-up said new work is due) the finished rows are marked done in one statement and the free
   * slots refilled, so one slow handler (a summary on its 6th attempt) holds one slot, never the
   * unrelated due work behind it. Measured on the 1,000-timer test (two instances, PGlite, a loaded
   * machine): refilling after every finished handler cost two transactions per timer and took 40 s
   * where claiming whole batches and waiting for all of them took 23 s; refilling by half batches
   * took 15.5 s where the batch-at-a-time scheduler took 16.3 s in the same minute.
   */
  private async fireDue(): Promise<number> {
    let fired = 0;
    const active = new Set<Promise<void>>();
    const half = Math.max(1, Math.ceil(this.opts.batchSize / 2));
    try {
      for (;;) {
        const want = Math.min(this.opts.concurrency - active.size, this.opts.batchSize);
        let claimed = -1;
        if (!this.closing && want > 0 && (active.size === 0 || want >= half || this.again)) {
          await this.flushDone();
          this.again = false;
          const batch = await claimDue(this.db, this.workerId, this.clock.now(), this.opts.leaseMs, want);
          for (const t of batch) {
            // Its lease ran out while it still runs here (a heartbeat late behind a long transaction,
            // as one PGlite connection can be): the claim renewed it; it is not run a second time.
            if (this.held.has(t.id)) continue;
            this.held.add(t.id);
            const p: Promise<void> = this.fire(t).finally(() => active.delete(p));
            active.add(p);
            fired++;
          }
          claimed = batch.length;
          // PGlite answers through microtasks only: without this turn of the event loop a backlog starves
          // the HTTP server, the gateway and the SIGTERM handler until it is empty (measured: /healthz
          // unanswered for the 25+ s a 5,000-timer backlog took). One setImmediate per batch costs ~nothing.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (active.size === 0) {
          await this.flushDone();
          if (!this.again || this.closing) return fired;
          continue;
        }
        // A wake-up that came during the claim (no poke to resolve then) left `again` set: claim again
        // rather than wait for a handler to finish, which may take many seconds.
        const wokenMeanwhile = this.again && want > 0 && !this.closing;
        if (claimed < want && !wokenMeanwhile) {
          // Nothing more due (or no room): wait for a handler to finish or a wake-up.
          const poked = new Promise<void>((r) => (this.poke = r));
          await Promise.race([...active, poked]);
          this.poke = null;
        }
      }
    } finally {
      await Promise.allSettled(active);
      await this.flushDone();
      if (this.clock.now().getTime() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
    }
  }

  /** Marks the finished rows done in one statement; flushes run one after another, so awaiting one awaits any in flight. */
  private flushDone(): Promise<void> {
    const next = this.flushing.then(async () => {
      if (this.doneIds.length === 0) return;
      const ids = this.doneIds;
      this.doneIds = [];
      await markDoneMany(this.db, ids, this.workerId, this.clock.now(), this.opts.retentionMs > 0);
      for (const id of ids) this.held.delete(id);
    });
    this.flushing = next.catch(() => {});
    return next;
  }

  private async prune(): Promise<void> {
    this.lastPrune = this.clock.now().getTime();
    if (this.opts.retentionMs <= 0) return;
    await pruneFinished(this.db, new Date(this.lastPrune - this.opts.retentionMs)).catch((e: unknown) => this.options.log?.(`scheduler: pruning failed: ${String(e)}`));
  }

  private async renewLeases(): Promise<void> {
    const ids = [...this.held];
    if (ids.length === 0) return;
    await extendLeases(this.options.leaseDb ?? this.db, this.workerId, ids, new Date(this.clock.now().getTime() + this.opts.leaseMs)).catch((e: unknown) =>
      this.options.log?.(`scheduler: heartbeat failed: ${String(e)}`),
    );
  }

  /** Runs one claimed timer; every log line written meanwhile (the handler's too) carries the timer and its incident. */
  private fire(t: ClaimedTimer): Promise<void> {
    return withLogContext({ timer: t.id, kind: t.kind, ...(t.incidentId !== null ? { incident: t.incidentId } : {}) }, () => this.run(t));
  }

  private async run(t: ClaimedTimer): Promise<void> {
    const handler = this.handlers.get(t.kind);
    const abort = new AbortController();
    this.handling.set(t.id, abort);
    let failure: { error: unknown } | null = null;
    try {
      if (!handler) throw new Error(`no handler for timer kind "${t.kind}"`);
      await handler({ ...t, lastAttempt: t.attempts >= this.maxAttemptsOf(t), signal: abort.signal });
    } catch (error) {
      failure = { error };
    } finally {
      this.handling.delete(t.id);
    }
    // Given back at stop: another replica owns it now (the SQL guards would ignore our writes anyway).
    if (this.released.delete(t.id)) {
      this.held.delete(t.id);
      return;
    }
    const write = this.record(t, failure);
    this.recording.add(write);
    try {
      await write;
      if (this.closing) this.finishedSinceStop++;
    } finally {
      this.recording.delete(write);
    }
  }

  private maxAttemptsOf(t: ClaimedTimer): number {
    return this.options.maxAttempts ?? retryPolicyFor(t.kind, t.payload).maxAttempts;
  }

  private async record(t: ClaimedTimer, failure: { error: unknown } | null): Promise<void> {
    if (!failure) {
      this.doneIds.push(t.id); // still held (its lease renewed) until marked done with its batch
      this.options.onFired?.(t.kind, "ok");
      return;
    }
    this.held.delete(t.id);
    const { error } = failure;
    const policy = retryPolicyFor(t.kind, t.payload);
    const msg = error instanceof Error ? error.message : String(error);
    const now = this.clock.now();
    const e = error as { waitFor?: unknown; deferUntil?: unknown; payload?: unknown; retryAfterMs?: unknown } | null;
    if (typeof e?.waitFor === "string") {
      // Not a failure: parked until the event it waits for (the attempt is not counted).
      await markWaiting(this.db, t.id, this.workerId, e.waitFor, now);
      return;
    }
    if (e?.deferUntil instanceof Date) {
      const patch = e.payload && typeof e.payload === "object" ? (e.payload as Record<string, unknown>) : undefined;
      await markDeferred(this.db, t.id, this.workerId, e.deferUntil, patch);
      return;
    }
    const hinted = e?.retryAfterMs;
    if (typeof hinted === "number" && hinted > 0) {
      // A platform's rate limit (429 with Retry-After) is not a failure of this work: it waits the time
      // asked, the attempt not counted. Counted, a burst of war rooms against Slack's Tier 2 (20
      // channels a minute) would use up the 12 attempts of the last ones and fail them for good.
      await markDeferred(this.db, t.id, this.workerId, new Date(now.getTime() + hinted));
      this.options.onFired?.(t.kind, "retry");
      return;
    }
    if (t.attempts >= this.maxAttemptsOf(t)) {
      await markFailed(this.db, t.id, this.workerId, now, msg);
      this.options.onFired?.(t.kind, "failed");
      this.options.log?.(`timer ${t.kind} ${t.key} failed after ${t.attempts} attempts: ${msg}`);
      await this.options.onFailure?.(t, error);
    } else {
      const delay = this.options.backoffMs ? this.options.backoffMs(t.attempts) : jittered(policy.delayMs(t.attempts));
      const retryAt = new Date(now.getTime() + delay);
      await markRetry(this.db, t.id, this.workerId, retryAt, msg);
      this.options.onFired?.(t.kind, "retry");
      this.options.log?.(`timer ${t.kind} ${t.key} attempt ${t.attempts} failed (${msg}); retry at ${retryAt.toISOString()}`);
    }
  }

  /** Arms one in-process timeout for the nearest due row, so it fires on time rather than at the next poll. */
  private async arm(): Promise<void> {
    if (this.stopped) return;
    // Reads can finish out of order (each waits for a connection of the pool): an older read finishing
    // last would clear the newer one's timeout and arm for a stale time or none, leaving a due row to
    // the minute's poll or the next wake. The last call wins.
    const call = ++this.arming;
    const next = await nextWakeAt(this.db).catch(() => null);
    if (call !== this.arming) return;
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = null;
    if (!next || this.stopped) return;
    // At least 20 ms: a due row locked by another worker must not make this spin.
    const delay = Math.min(Math.max(20, next.getTime() - this.clock.now().getTime()), MAX_TIMEOUT_MS);
    this.timeout = setTimeout(() => this.wake(), delay);
    this.timeout.unref();
  }
}
