/**
 * The databases the behaviour suites run on: embedded PGlite always, PostgreSQL as well when
 * TEST_DATABASE_URL is set (as `.ci/run` does). Each `open()` gives an empty, migrated database.
 *
 * Databases are reused, not rebuilt: `destroy()` hands the database back to this worker's pool and the
 * next `open()` empties it (RESET below: 2.5–5 ms). The migrated copy comes from test/global-setup.ts,
 * built once per run. Figures on 2 busy cores: a fresh PGlite from the dump 0.6–1.5 s, a PostgreSQL
 * clone of the template 60–150 ms (migrations per database were ~0.5 s). A PostgreSQL clone keeps its
 * connection pools between tests (at most 8 + 4 + 1 connections a clone, a clone or two a worker).
 *
 * A handle given back is dead: every call on its `db` throws "released" (`guarded`), so a scheduler a
 * test forgot cannot start work on the next test's rows, and a test can still see the database "gone"
 * after `destroy()`. Work already running when it is given back is not cut off: a test stops its bot
 * (scheduler and adapters settle) before `destroy()`, as every afterEach here does.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.js";
import { wrapPglite } from "../../src/db/pglite.js";
import { pgliteStartParams } from "../../src/db/pglite-worker.js";
import { applyMigrations } from "../../src/db/migrate.js";

export interface TestBackend {
  name: "pglite" | "postgres";
  /** An empty migrated database. `dir` (PGlite) reopens the same files, for restart tests. */
  open(opts?: { dir?: string; reuse?: string }): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** Reopen the same data (another process after a restart). */
  reopenSpec: string;
  /** Give the database up (it is emptied and reused by a later `open()`). */
  destroy(): Promise<void>;
}

/**
 * Every table of the migrated schema (public) emptied, and every sequence restarted. DELETE with
 * foreign-key triggers off (session_replication_role, for this transaction only) rather than
 * TRUNCATE: a test leaves a few rows in a few tables, and TRUNCATE makes new files for every table and
 * index. Measured on PostgreSQL 15, idle, 25 tables and 46 indexes: TRUNCATE … RESTART IDENTITY of all
 * 50–70 ms, this 2.5–5 ms (~450 PostgreSQL tests per run: ~25 s of a worker's time).
 */
const RESET = `do $$ declare r record; begin
  perform set_config('session_replication_role', 'replica', true);
  for r in select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'public' loop
    execute 'delete from ' || r.name;
  end loop;
  for r in select format('%I.%I', schemaname, sequencename) as name from pg_sequences where schemaname = 'public' and last_value is not null loop
    perform setval(r.name, 1, false);
  end loop;
end $$`;

/**
 * A database client as a test sees it until it gives it back: then every method call throws, so a
 * scheduler a test forgot cannot reach the next test's rows through the pooled instance or connections.
 */
