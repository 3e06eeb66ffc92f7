/**
 * The stores a benchmark runs on: embedded PGlite on files (on its worker thread, and on the main
 * thread for comparison) and PostgreSQL when BENCH_DATABASE_URL / TEST_DATABASE_URL is set or
 * 127.0.0.1:5432 answers (a throw-away database per use, dropped after).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase, type Database } from "../src/db/client.js";
import { applyMigrations } from "../src/db/migrate.js";

export interface BenchStore {
  name: string;
  open(): Promise<{ database: Database; dispose(): Promise<void> }>;
}

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port, timeout: 500 }, () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
    s.on("timeout", () => (s.destroy(), resolve(false)));
  });

function pglite(name: string, onMainThread: boolean): BenchStore {
  return {
    name,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "bench-pglite-"));
      const database = await openDatabase({ pgliteDir: dir, pgliteOnMainThread: onMainThread });
      await applyMigrations(database);
      return {
        database,
        async dispose() {
          await database.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export function postgresUrl(name: string, adminUrl: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A throw-away PostgreSQL database: its URL and how to drop it. */
export async function scratchPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return {
    url: postgresUrl(name, adminUrl),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function postgresAdminUrl(): Promise<string | null> {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return given;
  return (await reachable("127.0.0.1", 5432)) ? "postgres://postgres@127.0.0.1:5432/postgres" : null;
}

/** BENCH_STORE=pglite|postgres keeps one store (to profile it alone); default: every store. */
export async function benchStores(): Promise<BenchStore[]> {
  const all = await everyStore();
  const only = process.env.BENCH_STORE?.toLowerCase();
  return only ? all.filter((s) => s.name.toLowerCase().startsWith(only)) : all;
}

async function everyStore(): Promise<BenchStore[]> {
  const stores = [pglite("PGlite (worker thread)", false)];
  // For comparison (what the worker thread buys); off by default to keep the bench under 3 minutes.
  if (process.env.BENCH_MAIN_THREAD === "1") stores.push(pglite("PGlite (main thread)", true));
  const adminUrl = await postgresAdminUrl();
  if (adminUrl) {
    stores.push({
      name: "PostgreSQL",
      async open() {
        const scratch = await scratchPostgres(adminUrl);
        const database = await openDatabase({ url: scratch.url, maxConnections: 10 });
        await applyMigrations(database);
        return {
          database,
          async dispose() {
            await database.close();
            await scratch.drop();
          },
        };
      },
    });
  }
  return stores;
}

/** The p-th percentile (nearest rank). */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
