/**
 * Several replicas starting together on one PostgreSQL database: each applies the migrations at
 * start-up, and the advisory lock makes that happen once — without it the second runner fails on
 * "relation already exists" or records the migrations twice.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/migrate.js";

const admin = process.env.TEST_DATABASE_URL;

describe.runIf(admin)("migrations on PostgreSQL", () => {
  it("four replicas starting at once apply them once", async () => {
    const name = `incident_ops_${randomBytes(5).toString("hex")}`;
    const a = postgres(admin!, { max: 1, onnotice: () => {} });
    await a.unsafe(`create database ${name}`);
    const url = new URL(admin!);
    url.pathname = `/${name}`;
    const replicas = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ url: url.toString(), maxConnections: 2 })));
    try {
      const results = await Promise.allSettled(replicas.map((r) => applyMigrations(r)));
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      const c = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const [row] = await c<{ n: number; distinct: number }[]>`select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`;
      await c.end();
      expect(row!.n).toBe(row!.distinct);
      expect(row!.n).toBeGreaterThan(0);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    }
  });
});
