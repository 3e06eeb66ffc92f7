/**
 * Durable timers: rows with a due time (see claims.ts), fired by whichever replica claims them first.
 * An in-process timeout is armed for the nearest due row so timers fire on time; a node-cron poll is
 * the backstop for rows another replica wrote or a missed wake-up. Handlers must be idempotent: a
 * crash after the handler ran but before `done` was written means it runs again after the lease.
 */
import { randomUUID } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { TimerWaker } from "../app/ports.js";
import type { Clock } from "../domain/clock.js";
import type { Db } from "../db/client.js";
import { withLogContext } from "../log.js";
import { claimDue, markDone, markFailed, markRetry, nextWakeAt, releaseClaims, type ClaimedTimer } from "./claims.js";

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

export interface SchedulerOptions {
  workerId?: string;
  /** How long a claim protects a running timer before another worker may take it over. */
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** Delay before retry n (1-based). Default: 5 s doubling, capped at 10 min. */
  backoffMs?: (attempt: number) => number;
  pollSeconds?: number;
  /** Called once when a timer has failed for the last time. */
  onFailure?: (timer: ClaimedTimer, error: unknown) => Promise<void> | void;
  log?: (msg: string) => void;
  /** Told each time a timer ran: ok, retry or failed. */
  onFired?: (kind: string, result: "ok" | "retry" | "failed") => void;
}

const MAX_TIMEOUT_MS = 2_147_483_647;
export const defaultBackoff = (attempt: number): number => Math.min(5_000 * 2 ** (attempt - 1), 600_000);

export class Scheduler implements TimerWaker {
  readonly workerId: string;
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly opts: Required<Omit<SchedulerOptions, "onFailure" | "log" | "workerId" | "onFired">>;
  private cronTask: ScheduledTask | null = null;
  private timeout: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = true;
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
    this.opts = {
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: options.batchSize ?? 25,
      maxAttempts: options.maxAttempts ?? 8,
      backoffMs: options.backoffMs ?? defaultBackoff,
      pollSeconds: options.pollSeconds ?? 5,
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

  private async fireDue(): Promise<number> {
    let fired = 0;
    while (!this.closing) {
      const batch = await claimDue(this.db, this.workerId, this.clock.now(), this.opts.leaseMs, this.opts.batchSize);
      if (batch.length === 0) return fired;
      await Promise.all(batch.map((t) => this.fire(t)));
      fired += batch.length;
      // PGlite answers through microtasks only: without this turn of the event loop a backlog starves
      // the HTTP server, the gateway and the SIGTERM handler until it is empty (measured: /healthz
      // unanswered for the 25+ s a 5,000-timer backlog took). One setImmediate per batch costs ~nothing.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return fired;
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
      await handler({ ...t, lastAttempt: t.attempts >= this.opts.maxAttempts, signal: abort.signal });
    } catch (error) {
      failure = { error };
    } finally {
      this.handling.delete(t.id);
    }
    // Given back at stop: another replica owns it now (the SQL guards would ignore our writes anyway).
    if (this.released.delete(t.id)) return;
    const write = this.record(t, failure);
    this.recording.add(write);
    try {
      await write;
      if (this.closing) this.finishedSinceStop++;
    } finally {
      this.recording.delete(write);
    }
  }

  private async record(t: ClaimedTimer, failure: { error: unknown } | null): Promise<void> {
    if (!failure) {
      await markDone(this.db, t.id, this.workerId, this.clock.now());
      this.options.onFired?.(t.kind, "ok");
      return;
    }
    const { error } = failure;
    const msg = error instanceof Error ? error.message : String(error);
    const now = this.clock.now();
    if (t.attempts >= this.opts.maxAttempts) {
      await markFailed(this.db, t.id, this.workerId, now, msg);
      this.options.onFired?.(t.kind, "failed");
      this.options.log?.(`timer ${t.kind} ${t.key} failed after ${t.attempts} attempts: ${msg}`);
      await this.options.onFailure?.(t, error);
    } else {
      // A platform's Retry-After (carried as `retryAfterMs` on the error) wins over our backoff.
      const hinted = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
      const delay = typeof hinted === "number" && hinted > 0 ? hinted : this.opts.backoffMs(t.attempts);
      const retryAt = new Date(now.getTime() + delay);
      await markRetry(this.db, t.id, this.workerId, retryAt, msg);
      this.options.onFired?.(t.kind, "retry");
      this.options.log?.(`timer ${t.kind} ${t.key} attempt ${t.attempts} failed (${msg}); retry at ${retryAt.toISOString()}`);
    }
  }

  /** Arms one in-process timeout for the nearest due row, so it fires on time rather than at the next poll. */
  private async arm(): Promise<void> {
    if (this.stopped) return;
    const next = await nextWakeAt(this.db).catch(() => null);
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = null;
    if (!next || this.stopped) return;
    // At least 20 ms: a due row locked by another worker must not make this spin.
    const delay = Math.min(Math.max(20, next.getTime() - this.clock.now().getTime()), MAX_TIMEOUT_MS);
    this.timeout = setTimeout(() => this.wake(), delay);
    this.timeout.unref();
  }
}