function guarded<T extends object>(target: T, live: () => boolean, what: "PGlite" | "PostgreSQL"): T {
  return new Proxy(target, {
    get(t, key) {
      const v = Reflect.get(t, key, t);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (!live()) throw new Error(`${what} test database released (destroy() was called)`);
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

// ---- PGlite --------------------------------------------------------------------------------------

let dump: Blob | null = null;
const idlePglite: PGlite[] = [];

async function takePglite(): Promise<PGlite> {
  const reused = idlePglite.pop();
  if (reused) {
    await reused.exec(RESET);
    return reused;
  }
  return new PGlite({ loadDataDir: dumpBlob(), startParams: START_PARAMS });
}

/** The bot's shared_buffers (16 MB, not 128 MB): each instance starts faster and holds ~140 MB less. */
const START_PARAMS = pgliteStartParams(PGlite.defaultStartParams);

function dumpBlob(): Blob {
  dump ??= new Blob([readFileSync(inject("pgliteDump"))]);
  return dump;
}

const pglite: TestBackend = {
  name: "pglite",
  async open(opts = {}) {
    if (opts.reuse) {
      // Another process on the same files: it migrates at start-up as `npm start` does.
      const db = await openDatabase({ pgliteDir: opts.reuse });
      await applyMigrations(db);
      return { ...db, reopenSpec: opts.reuse, destroy: () => db.close() };
    }
    if (opts.dir) {
      // On files, from the migrated dump: 5–8 s less than initdb plus the migrations on a busy machine.
      mkdirSync(opts.dir, { recursive: true });
      const db = wrapPglite(new PGlite(opts.dir, { loadDataDir: dumpBlob(), startParams: START_PARAMS }), `PGlite at ${opts.dir}`);
      return { ...db, reopenSpec: opts.dir, destroy: () => db.close() };
    }
    const client = await takePglite();
    let state: "open" | "closed" | "released" = "open";
    const db = wrapPglite(guarded(client, () => state === "open", "PGlite"), "PGlite in memory");
    return {
      ...db,
      reopenSpec: "",
      async close() {
        if (state !== "open") return;
        state = "closed";
        await client.close();
      },
      async destroy() {
        if (state !== "open") return;
        state = "released";
        idlePglite.push(client);
      },
    };
  },
};

// ---- PostgreSQL ----------------------------------------------------------------------------------

/**
 * PostgreSQL: a clone of the migrated template per worker as needed, kept open between tests with its
 * connection pools (opening and closing postgres.js pools and their connections cost ~40–90 ms a test).
 */
function postgresBackend(adminUrl: string): TestBackend {
  const idle: { name: string; open: Database | null }[] = [];
  const urlOf = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  async function take(): Promise<{ name: string; open: Database }> {
    const pooled = idle.pop();
    if (pooled) {
      const open = pooled.open ?? (await openDatabase({ url: urlOf(pooled.name), maxConnections: 8 }));
      await open.db.execute(sql.raw(RESET));
      return { name: pooled.name, open };
    }
    const fresh = `${inject("pgPrefix")}${randomBytes(6).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${fresh} template ${inject("pgTemplate")}`);
    } finally {
      await admin.end();
    }
    return { name: fresh, open: await openDatabase({ url: urlOf(fresh), maxConnections: 8 }) };
  }
  return {
    name: "postgres",
    async open(opts = {}) {
      if (opts.reuse) {
        // Another process on the same data: it migrates at start-up as `npm start` does.
        const db = await openDatabase({ url: urlOf(opts.reuse), maxConnections: 8 });
        await applyMigrations(db);
        return { ...db, reopenSpec: opts.reuse, destroy: () => db.close() };
      }
      const { name, open } = await take();
      let state: "open" | "closed" | "released" = "open";
      const live = () => state === "open";
      const listening: (() => Promise<void>)[] = [];
      const unlistenAll = () => Promise.all(listening.splice(0).map((off) => off().catch(() => {})));
      return {
        ...open,
        db: guarded(open.db, live, "PostgreSQL"),
        ...(open.background ? { background: guarded(open.background, live, "PostgreSQL") } : {}),
        ...(open.leases ? { leases: guarded(open.leases, live, "PostgreSQL") } : {}),
        async listen(channel: string, onNotify: () => void) {
          const off = await open.listen!(channel, () => live() && onNotify());
          listening.push(off);
          return off;
        },
        reopenSpec: name,
        // The process goes away: its connections close, and the database is reused without them.
        async close() {
          if (state !== "open") return;
          state = "closed";
          await unlistenAll();
          await open.close().catch(() => {});
          idle.push({ name, open: null });
        },
        async destroy() {
          if (state !== "open") return;
          state = "released";
          await unlistenAll();
          idle.push({ name, open }); // dropped by the global teardown
        },
      };
    },
  };
}

export const backends: TestBackend[] = [pglite];
if (process.env.TEST_DATABASE_URL) backends.push(postgresBackend(process.env.TEST_DATABASE_URL));
