/**
 * Wiring only: read the configuration, open and migrate the database, then serve (serve.ts): Slack,
 * Discord or both in one process, or with neither token the local console on embedded PGlite.
 *
 * Start-up order matters for its time: the database is opened first — PGlite boots on its worker
 * thread (~1 s on existing data) — and serve.ts with the bot's modules is loaded meanwhile on this
 * one, instead of before. The database driver is imported only when chosen: a PostgreSQL deployment
 * never loads PGlite.
 */
import { loadConfig, type Env } from "./config.js";
import { loadDotEnv } from "./config/dotenv.js";
import { openDatabase } from "./db/client.js";
import { applyMigrations } from "./db/migrate.js";
import { createLogger, type Logger } from "./log.js";
import { DataDirInUse } from "./db/data-dir-lock.js";

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
  const config = loadConfig((t) => process.stderr.write(t));
  if (!config) return 78; // EX_CONFIG
  const { env, policy } = config;
  log = createLogger(env.logLevel, undefined, { secrets: secretsOf(env) });
  const database = await openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
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
