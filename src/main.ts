/**
 * Wiring only: read the configuration, open and migrate the database, then serve (serve.ts): Slack,
 * Discord or both in one process, or with neither token the local console on embedded PGlite.
 *
 * Start-up order is start-up time. Without DATABASE_URL the embedded database is opened first of all,
 * before the configuration is read: PGlite boots on its worker thread (~1.2 s of its CPU on existing
 * data) while this thread loads and checks the configuration and loads the bot's modules (serve.ts,
 * the adapters). Measured on the idle 2-core machine, console to its first answer (bench/startup.ts,
 * medians of 3): 1.66 s with everything loaded before the database was opened, 1.58 s opening it
 * after the configuration, 1.31–1.48 s in this order. The cost: a bad configuration still creates
 * (a new DATA_DIR: from the seed) and locks the directory, and waits for that boot to close it
 * before it exits 78. A PostgreSQL deployment never loads PGlite.
 */
import { loadDotEnv } from "./config/dotenv.js";
import type { Env } from "./config.js";
import { embeddedPgliteDir } from "./config/data-dir.js";
import { openDatabase, type Database } from "./db/client.js";
import { DataDirInUse } from "./db/data-dir-lock.js";
import type { Logger } from "./log.js";

/** Every configured secret, so the logger scrubs it wherever it would appear. */
function secretsOf(env: Env): (string | undefined)[] {
  const password = (url: string | undefined) => {
    try {
      return url ? decodeURIComponent(new URL(url).password) || undefined : undefined;
    } catch {
      return undefined;
    }
  };
  return [env.slack?.botToken, env.slack?.signingSecret, env.slack?.appToken, env.discord?.token, password(env.databaseUrl), password(env.smtp?.url), env.statusPageToken, env.alertsToken, env.oncallCalendarToken, env.discord?.publicKey];
}

/** Set once the configuration is read, so a fatal error is logged with secrets scrubbed. */
let log: Logger | null = null;

async function main(): Promise<number> {
  loadDotEnv();
  // The embedded database starts booting now (the configuration decides below whether it is the one).
  const earlyDir = embeddedPgliteDir();
  const early = earlyDir ? openDatabase({ pgliteDir: earlyDir }) : null;
  early?.catch(() => {}); // its failure (the directory in use) is thrown where it is awaited below
  const [{ loadConfig }, { createLogger }, { applyMigrations }] = await Promise.all([import("./config.js"), import("./log.js"), import("./db/migrate.js")]);
  const config = loadConfig((t) => process.stderr.write(t));
  if (!config || config.env.databaseUrl || config.env.pgliteDir !== earlyDir) await early?.then((d) => d.close(), () => {});
  if (!config) return 78; // EX_CONFIG
  const { env, policy } = config;
  log = createLogger(env.logLevel, undefined, { secrets: secretsOf(env) });
  const reuse = early && !env.databaseUrl && env.pgliteDir === earlyDir;
  const database: Database = reuse ? await early : await openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
  try {
    // The chat adapters the environment names load alongside (serve.ts imports them again from the cache).
    const [{ serve }] = await Promise.all([
      import("./serve.js"),
      applyMigrations(database),
      env.slack ? import("./adapters/slack/server.js") : null,
      env.discord ? import("./adapters/discord/server.js") : null,
    ]);
    log.info("database ready", { where: database.where });
    return await serve(env, policy, database, log);
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof DataDirInUse) {
      process.stderr.write(`${e.message}\n`);
      process.exit(75); // EX_TEMPFAIL: try again once the other process is gone
    }
    const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
    if (log) log.error("fatal", { error: text });
    else process.stderr.write(`Fatal: ${text}\n`);
    process.exit(1);
  },
);
