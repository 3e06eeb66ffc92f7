/**
 * The database client factory: postgres.js when a URL is given, embedded PGlite otherwise. Both give
 * the same drizzle `Db`; stores and the scheduler only ever see `Db` / `Executor`.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { lockDataDir } from "./data-dir-lock.js";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.js";

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
}

export function openDatabase(opts: DatabaseOptions): Database {
  if (opts.url) {
    const client = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    const u = new URL(opts.url);
    return {
      db,
      kind: "postgres",
      where: `${u.hostname}:${u.port || 5432}${u.pathname}`,
      url: opts.url,
      async listen(channel, onNotify) {
        const sub = await client.listen(channel, () => onNotify());
        return () => sub.unlisten();
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (!opts.pgliteDir) return wrapPglite(new PGlite(), "PGlite in memory");
  // Single-process: stop before writing anything when another process holds the directory.
  mkdirSync(dirname(resolve(opts.pgliteDir)), { recursive: true });
  const release = lockDataDir(opts.pgliteDir);
  try {
    mkdirSync(opts.pgliteDir, { recursive: true });
    const database = wrapPglite(new PGlite(opts.pgliteDir), `PGlite at ${opts.pgliteDir}`);
    const close = database.close;
    return { ...database, close: () => close().finally(release) };
  } catch (e) {
    release();
    throw e;
  }
}

export function wrapPglite(client: PGlite, where: string): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", where, close: () => client.close() };
}

/** The PGlite directory under DATA_DIR. */
export const pgliteDirIn = (dataDir: string): string => join(dataDir, "pglite");
