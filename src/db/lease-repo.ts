/** Named leases (the `leases` table): one holder at a time, taken over once the holder stops renewing. */
import { and, eq, lt, or } from "drizzle-orm";
import type { Db } from "./client.js";
import { leases } from "./schema.js";

/** Takes or renews the lease for `ms`; true when `holder` holds it now. */
export async function acquireLease(db: Db, name: string, holder: string, now: Date, ms: number): Promise<boolean> {
  const until = new Date(now.getTime() + ms);
  const rows = await db
    .insert(leases)
    .values({ name, holder, until })
    .onConflictDoUpdate({ target: leases.name, set: { holder, until }, setWhere: or(eq(leases.holder, holder), lt(leases.until, now)) })
    .returning({ holder: leases.holder });
  return rows[0]?.holder === holder;
}

/** Gives the lease up at once (a clean shutdown), so another replica need not wait for it to run out. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}
