/**
 * drizzle on an embedded PGlite (on its worker thread, or an instance of this thread's: the tests'),
 * in its own module so that a PostgreSQL deployment never loads it. Opening one: pglite-open.ts.
 */
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, Db } from "./client.js";
import type { PgliteThread } from "./pglite-worker.js";
import * as schema from "./schema.js";

export function wrapPglite(client: PGlite | PgliteThread, where: string): Database {
  const db = drizzle(client as PGlite, { schema }) as unknown as Db;
  return { db, kind: "pglite", where, close: () => client.close() };
}
