/**
 * A DATA_DIR for a spawned bot whose embedded database is already initialised and migrated: a copy of
 * the directory test/global-setup.ts builds once per run (initdb and migrations cost 2.5 s of CPU per
 * process otherwise). What a first start does on an empty directory is test/e2e/npm-start.test.ts.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { pgliteDirOf } from "../../src/config/data-dir.js";

/** A new temporary DATA_DIR (its path), its PGlite database migrated and empty. */
export function seededDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  seedDataDir(dir);
  return dir;
}

/** Puts the migrated, empty database into `dataDir` (which must not hold one yet). */
export function seedDataDir(dataDir: string): void {
  cpSync(inject("pgliteDataDir"), pgliteDirOf(dataDir), { recursive: true });
}
