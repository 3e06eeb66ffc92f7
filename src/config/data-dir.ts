/**
 * Where the embedded database lives, read from the environment as loadEnv (env.ts) reads every
 * variable: trimmed, unset when empty. Its own module, with nothing heavy imported (env.ts loads zod),
 * because main.ts opens that database before the rest of the configuration is loaded and checked.
 */
import { join } from "node:path";

export const DEFAULT_DATA_DIR = "./data";

/** A variable as loadEnv reads it: trimmed, and unset when empty. */
export const given = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name]?.trim() || undefined;

export const pgliteDirOf = (dataDir: string): string => join(dataDir, "pglite");

/** The embedded database's directory when the environment chooses PGlite (no DATABASE_URL). */
export function embeddedPgliteDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return given(env, "DATABASE_URL") ? undefined : pgliteDirOf(given(env, "DATA_DIR") ?? DEFAULT_DATA_DIR);
}
