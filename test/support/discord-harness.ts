/**
 * The Discord adapter as `npm start` wires it (createDiscordAdapter + createBot), its REST pointed at
 * the fake API, a manual clock, and interactions fed to the real discord.js client the way its
 * gateway handler does (`client.actions.InteractionCreate.handle(packet.d)`), from raw payloads shaped
 * as Discord sends them. `send` waits for the answer and drains the scheduler (war room, outbox).
 */
import { createDiscordAdapter } from "../../src/adapters/discord/server.js";
import { createBot } from "../../src/bot.js";
import { ManualClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import type { SchedulerOptions } from "../../src/scheduler/scheduler.js";
import { ANNOUNCEMENTS_ID, APP_ID, FakeDiscordApi, GENERAL_ID, GUILD_ID } from "./fake-discord-api.js";

export const ALICE = "1200000000000000001";
export const BOB = "1200000000000000002";

type Json = Record<string, any>;
let nextId = 1300000000000000000n;
const snowflake = () => String(nextId++);

function user(id: string) {
  return { id, username: `user${id.slice(-2)}`, discriminator: "0", global_name: null, avatar: null };
}

function base(type: number, userId: string, channelId: string, data: Json, extra: Json = {}): Json {
  const id = snowflake();
  return {
    id,
    application_id: APP_ID,
    type,
    token: `token-${id}`,
    version: 1,
    guild_id: GUILD_ID,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: GUILD_ID, name: "channel", parent_id: null, position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0, flags: 0 },
    member: { user: user(userId), roles: [], joined_at: "2026-01-01T00:00:00.000Z", deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, permissions: "2248473465835073" },
    app_permissions: "2248473465835073",
    locale: "en-US",
    guild_locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": GUILD_ID },
    context: 0,
    attachment_size_limit: 26214400,
    data,
    ...extra,
  };
}

const OPTION_TYPES: Record<string, number> = { string: 3, boolean: 5, user: 6 };
function options(values: Record<string, string | boolean>, focused?: string) {
  return Object.entries(values).map(([name, value]) => ({
    name,
    type: typeof value === "boolean" ? OPTION_TYPES.boolean : name === "im" || name === "user" ? OPTION_TYPES.user : OPTION_TYPES.string,
    value,
    ...(name === focused ? { focused: true } : {}),
  }));
}

/** Type 2: `/incident <sub>` with options. */
export function slashCommand(sub: string, values: Record<string, string | boolean> = {}, o: { user?: string; channel?: string } = {}): Json {
  const data = { id: "1400000000000000001", name: "incident", type: 1, guild_id: GUILD_ID, options: [{ type: 1, name: sub, options: options(values) }] };
  return base(2, o.user ?? ALICE, o.channel ?? GENERAL_ID, data);
}

/** Type 4: the user is typing option `focused`. */
export function autocomplete(sub: string, values: Record<string, string>, focused: string, o: { user?: string; channel?: string } = {}): Json {
  const data = { id: "1400000000000000001", name: "incident", type: 1, guild_id: GUILD_ID, options: [{ type: 1, name: sub, options: options(values, focused) }] };
  return base(4, o.user ?? ALICE, o.channel ?? GENERAL_ID, data);
}

/** Type 3: a button of `message` (as the fake API stored it) pressed. */
export function buttonPress(customId: string, message: Json, o: { user?: string } = {}): Json {
  return base(3, o.user ?? ALICE, message.channel_id, { custom_id: customId, component_type: 2 }, { message });
}

/** Type 5: a modal submitted; text fields as strings, select fields as arrays of values. */
export function modalSubmit(customId: string, fields: Record<string, string | string[]>, o: { user?: string; channel?: string } = {}): Json {
  let n = 1;
  const components = Object.entries(fields).map(([id, v]) => ({
    type: 18,
    id: n++,
    component: Array.isArray(v) ? { type: 3, id: n++, custom_id: id, values: v } : { type: 4, id: n++, custom_id: id, value: v },
  }));
  return base(5, o.user ?? ALICE, o.channel ?? GENERAL_ID, { custom_id: customId, components });
}

export interface HarnessOptions {
  scheduler?: SchedulerOptions;
  deferAfterMs?: number;
  incidentsCategory?: string;
  policy?: Policy;
}

export async function discordHarness(database: Database, opts: HarnessOptions = {}) {
  const api = await FakeDiscordApi.start();
  const clock = new ManualClock("2026-11-23T10:00:00Z");
  const env = { token: "test-token", applicationId: APP_ID, guildId: GUILD_ID, incidentsCategory: opts.incidentsCategory ?? "Incidents", announcementsChannel: ANNOUNCEMENTS_ID, apiUrl: api.url };
  const adapter = createDiscordAdapter({ env, log: silentLogger, metrics: new Metrics(), deferAfterMs: opts.deferAfterMs ?? 2000 });
  const bot = createBot({ database, clock, policy: opts.policy ?? DEFAULT_POLICY, chats: [adapter.chat], scheduler: { workerId: "test", ...opts.scheduler } });
  adapter.attach(bot.ctx);
  const actions = (adapter.client as unknown as { actions: { InteractionCreate: { handle(d: Json): void } } }).actions;
  return {
    api,
    clock,
    adapter,
    bot,
    /** Delivers one interaction as the gateway would, waits for the answer, runs what fell due. */
    async send(packet: Json): Promise<Json> {
      actions.InteractionCreate.handle(packet);
      await adapter.settled();
      await bot.scheduler.drain();
      return packet;
    },
    async advance(ms: number): Promise<void> {
      clock.advance(ms);
      await bot.scheduler.drain();
    },
    async close(): Promise<void> {
      await bot.stop();
      await adapter.client.destroy();
      await api.close();
    },
  };
}
