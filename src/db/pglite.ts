/**
 * drizzle on an embedded PGlite (on its worker thread, or an instance of this thread's: the tests'),
 * in its own module so that a PostgreSQL deployment never loads it. Opening one: pglite-open.ts.
 */
import { PGlite, protocol, types } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, Db } from "./client.js";
import type { PgliteThread } from "./pglite-worker.js";
import { pgliteSession } from "./pglite-session.mjs";
import * as schema from "./schema.js";

/** An instance of this thread's goes through pglite-session.mjs (one WASM pass a query), as the worker's does. */
export function wrapPglite(client: PGlite | PgliteThread, where: string): Database {
  const driver = client instanceof PGlite ? pgliteSession(client, { protocol, types }) : client;
  const db = drizzle(driver as unknown as PGlite, { schema }) as unknown as Db;
  return { db, kind: "pglite", where, close: () => client.close() };
}
