/**
 * Wiring only: read the configuration, open and migrate the database, start the scheduler and the
 * chat adapters: Slack, Discord, or both in one process. With neither token it runs the local
 * console on embedded PGlite.
 */
import { ensureCalendarRuns } from "./app/review/calendar.js";
import { OffsetClock, systemClock } from "./clock.js";
import { loadConfig, type Env } from "./config.js";
import { DataDirInUse } from "./db/data-dir-lock.js";
import { openDatabase, type Database } from "./db/client.js";
import { databaseReachable } from "./db/health.js";
import { applyMigrations } from "./db/migrate.js";
import { createBot, type BotOptions } from "./bot.js";
import { smtpMailSender } from "./adapters/paging/email.js";
import type { Policy } from "./domain/policy.js";
import { createLogger, type Logger } from "./log.js";
import { Metrics } from "./metrics.js";
import { runConsole } from "./adapters/console/run.js";
import { createSlackAdapter } from "./adapters/slack/server.js";
import { createDiscordAdapter, type DiscordAdapter } from "./adapters/discord/server.js";
import { LeaseKeeper } from "./scheduler/lease-keeper.js";

/** Serves Slack, Discord or both from one process: one database, one scheduler, one chat port each. */
async function serveChats(env: Env, policy: Policy, database: Database, log: Logger): Promise<number> {
  const metrics = new Metrics(true);
  const slack = env.slack ? createSlackAdapter({ env: env.slack, port: env.port, log, metrics, health: () => databaseReachable(database.db) }) : null;
  const discord = env.discord ? createDiscordAdapter({ env: env.discord, log, metrics }) : null;
  const chats = [...(slack ? [slack.chat] : []), ...(discord ? [discord.chat] : [])];
  const bot = createBot({ database, clock: systemClock, policy, chats, log, metrics, scheduler: { pollSeconds: env.schedulerPollSeconds, retentionMs: env.timerRetentionHours * 3_600_000 }, ...paging(env) });
  slack?.attach(bot.ctx);
  discord?.attach(bot.ctx);
  await ensureCalendarRuns(bot.ctx);
  bot.scheduler.start();
  if (slack) {
    const { port } = await slack.start();
    log.info("serving Slack", { mode: env.slack!.mode, port });
  }
  // On PostgreSQL several replicas may run: exactly one holds the Discord gateway (a lease in the
  // database), since every connected replica would receive every interaction.
  const gateway = discord && database.kind === "postgres" ? discordGatewayLease(database, bot.scheduler.workerId, discord, env, log) : null;
  if (discord && !gateway) {
    const { user } = await discord.start();
    log.info("serving Discord", { user, guild: env.discord!.guildId ?? null });
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log.info("shutting down");
  await slack?.stop();
  if (gateway) await gateway.stop();
  else await discord?.stop();
  await bot.stop();
  return 0;
}

/** Holds the Discord gateway while this replica has the lease; hands it over on shutdown. */
function discordGatewayLease(database: Database, holder: string, discord: DiscordAdapter, env: Env, log: Logger): LeaseKeeper {
  const keeper = new LeaseKeeper(database.db, {
    name: "discord-gateway",
    holder,
    log: (m) => log.warn(m),
    onGained: async () => {
      const { user } = await discord.start();
      log.info("serving Discord (this replica holds the gateway)", { user, guild: env.discord!.guildId ?? null });
    },
    onLost: async () => {
      log.info("Discord gateway handed over to another replica");
      await discord.stop();
    },
  });
  keeper.start();
  return keeper;
}

/** E-mail paging when SMTP_URL is set. */
function paging(env: Env): Pick<BotOptions, "paging"> {
  return env.smtp ? { paging: { mail: smtpMailSender(env.smtp.url, env.smtp.from) } } : {};
}

async function main(): Promise<number> {
  const config = loadConfig((t) => process.stderr.write(t));
  if (!config) return 78; // EX_CONFIG
  const { env, policy } = config;
  const log = createLogger(env.logLevel);
  const database = openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
  await applyMigrations(database);
  log.info("database ready", { where: database.where });
  try {
    if (env.slack || env.discord) return await serveChats(env, policy, database, log);
    // The console's clock can be moved with :advance.
    return await runConsole({ env, policy, database, clock: new OffsetClock(), log, createBot: (o) => createBot({ ...o, ...paging(env) }) });
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
    process.stderr.write(`Fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
