/**
 * The databases the behaviour suites run on: embedded PGlite always, PostgreSQL as well when
 * TEST_DATABASE_URL is set (as `.ci/run` does). Each `open()` gives a fresh, migrated database; on
 * PostgreSQL a throw-away database is created per call and dropped on close.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "../../src/db/client.js";
import { wrapPglite } from "../../src/db/pglite.js";
import { applyMigrations } from "../../src/db/migrate.js";

export interface TestBackend {
  name: "pglite" | "postgres";
  /** A fresh migrated database. `dir` (PGlite) reopens the same files, for restart tests. */
  open(opts?: { dir?: string; reuse?: string }): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** Reopen the same data (another process after a restart). */
  reopenSpec: string;
  /** Close and delete. */
  destroy(): Promise<void>;
}

/**
 * A migrated in-memory PGlite, dumped once per test worker: loading the dump takes ~0.6 s where
 * initdb plus migrations take ~2.5 s (measured here), and most tests want a fresh database.
 */
let template: Promise<File | Blob> | null = null;
function migratedTemplate(): Promise<File | Blob> {
  template ??= (async () => {
    const client = new PGlite();
    const db = wrapPglite(client, "template");
    await applyMigrations(db);
    const dump = await client.dumpDataDir("none");
    await client.close();
    return dump;
  })();
  return template;
}

const pglite: TestBackend = {
  name: "pglite",
  async open(opts = {}) {
    const dir = opts.reuse ?? opts.dir;
    if (!dir) {
      const db = wrapPglite(new PGlite({ loadDataDir: await migratedTemplate() }), "PGlite in memory");
      return { ...db, reopenSpec: "", destroy: () => db.close() };
    }
    const db = await openDatabase({ pgliteDir: dir });
    await applyMigrations(db);
    return { ...db, reopenSpec: dir ?? "", destroy: () => db.close() };
  },
};

function postgresBackend(adminUrl: string): TestBackend {
  return {
    name: "postgres",
    async open(opts = {}) {
      let name = opts.reuse;
      if (!name) {
        name = `incident_test_${randomBytes(6).toString("hex")}`;
        const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database ${name}`);
        await admin.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const db = await openDatabase({ url: url.toString(), maxConnections: 8 });
      await applyMigrations(db);
      const dbName = name;
      return {
        ...db,
        reopenSpec: dbName,
        async destroy() {
          await db.close();
          const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
          await admin.unsafe(`drop database if exists ${dbName} with (force)`);
          await admin.end();
        },
      };
    },
  };
}

export const backends: TestBackend[] = [pglite];
if (process.env.TEST_DATABASE_URL) backends.push(postgresBackend(process.env.TEST_DATABASE_URL));
