/** Is the database answering? For `/healthz`. */
import { sql } from "drizzle-orm";
import type { Db } from "./client.js";

export async function databaseReachable(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
