/**
 * What the bot serves once its database is ready: Slack, Discord or both in one process, or the local
 * console. Loaded by main.ts while the database opens (PGlite boots on its own thread meanwhile), so
 * the ~0.5 s of loading these modules is not added to start-up.
 *
 * Each adapter and the e-mail sender are imported only when configured: a Slack-only process never
 * loads discord.js (bench/startup.ts reports what that saves).
 */
import { OffsetClock, systemClock } from "./clock.js";
import type { Env } from "./config.js";
import type { Database } from "./db/client.js";
import { databaseReachable } from "./db/health.js";
import { createBot, type BotOptions } from "./bot.js";
import type { Policy } from "./domain/policy.js";
import type { Logger } from "./log.js";
import { Metrics } from "./metrics.js";
import { GRACE_MS, stopSignal, withDeadline } from "./shutdown.js";
import type { DiscordAdapter } from "./adapters/discord/server.js";
import { LeaseKeeper } from "./scheduler/lease-keeper.js";
import { startHttpServer } from "./adapters/http/server.js";
import { httpRoutes } from "./adapters/http/routes.js";
import type { AppContext } from "./commands/index.js";
import { unreachableDestinations } from "./domain/comms/destinations.js";
import { WORK_LIMIT, WorkLimit } from "./adapters/work-limit.js";

/** Serves the chats the environment configures, or the console when it configures none. */
export async function serve(env: Env, policy: Policy, database: Database, log: Logger): Promise<number> {
  if (env.slack || env.discord) return serveChats(env, policy, database, log);
  // The console's clock can be moved with :advance.
  const { runConsole } = await import("./adapters/console/run.js");
  const mail = await botExtras(env);
  // With PORT set the console serves the HTTP routes as well (alerts, status page, calendars).
  let ctx: AppContext | null = null;
  const http = env.portGiven
    ? await startHttpServer(env.port, httpRoutes({ env, database, log, metrics: new Metrics(true), health: () => databaseReachable(database.db), draining: () => false, app: () => ctx }))
    : null;
  if (http) log.info("serving HTTP", { port: http.port });
  try {
    return await runConsole({ env, policy, database, clock: new OffsetClock(), log, createBot: (o) => createBot({ ...o, ...mail }), onBot: (c) => (ctx = c) });
  } finally {
    http?.server.close();
  }
}

/** Serves Slack, Discord or both from one process: one database, one scheduler, one chat port each. */
async function serveChats(env: Env, policy: Policy, database: Database, log: Logger): Promise<number> {
  const stopping = stopSignal(log);
  let draining = false;
  const metrics = new Metrics(true);
  // One limit for the work after acks, whichever chat it came from (work-limit.ts).
  const workLimit = new WorkLimit(WORK_LIMIT);
  let ctx: AppContext | null = null;
  let discordReady: DiscordAdapter | null = null;
  const routes = httpRoutes({ env, database, log, metrics, health: () => databaseReachable(database.db), draining: () => draining, app: () => ctx, discord: () => discordReady });
  const slack = env.slack
    ? (await import("./adapters/slack/server.js")).createSlackAdapter({ env: env.slack, port: env.port, log, metrics, routes, workLimit })
    : null;
  const discord = env.discord ? (await import("./adapters/discord/server.js")).createDiscordAdapter({ env: env.discord, log, metrics, workLimit }) : null;
  const chats = [...(slack ? [slack.chat] : []), ...(discord ? [discord.chat] : [])];
  const bot = createBot({ database, clock: systemClock, policy, chats, log, metrics, scheduler: { pollSeconds: env.schedulerPollSeconds, retentionMs: env.timerRetentionHours * 3_600_000 }, ...(await botExtras(env)) });
  ctx = bot.ctx;
  for (const warning of unreachableDestinations(policy.stakeholders, chats.map((c) => c.platform), !!env.smtp)) log.warn(warning);
  slack?.attach(bot.ctx);
  discord?.attach(bot.ctx);
  await bot.start();
  discordReady = discord;
  if (slack) {
    const { port } = await slack.start();
    log.info("serving Slack", { mode: env.slack!.mode, port });
  }
  // Without Slack (whose server, HTTP or Socket Mode, serves them) the routes get a server of their own.
  const probes = env.slack ? null : await startHttpServer(env.port, routes);
  if (probes) log.info("serving HTTP", { port: probes.port, paths: routes.map((r) => r.path) });
  // With DISCORD_PUBLIC_KEY, interactions come over HTTP to any replica and the gateway is not opened at
  // all: Discord then sends it no interaction, and everything else the bot does is REST. Otherwise, on
  // PostgreSQL several replicas may run: exactly one holds the gateway (a lease in the database), since
  // every connected replica would receive every interaction.
  const overHttp = !!env.discord?.publicKey;
  if (discord && overHttp) log.info("serving Discord interactions over HTTP", { path: "/discord/interactions", guild: env.discord!.guildId ?? null });
  const gateway = discord && !overHttp && database.kind === "postgres" ? discordGatewayLease(database, bot.scheduler.workerId, discord, env, log) : null;
  if (discord && !overHttp && !gateway) {
    const { user } = await discord.start();
    log.info("serving Discord", { user, guild: env.discord!.guildId ?? null });
  }

  const signal = await stopping;
  draining = true;
  log.info("shutting down", { signal, graceMs: GRACE_MS });
  const timers = bot.scheduler.stop({ graceMs: GRACE_MS });
  const requests = await withDeadline(Promise.all([slack?.settled(), discord?.settled()]), GRACE_MS);
  // Closing waits for nothing more: what did not settle is abandoned (its transaction rolls back).
  await withDeadline(Promise.allSettled([slack?.stop(), gateway ? gateway.stop() : discord?.stop(), new Promise((r) => (probes ? probes.server.close(r) : r(null)))]), 500);
  const { finished, released } = await timers;
  log.info("stopped", { requests: requests === "late" ? "abandoned" : "settled", timersFinished: finished, timersReleased: released.length });
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

/** What the bot gets beyond its chats: e-mail (paging and stakeholder lists) when SMTP_URL is set, and PUBLIC_URL for links. */
async function botExtras(env: Env): Promise<Pick<BotOptions, "paging" | "publicUrl">> {
  const publicUrl = env.publicUrl ? { publicUrl: env.publicUrl } : {};
  if (!env.smtp) return publicUrl;
  const { smtpMailSender } = await import("./adapters/paging/email.js");
  return { paging: { mail: smtpMailSender(env.smtp.url, env.smtp.from) }, ...publicUrl };
}

