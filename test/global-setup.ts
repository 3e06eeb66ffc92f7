/**
 * Once per `vitest run`, before any worker starts: the migrated databases every test copies.
 *
 * - PGlite: a data-directory dump of an in-memory PGlite after the migrations, written to a file that
 *   each worker loads (`new PGlite({ loadDataDir })`). The file is kept under node_modules/.cache and
 *   keyed by the migrations' and PGlite's content, so a run after an unchanged one skips the build
 *   (initdb + migrations: 2.5 s alone, 4–12 s per file when each test file built it on a busy machine).
 * - PostgreSQL (TEST_DATABASE_URL): one migrated template database per run; workers clone it with
 *   `CREATE DATABASE … TEMPLATE` (tens of ms) instead of running the migrations per test (~0.5 s), and
 *   the teardown drops the template and every clone of this run.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../src/db/client.js";
import { applyMigrations } from "../src/db/migrate.js";
import { migratedDump, seedKey } from "../src/db/seed.js";
import { gunzipSync } from "node:zlib";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the migrated PGlite dump (tar). */
    pgliteDump: string;
    /** A migrated PGlite data directory on disk, copied into DATA_DIRs (test/support/data-dir.ts). */
    pgliteDataDir: string;
    /** PostgreSQL: the migrated template database, and the prefix of this run's clones. */
    pgTemplate: string;
    pgPrefix: string;
  }
}

const root = new URL("..", import.meta.url).pathname;

async function pgliteDump(): Promise<string> {
  const dir = join(root, "node_modules/.cache/incident-bot-test");
  const key = seedKey(); // the migrations and PGlite, as the build's seed is keyed
  const file = join(dir, `pglite-${key}.tar`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  // `npm run build` (so `npm ci`) made the same migrated dump for the bot's first start: reuse it.
  const seed = join(root, "dist", "pglite-seed.tar.gz");
  if (existsSync(seed) && existsSync(`${seed}.key`) && readFileSync(`${seed}.key`, "utf8") === key) {
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, gunzipSync(readFileSync(seed)));
    renameSync(tmp, file);
    return file;
  }
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, await migratedDump());
  renameSync(tmp, file); // atomic: a concurrent run never reads half a file
  return file;
}

/**
 * The dump unpacked into a data directory on files, as the bot leaves it after its first start: the
 * processes the end-to-end tests spawn start from a copy (a few ms) instead of PGlite's initdb plus
 * the migrations (2.5 s of CPU and ~740 MB of RSS each; 25–40 s on the shared machine at load 15).
 * test/e2e/npm-start.test.ts still starts on an empty DATA_DIR, as the README's first command does.
 */
async function pgliteDataDir(dump: string): Promise<string> {
  const dir = dump.replace(/\.tar$/, "-datadir");
  if (existsSync(join(dir, "PG_VERSION"))) return dir;
  const tmp = `${dir}.${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const client = new PGlite(tmp, { loadDataDir: new Blob([readFileSync(dump)]) });
  await client.waitReady;
  await client.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

async function pgTemplate(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), maxConnections: 1 });
  try {
    await applyMigrations(db);
  } finally {
    await db.close(); // CREATE DATABASE … TEMPLATE refuses a template with open connections
  }
}

async function dropRun(adminUrl: string, prefix: string, template: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 4, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + "%"} or datname = ${template}`;
    await Promise.all(rows.map(({ datname }) => admin.unsafe(`drop database if exists ${datname} with (force)`)));
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const run = randomBytes(4).toString("hex");
  const template = `incident_tmpl_${run}`;
  const prefix = `incident_test_${run}_`;
  const [dump] = await Promise.all([pgliteDump(), adminUrl ? pgTemplate(adminUrl, template) : undefined]);
  project.provide("pgliteDump", dump);
  project.provide("pgliteDataDir", await pgliteDataDir(dump));
  project.provide("pgTemplate", template);
  project.provide("pgPrefix", prefix);
  return async () => {
    if (adminUrl) await dropRun(adminUrl, prefix, template);
  };
}
