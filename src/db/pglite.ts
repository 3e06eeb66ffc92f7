/**
 * The embedded PGlite side of the database factory, in its own module so that a PostgreSQL
 * deployment never loads PGlite (its WebAssembly build costs ~20 MB of RSS): client.ts imports this
 * file only when no DATABASE_URL is set. Tests wrap their own PGlite instances here.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { lockDataDir } from "./data-dir-lock.js";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, Db } from "./client.js";
import { PGLITE_SHARED_BUFFERS, PgliteThread } from "./pglite-worker.js";
import * as schema from "./schema.js";
import { seedFor } from "./seed.js";

export function wrapPglite(client: PGlite | PgliteThread, where: string): Database {
  const db = drizzle(client as PGlite, { schema }) as unknown as Db;
  return { db, kind: "pglite", where, close: () => client.close() };
}

/**
 * PGlite in `dir` (created if missing), or in memory: on a worker thread (see pglite-worker.ts for
 * why and the figures), or on this one when asked. A directory serves one process: another one
 * holding it stops this one here, before anything is written (data-dir-lock.ts).
 */
export async function openPglite(dir: string | undefined, opts: { onMainThread?: boolean | undefined } = {}): Promise<Database> {
  const where = dir ? `PGlite at ${dir}` : "PGlite in memory";
  const open = async (seedFile?: string) => {
    if (!opts.onMainThread) return new PgliteThread(dir, seedFile ? { seedFile } : {});
    // Loaded only here: on the worker path the main thread never loads PGlite's module.
    const { PGlite } = await import("@electric-sql/pglite");
    return new PGlite(dir, { startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
  };
  if (!dir) return wrapPglite(await open(), where);
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  const release = lockDataDir(dir);
  try {
    mkdirSync(dir, { recursive: true });
    const database = wrapPglite(await open(seedFor(dir)), where);
    const close = database.close;
    return { ...database, close: () => close().finally(release) };
  } catch (e) {
    release();
    throw e;
  }
}
