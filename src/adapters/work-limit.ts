/**
 * At most `limit` pieces of work after an ack running at once; the rest wait in memory, first come
 * first started. Under a burst the acks stay first: a request waiting for its ack is not queued
 * behind the database work of the requests acked before it (that work's callbacks share the event
 * loop with the reading of new requests). Figures in WORK_LIMIT below.
 */
export class WorkLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`work limit must be at least 1, got ${limit}`);
  }

  /** Runs `fn` once a slot is free; its result or failure is the caller's. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((r) => this.waiting.push(r)); // the slot is handed over, `active` unchanged
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * 2, by measurement (2026-12-05, shared 2-core VM at load 1.4–8): the burst of bench/ack.ts (100 P1
 * declares at once), ack p99 as a ratio to a bare Bolt App that only acks, in the same run; median
 * of 6 runs per limit (bench/run.ts ×2, bench/ack-limits.ts ×4 interleaved), PGlite / PostgreSQL:
 *   unbounded 2.40× / 3.09×  ·  8: 1.41× / 2.20×  ·  4: 1.98× / 1.44×  ·  2: 1.47× / 1.15×
 *   (16, 2 runs: 2.26–4.50× / 2.46–3.47×). At 2 the range was 0.79–2.10× / 0.71–2.00×.
 * The last war room was ready after the same 6–21 s at every limit (the scheduler opens war rooms, not
 * this queue), and one-at-a-time acks do not change. The cost: a slow command (a report over many
 * incidents) holds one of two slots, and answers behind it wait; acks never do. On PGlite (one
 * connection, transactions in turn) more than one slot only overlaps the JavaScript around them.
 */
export const WORK_LIMIT = 2;

/**
 * The limit an adapter uses: the process's own when given (a process serving Slack and Discord shares
 * one, so it runs WORK_LIMIT pieces at once in all, as measured), else one of its own of that size.
 */
export const workLimitOf = (given: WorkLimit | number | undefined): WorkLimit => (given instanceof WorkLimit ? given : new WorkLimit(given ?? WORK_LIMIT));
