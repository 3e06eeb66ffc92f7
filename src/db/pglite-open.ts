/**
 * Opening the embedded database, with nothing heavy imported before its worker thread starts: PGlite
 * boots there (~1.2 s of its thread on existing data: WebAssembly compilation, PostgreSQL's start-up), so every
 * millisecond before `new PgliteThread` is start-up time, and everything loaded after it runs
 * alongside. drizzle and the schema are imported once the worker is on its way.
 *
 * A directory serves one process: another one holding it stops this one here, before anything is
 * written (data-dir-lock.ts). A new directory starts from the seed when the build made one (seed.ts).
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./client.js";
import { lockDataDir } from "./data-dir-lock.js";
import { pgliteStartParams, PgliteThread } from "./pglite-worker.js";

/** dist/pglite-seed.tar.gz when running compiled; absent under tsx (src/), where initdb runs instead. */
export const SEED_FILE = fileURLToPath(new URL("../pglite-seed.tar.gz", import.meta.url));

/** The seed to start a new directory from, when the build made one. */
function seedFor(dir: string): string | undefined {
  if (existsSync(join(dir, "PG_VERSION"))) return undefined; // an existing database
  return existsSync(SEED_FILE) ? SEED_FILE : undefined;
}

/**
 * PGlite in `dir` (created if missing), or in memory: on a worker thread (see pglite-worker.ts for
 * why and the figures), or on this one when asked (the bench's comparison).
 */
export async function openPglite(dir: string | undefined, opts: { onMainThread?: boolean | undefined } = {}): Promise<Database> {
  const where = dir ? `PGlite at ${dir}` : "PGlite in memory";
  const open = async (seedFile?: string) => {
    if (!opts.onMainThread) return new PgliteThread(dir, seedFile ? { seedFile } : {});
    const { PGlite } = await import("@electric-sql/pglite");
    return new PGlite(dir, { startParams: pgliteStartParams(PGlite.defaultStartParams) });
  };
  const wrap = async (client: Awaited<ReturnType<typeof open>>) => (await import("./pglite.js")).wrapPglite(client, where);
  if (!dir) return wrap(await open());
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  const release = lockDataDir(dir);
  try {
    mkdirSync(dir, { recursive: true });
    const database = await wrap(await open(seedFor(dir)));
    const close = database.close;
    return { ...database, close: () => close().finally(release) };
  } catch (e) {
    release();
    throw e;
  }
}
