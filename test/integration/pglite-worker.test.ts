/**
 * Embedded PGlite on its worker thread, as `npm start` opens it without DATABASE_URL: the migrations
 * and the stores run through it unchanged, transactions commit or roll back as a whole, a constraint
 * error keeps its SQLSTATE, the data survives a reopen, and the main thread keeps running while a
 * query works.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database, type Db } from "../../src/db/client.js";
import { wrapPglite } from "../../src/db/pglite.js";
import { PgliteThread } from "../../src/db/pglite-worker.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { ManualClock } from "../../src/clock.js";
import { DrizzleStore } from "../../src/db/store.js";

describe("PGlite on a worker thread", () => {
  const open: Database[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  // Started from the run's migrated dump (initdb plus the migrations cost 5–15 s a database on a busy
  // machine); the migrator still runs and finds them applied. `npm start` itself goes through
  // openDatabase, which the reopen below and test/e2e use.
  const dump = new Uint8Array(readFileSync(inject("pgliteDump")));
  const fresh = async (dir?: string) => {
    const d = wrapPglite(new PgliteThread(dir, { loadDataDir: dump }), "PGlite on a worker thread");
    open.push(d);
    await applyMigrations(d);
    return d;
  };
  // One worker for the tests below that only add their own tables (a worker starts in 2–5 s: it
  // compiles PGlite's WASM for itself).
  let shared: Promise<Database> | null = null;
  const one = () => (shared ??= fresh().then((d) => (open.splice(open.indexOf(d), 1), d)));
  afterAll(async () => (await shared)?.close());
  const rows = async <T>(db: Db, q: SQL) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

  it("migrates, commits a transaction as a whole and rolls a failed one back", async () => {
    const { db } = await one();
    await db.transaction(async (tx) => {
      await tx.execute(sql`create table t (n int primary key)`);
      await tx.execute(sql`insert into t values (1), (2)`);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into t values (3)`);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await rows(db, sql`select n from t order by n`)).toEqual([{ n: 1 }, { n: 2 }]);
    const [migrated] = await rows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(migrated!.n).toBeGreaterThan(0);
  });

  it("keeps the SQLSTATE of a constraint error, and a savepoint inside a transaction", async () => {
    const { db } = await one();
    await db.execute(sql`create table u (n int primary key)`);
    await db.execute(sql`insert into u values (1)`);
    const error = await db.execute(sql`insert into u values (1)`).then(() => null, (e: { cause?: { code?: string } }) => e);
    expect(error?.cause?.code).toBe("23505");
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into u values (2)`);
      await tx.transaction(async (inner) => inner.execute(sql`insert into u values (3)`)).catch(() => {});
      await expect(tx.transaction(async (inner) => inner.execute(sql`insert into u values (2)`))).rejects.toThrow();
    });
    expect(await rows(db, sql`select n from u order by n`)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("runs the store: an incident stored in a transaction is read back with its dates and pauses", async () => {
    const database = await one();
    const at = new Date("2026-11-23T10:00:00Z");
    const pauses = [{ from: new Date("2026-11-23T10:05:00Z"), to: new Date("2026-11-23T10:20:00Z") }];
    const store = new DrizzleStore(database.db, new ManualClock("2026-11-23T10:00:00Z"));
    await store.transaction((uow) =>
      uow.incidents.insert({
        reference: "INC-2026-0001", year: 2026, seq: 1, title: "Payment API down", parentId: null, description: null, nature: "network", service: "payments",
        customer: null, detectedBy: "monitoring", impact: "I1", urgency: "U2", priority: "P1", status: "declared", platform: "console", originChannel: "general",
        declaredBy: "alice", declaredAt: at, respondBy: new Date("2026-11-23T10:15:00Z"), resolveBy: new Date("2026-11-23T14:00:00Z"), pauses,
      }),
    );
    const found = await store.transaction((uow) => uow.incidents.byReference("INC-2026-0001"));
    expect(found).toMatchObject({ title: "Payment API down", declaredAt: at, pauses });
  });

  it("keeps its data on files across a reopen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pglite-worker-"));
    dirs.push(dir);
    const first = await fresh(dir);
    await first.db.execute(sql`create table kept (s text)`);
    await first.db.execute(sql`insert into kept values ('still here')`);
    await first.close();
    const again = await openDatabase({ pgliteDir: dir }); // as `npm start` reopens its data directory
    open.push(again);
    await applyMigrations(again);
    expect(await rows(again.db, sql`select s from kept`)).toEqual([{ s: "still here" }]);
  });

  it("leaves the main thread free while a query works", async () => {
    const { db } = await one();
    let turns = 0;
    let querying = true;
    const spin = () => {
      turns++;
      if (querying) setImmediate(spin);
    };
    setImmediate(spin);
    await db.execute(sql`select count(*) from generate_series(1, 500000)`);
    querying = false;
    // On the main thread PGlite runs the statement synchronously: the loop gets no turn meanwhile.
    expect(turns).toBeGreaterThan(20);
  });
});
