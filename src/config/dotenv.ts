/**
 * `.env` in the working directory (or the file `ENV_FILE` names) is read at start-up with Node's own
 * loader (`process.loadEnvFile`, no dependency). A variable already set in the environment wins
 * over the file, so a deployment's settings are never overridden by a stray file.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export function loadDotEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const file = resolve(env.ENV_FILE ?? ".env");
  if (!existsSync(file)) return null;
  process.loadEnvFile(file);
  return file;
}
