/**
 * Wiring only: read the configuration, open and migrate the database, start the scheduler and the
 * chat adapters. With no Slack or Discord token it runs the local console on embedded PGlite.
 */
import { OffsetClock } from "./clock.js";
import { ConfigError, loadEnv, loadPolicy } from "./config.js";
import { openDatabase } from "./db/client.js";
import { applyMigrations } from "./db/migrate.js";
import { createBot } from "./bot.js";
import { createLogger } from "./log.js";
import { runConsole } from "./adapters/console/run.js";

async function main(): Promise<number> {
  let env, policy;
  try {
    env = loadEnv();
    policy = loadPolicy(env.policyFile);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${e.message}\n`);
      return 78; // EX_CONFIG
    }
    throw e;
  }
  const log = createLogger(env.logLevel);
  const database = openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
  await applyMigrations(database);
  log.info("database ready", { where: database.where });

  if (env.slack || env.discord) {
    log.warn("Slack and Discord adapters are not available in this build yet; starting the console instead");
  }
  // The console's clock can be moved with :advance; on real platforms it stays at zero offset.
  const clock = new OffsetClock();
  const code = await runConsole({ env, policy, database, clock, log, createBot });
  await database.close();
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
