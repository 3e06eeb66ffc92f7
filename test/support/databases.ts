/**
 * The databases the behaviour suites run on: embedded PGlite always, PostgreSQL as well when
 * TEST_DATABASE_URL is set (as `.ci/run` does). Each `open()` gives a fresh, migrated database; on
 * PostgreSQL a throw-away database is created per call and dropped on close.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type Database } from "../../src/db/client.js";
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

const pglite: TestBackend = {
  name: "pglite",
  async open(opts = {}) {
    const dir = opts.reuse ?? opts.dir;
    const db = openDatabase({ pgliteDir: dir });
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
      const db = openDatabase({ url: url.toString(), maxConnections: 8 });
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
