/**
 * The database client factory: postgres.js when a URL is given, embedded PGlite otherwise. Both give
 * the same drizzle `Db`; stores and the scheduler only ever see `Db` / `Executor`. Each driver is
 * imported only when chosen (`import()`), so a PostgreSQL deployment never loads PGlite's WebAssembly.
 */
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type * as schema from "./schema.js";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What a repository runs on: the database, or the transaction its caller opened. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** Where it lives, for the start-up log (no password). */
  where: string;
  /** The postgres:// URL (postgres only), for tools that need their own connection. */
  url?: string;
  /**
   * The scheduler's own pool (postgres only; absent: it shares `db`). Under a burst every connection of
   * the requests' pool can be held by a declare waiting for the year's reference counter (declares
   * take it in turn), and a pool hands connections out in order: the war rooms of the first incidents
   * waited for the last declare (measured, 100 P1s at once, one pool: the first war room opened 0.1 s
   * after the last of the declares, which took 5.5 s in turn). With a pool of its own the scheduler is
   * never queued behind requests; the time to the LAST war room did not change measurably on the
   * shared 2-core machine (15.9–19.6 s either way at load 9–13): the declares, one after another on the
   * counter, bound it. Costs up to max/2 more connections, opened only when used.
   */
  background?: Db;
  /**
   * One connection for the scheduler's lease heartbeat (postgres only; absent: it shares the
   * scheduler's pool). With the pool's connections all held by handlers' transactions, a renewal
   * queued behind them could come after its lease ran out, and another replica would run the timer
   * again.
   */
  leases?: Db;
  /** PostgreSQL LISTEN on its own connection (postgres only); resolves to an unsubscribe. */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; absent → PGlite. */
  url?: string | undefined;
  /** PGlite directory; absent → in memory (tests). */
  pgliteDir?: string | undefined;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** Run PGlite on this thread (it blocks the event loop for every query); default: a worker thread. */
  pgliteOnMainThread?: boolean;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const [{ default: postgres }, { drizzle }, schema] = await Promise.all([import("postgres"), import("drizzle-orm/postgres-js"), import("./schema.js")]);
    const max = opts.maxConnections ?? 10;
    const client = postgres(opts.url, { max, onnotice: () => {} });
    // Connections open on first use: a process whose scheduler is idle holds none here.
    const jobs = postgres(opts.url, { max: Math.max(2, Math.ceil(max / 2)), onnotice: () => {} });
    const beat = postgres(opts.url, { max: 1, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;
    const u = new URL(opts.url);
    return {
      db,
      background: drizzle(jobs, { schema }) as unknown as Db,
      leases: drizzle(beat, { schema }) as unknown as Db,
      kind: "postgres",
      where: `${u.hostname}:${u.port || 5432}${u.pathname}`,
      url: opts.url,
      async listen(channel, onNotify) {
        const sub = await client.listen(channel, () => onNotify());
        return () => sub.unlisten();
      },
      // Queries still running get 2 s to finish before their connections are cut (shutdown budget: 5 s).
      close: () => Promise.all([client.end({ timeout: 2 }), jobs.end({ timeout: 2 }), beat.end({ timeout: 2 })]).then(() => undefined),
    };
  }
  const { openPglite } = await import("./pglite-open.js");
  return openPglite(opts.pgliteDir, { onMainThread: opts.pgliteOnMainThread });
}

