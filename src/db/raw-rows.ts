/** Rows of a raw `sql` query, whichever driver runs it (postgres.js returns an array, PGlite `{ rows }`). */
import type { SQL } from "drizzle-orm";
import type { Executor } from "./client.js";

export type Row = Record<string, unknown>;

export async function rawRows(tx: Executor, q: SQL): Promise<Row[]> {
  const r = (await tx.execute(q)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(r) ? r : r.rows;
}
