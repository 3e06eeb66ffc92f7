/**
 * The Discord side of the process: a discord.js Client (gateway intents: Guilds only — the bot reads
 * no message content) whose `interactionCreate` events go to the handlers, and the ChatPort over the
 * same REST manager. `attach` before `start`, as for Slack.
 */
import { Client, Events, GatewayIntentBits } from "discord.js";
import type { AppContext } from "../../commands/index.js";
import type { DiscordEnv } from "../../config.js";
import { withLogContext, type Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { DiscordChat } from "./discord-chat.js";
import { createInteractionHandler, type HandlerOptions } from "./handlers.js";
import { restOptions } from "./rest.js";

export interface DiscordOptions extends HandlerOptions {
  env: DiscordEnv;
  log: Logger;
  metrics: Metrics;
}

export interface DiscordAdapter {
  client: Client;
  chat: DiscordChat;
  /** Routes interactions to the handlers on the bot's context; call before start. */
  attach(ctx: AppContext): void;
  /** Logs in to the gateway. */
  start(): Promise<{ user: string | null }>;
  stop(): Promise<void>;
  /** Resolves when every interaction received so far has been answered (tests, shutdown). */
  settled(): Promise<void>;
}

export function createDiscordAdapter(o: DiscordOptions): DiscordAdapter {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(o.env.apiUrl) });
  // The ChatPort may send (outbox retries after a restart) before the gateway session is up.
  client.rest.setToken(o.env.token);
  const chat = new DiscordChat(client.rest, {
    guildId: o.env.guildId,
    incidentsCategory: o.env.incidentsCategory,
    announcementsChannel: o.env.announcementsChannel,
    botUserId: () => client.user?.id ?? o.env.applicationId,
  });
  const inFlight = new Set<Promise<void>>();
  client.on(Events.Error, (e) => o.log.error("discord client error", { error: e.message }));
  return {
    client,
    chat,
    attach(ctx) {
      const handle = createInteractionHandler(ctx, o);
      client.on(Events.InteractionCreate, (interaction) => {
        const kind = interaction.isChatInputCommand() ? "command" : interaction.isButton() ? "button" : interaction.isModalSubmit() ? "modal" : "other";
        const stop = o.metrics.handlerSeconds.startTimer({ platform: "discord", kind });
        const run = withLogContext({ platform: "discord", request: interaction.id }, () => {
          o.log.debug("discord interaction", { kind });
          return handle(interaction);
        })
          .catch((e: unknown) => o.log.error("discord handler failed", { kind, interaction: interaction.id, error: e instanceof Error ? e.message : String(e) }))
          .finally(() => {
            stop();
            inFlight.delete(run);
          });
        inFlight.add(run);
      });
    },
    async start() {
      await client.login(o.env.token);
      return { user: client.user?.tag ?? null };
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
