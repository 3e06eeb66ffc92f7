/**
 * Every HTTP route the bot serves, in one list. Slack's server carries them as `customRoutes` when
 * Slack is configured (HTTP or Socket Mode, on `PORT`); otherwise `startHttpServer` serves them on
 * `PORT` (Discord only; the console only when `PORT` is set).
 *
 * The routes are built before the bot (Slack's server takes them at construction), so what they need
 * from the bot is read when a request comes: before the bot is ready they answer 503.
 */
import type { AppContext } from "../../commands/index.js";
import type { Env } from "../../config.js";
import type { Database } from "../../db/client.js";
import type { Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { discordInteractionRoutes, type InteractionReceiver } from "./discord-interactions.js";
import { probeRoutes } from "./probes.js";
import { oncallCalendarRoutes } from "./oncall-calendar.js";
import { alertRoutes } from "./alerts.js";
import type { HttpRoute } from "./route.js";
import { unsubscribeRoutes } from "./unsubscribe.js";
import { statusPageRoutes } from "./status-page.js";

export interface HttpDeps {
  env: Env;
  database: Database;
  log: Logger;
  metrics: Metrics;
  /** Is the database reachable? */
  health: () => Promise<boolean>;
  /** True once the process is shutting down. */
  draining: () => boolean;
  /** The bot's context (store, clock, policy, chats) once it exists; null before. */
  app: () => AppContext | null;
  /** The Discord adapter once it exists, for interactions over HTTP (`DISCORD_PUBLIC_KEY`). */
  discord?: () => InteractionReceiver | null;
}

export function httpRoutes(d: HttpDeps): HttpRoute[] {
  return [
    ...probeRoutes({ health: d.health, draining: d.draining, metrics: d.metrics }),
    ...unsubscribeRoutes(d),
    ...(d.env.discord?.publicKey ? discordInteractionRoutes({ publicKey: d.env.discord.publicKey, receiver: () => d.discord?.() ?? null, log: d.log }) : []),
    ...alertRoutes(d),
    ...statusPageRoutes({ app: d.app, token: d.env.statusPageToken, publicUrl: d.env.publicUrl, log: d.log }),
    ...oncallCalendarRoutes(d),
  ];
}
