/**
 * Assembles a running bot from a database, a clock, a policy and chat ports: the store, the scheduler
 * with every job handler, and the application context the command dispatcher takes. `main.ts` and the
 * end-to-end tests both build the bot here, so the tests run the wiring users run.
 */
import { DELIVER, jobHandlers } from "./app/jobs/index.js";
import { ensureCalendarRuns } from "./app/review/calendar.js";
import { ensureShiftNotices } from "./app/oncall/shift-notices.js";
import { Metrics } from "./metrics.js";
import { toPng } from "./report-chart.js";
import type { AppContext } from "./app/context.js";
import type { ChatPort, PagingPorts } from "./app/ports.js";
import { httpWebhookSender } from "./adapters/paging/webhook.js";
import type { Database } from "./db/client.js";
import { DrizzleStore, outsideTransaction } from "./db/store.js";
import type { Clock } from "./domain/clock.js";
import type { Policy } from "./domain/policy.js";
import { silentLogger, type Logger } from "./log.js";
import { Scheduler, type SchedulerOptions } from "./scheduler/scheduler.js";

export interface Bot {
  ctx: AppContext;
  metrics: Metrics;
  scheduler: Scheduler;
  /** Makes sure the calendar jobs (weekly review, monthly report) are scheduled, then starts the scheduler. */
  start(): Promise<void>;
  /** Stops the scheduler, waiting for running handlers (main.ts calls `scheduler.stop({ graceMs })` for a bounded stop). */
  stop(): Promise<void>;
}

export interface BotOptions {
  database: Database;
  clock: Clock;
  policy: Policy;
  chats: ChatPort[];
  log?: Logger;
  scheduler?: SchedulerOptions;
  metrics?: Metrics;
  /** Webhook and e-mail paging; the webhook sender defaults to HTTP (fetch). */
  paging?: PagingPorts;
  /** The bot's public base URL (PUBLIC_URL), for links in stakeholder e-mail. */
  publicUrl?: string;
}

export function createBot(opts: BotOptions): Bot {
  const log = opts.log ?? silentLogger;
  const metrics = opts.metrics ?? new Metrics();
  const { listen } = opts.database;
  // The scheduler and its handlers on their own pool (PostgreSQL), so a burst of requests cannot hold them back.
  const jobDb = opts.database.background ?? opts.database.db;
  const scheduler = new Scheduler(jobDb, opts.clock, {
    log: (m) => log.warn(m),
    // PostgreSQL: a timer written by any replica wakes every replica (the trigger NOTIFYs timers_due).
    ...(listen ? { listen: (onNotify: () => void) => listen("timers_due", onNotify) } : {}),
    ...(opts.database.leases ? { leaseDb: opts.database.leases } : {}),
    onFailure: (t, e) => {
      log.error("timer failed for good", { kind: t.kind, key: t.key, error: String(e) });
      if (t.kind === DELIVER) metrics.deliveriesFailed.inc({ platform: String(t.payload.platform ?? "unknown") });
    },
    onFired: (kind, result) => metrics.timersFired.inc({ kind, result }),
    ...opts.scheduler,
  });
  const ctx: AppContext = {
    store: new DrizzleStore(opts.database.db, opts.clock),
    clock: opts.clock,
    chats: Object.fromEntries(opts.chats.map((c) => [c.platform, c])),
    // A wake inside a command's transaction must not run the scheduler in it (it has not committed yet).
    waker: { wake: () => outsideTransaction(() => scheduler.wake()) },
    policy: opts.policy,
    observer: metrics,
    renderChart: toPng,
    paging: { webhook: httpWebhookSender(), ...opts.paging },
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  };
  const jobCtx: AppContext = jobDb === opts.database.db ? ctx : { ...ctx, store: new DrizzleStore(jobDb, opts.clock) };
  for (const [kind, handler] of Object.entries(jobHandlers(jobCtx))) scheduler.on(kind, handler);
  const start = async () => {
    await ensureCalendarRuns(ctx);
    await ensureShiftNotices(ctx);
    scheduler.start();
  };
  return { ctx, scheduler, metrics, start, stop: async () => void (await scheduler.stop()) };
}
