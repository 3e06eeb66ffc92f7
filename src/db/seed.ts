/**
 * The seed of a new embedded database: a migrated PGlite data directory, dumped and gzipped, written
 * next to the compiled bot (dist/pglite-seed.tar.gz) by `npm run build` — so by `npm ci`/`npm install`
 * through `prepare` — and keyed by PGlite's version and the migrations, so an unchanged build skips it.
 *
 * A first `npm start` on an empty DATA_DIR then unpacks the seed instead of running PostgreSQL's
 * initdb inside WebAssembly and every migration. Measured on the 2-core machine (node + PGlite, to
 * ready): initdb 7.0 s and 756 MB RSS at its peak; from the seed 2.2 s and 316 MB. The seed costs the
 * build ~5 s once (an initdb and the migrations) and 4.7 MB on disk (41 MB unpacked). Migrations added
 * after the seed was built are applied at start-up as on any existing directory.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { MIGRATIONS_FOLDER } from "./migrate.js";
import { SEED_FILE } from "./pglite-open.js";
const KEY_FILE = `${SEED_FILE}.key`;

/** PGlite's version and every migration file's content: a seed built from other ones is rebuilt. */
export function seedKey(): string {
  const h = createHash("sha256");
  // The package's exports hide its package.json: found from its entry point (…/pglite/dist/index.cjs).
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  h.update(readFileSync(join(entry, "..", "..", "package.json")));
  for (const dir of [MIGRATIONS_FOLDER, join(MIGRATIONS_FOLDER, "meta")]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".sql") || n === "_journal.json").sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return h.digest("hex").slice(0, 16);
}

/** An empty database with every migration applied, as a data-directory tar (the seed, and the tests' dump). */
export async function migratedDump(): Promise<Uint8Array> {
  const [{ PGlite }, { wrapPglite }, { applyMigrations }] = await Promise.all([import("@electric-sql/pglite"), import("./pglite.js"), import("./migrate.js")]);
  const { pgliteStartParams } = await import("./pglite-worker.js");
  const client = new PGlite({ startParams: pgliteStartParams(PGlite.defaultStartParams) });
  try {
    await applyMigrations(wrapPglite(client, "seed"));
    return new Uint8Array(await (await client.dumpDataDir("none")).arrayBuffer());
  } finally {
    await client.close();
  }
}

/** Builds the seed unless one with the same key exists. */
export async function buildSeed(): Promise<"built" | "kept"> {
  const key = seedKey();
  if (existsSync(SEED_FILE) && existsSync(KEY_FILE) && readFileSync(KEY_FILE, "utf8") === key) return "kept";
  // Another PGlite or other migrations: the old seed goes first, so a build that fails leaves none and
  // a new DATA_DIR runs initdb rather than unpack a dump of another PGlite.
  rmSync(SEED_FILE, { force: true });
  rmSync(KEY_FILE, { force: true });
  writeFileSync(`${SEED_FILE}.tmp`, gzipSync(await migratedDump(), { level: 6 }));
  renameSync(`${SEED_FILE}.tmp`, SEED_FILE);
  writeFileSync(KEY_FILE, key);
  return "built";
}
