/**
 * The Discord side of the process: a discord.js Client (gateway intents: Guilds only — the bot reads
 * no message content) whose `interactionCreate` events go to the handlers, and the ChatPort over the
 * same REST manager. `attach` before `start`, as for Slack.
 *
 * Interactions come one of two ways, to the same handlers: the gateway (`start` logs in), or
 * `receive` — a raw interaction an HTTP request brought (`http/discord-interactions.ts`), turned into the same
 * discord.js object the gateway would give (`client.actions.InteractionCreate.handle`, what discord.js
 * runs for a gateway INTERACTION_CREATE), its initial response caught for the HTTP answer.
 */
import { Client, Events, GatewayIntentBits } from "discord.js";
import type { AppContext } from "../../commands/index.js";
import type { DiscordEnv } from "../../config.js";
import { withLogContext, type Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { DiscordChat } from "./discord-chat.js";
import { createInteractionHandler, type HandlerOptions } from "./handlers.js";
import { HttpInitialResponses, type CaughtResponse } from "./initial-response.js";
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
  /**
   * Handles one interaction received over HTTP (already verified): its initial response, once the
   * handler sends it; "unanswered" when the handler finished without one (the interaction was seen
   * before), "failed" when it threw, "ignored" for a kind of interaction discord.js does not build.
   */
  receive(raw: { id: string; type: number }): Promise<CaughtResponse | "unanswered" | "failed" | "ignored">;
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
  /** Each running handler by interaction id: true when it finished, false when it threw. */
  const runs = new Map<string, Promise<boolean>>();
  const initial = new HttpInitialResponses(client.rest);
  const actions = (client as unknown as { actions: { InteractionCreate: { handle(raw: unknown): void } } }).actions;
  client.on(Events.Error, (e) => o.log.error("discord client error", { error: e.message }));
  return {
    client,
    chat,
    attach(ctx) {
      const handle = createInteractionHandler(ctx, o);
      client.on(Events.InteractionCreate, (interaction) => {
        const kind = interaction.isChatInputCommand() ? "command" : interaction.isButton() ? "button" : interaction.isModalSubmit() ? "modal" : "other";
        const stop = o.metrics.handlerSeconds.startTimer({ platform: "discord", kind });
        const outcome = withLogContext({ platform: "discord", request: interaction.id }, () => {
          o.log.debug("discord interaction", { kind });
          return handle(interaction);
        }).then(
          () => true,
          (e: unknown) => {
            o.log.error("discord handler failed", { kind, interaction: interaction.id, error: e instanceof Error ? e.message : String(e) });
            return false;
          },
        );
        const run = outcome.then(() => {
          stop();
          inFlight.delete(run);
          runs.delete(interaction.id);
        });
        inFlight.add(run);
        runs.set(interaction.id, outcome);
      });
    },
    async start() {
      await client.login(o.env.token);
      return { user: client.user?.tag ?? null };
    },
    async receive(raw) {
      // The same interaction again while this replica still handles it (a load balancer's retry):
      // the first delivery keeps its answer; this one gets the private "already handled" sentence.
      if (runs.has(raw.id)) return "unanswered";
      const { response, cancel } = initial.expect(raw.id);
      actions.InteractionCreate.handle(raw); // emits interactionCreate synchronously, or drops a kind it does not know
      const outcome = runs.get(raw.id);
      if (!outcome) {
        cancel();
        return "ignored";
      }
      const first = await Promise.race([response, outcome]);
      if (typeof first !== "boolean") return first;
      cancel();
      return first ? "unanswered" : "failed";
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
