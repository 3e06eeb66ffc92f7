/**
 * The Discord ChatPort over discord.js's REST manager. War rooms are text channels under the
 * incidents category, with permission overwrites letting the declarer, the role holders and the bot
 * in even when the category is private. A failure throws a sentence saying what to fix (errors.ts);
 * the outbox / war-room timers retry it, after Discord's retry_after for a rate limit.
 */
import { ChannelType, OverwriteType, PermissionFlagsBits, Routes, type REST } from "discord.js";
import type { ChatPort } from "../../app/ports.js";
import type { ChatMessage } from "../../domain/views.js";
import { renderEmbed } from "./embeds.js";
import { discordError, DiscordChatError, type ErrorContext } from "./errors.js";

export interface DiscordChatOptions {
  guildId?: string | undefined;
  /** Category id or name for war rooms. */
  incidentsCategory?: string | undefined;
  /** Channel id or name for stakeholder announcements. */
  announcementsChannel?: string | undefined;
  /** The bot's own user id (given its own overwrite in war rooms). */
  botUserId?: () => string | undefined;
}

interface ApiChannel {
  id: string;
  name?: string;
  topic?: string | null;
  type: number;
  parent_id?: string | null;
}

const SNOWFLAKE = /^\d{15,21}$/;
const ROOM_MEMBER = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory;
const ROOM_BOT = ROOM_MEMBER | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ManageMessages;
const SEND = "View Channels, Send Messages and Embed Links in that channel";

export class DiscordChat implements ChatPort {
  readonly platform = "discord";
  /** Members (permission overwrites) and the topic go in the create call itself. */
  readonly setsUpAtCreation = true;
  private readonly names = new Map<string, string>();
  private readonly topics = new Map<string, string>();
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly rest: REST,
    private readonly opts: DiscordChatOptions = {},
  ) {}

  private async call<T>(c: ErrorContext, fn: () => Promise<unknown>): Promise<T> {
    try {
      return (await fn()) as T;
    } catch (e) {
      throw discordError(e, c);
    }
  }

  private guild(): string {
    if (!this.opts.guildId) throw new DiscordChatError("DISCORD_GUILD_ID is not set: the bot does not know which server to create war rooms in", null);
    return this.opts.guildId;
  }

  private listChannels(): Promise<ApiChannel[]> {
    const c = { what: "listing the server's channels", permissions: "View Channels" };
    return this.call<ApiChannel[]>(c, () => this.rest.get(Routes.guildChannels(this.guild())));
  }

  /** A channel id as is; a name (with or without #) looked up once in the guild. */
  private async resolve(idOrName: string, types: ChannelType[], variable: string): Promise<string> {
    if (SNOWFLAKE.test(idOrName)) return idOrName;
    const cached = this.names.get(idOrName);
    if (cached) return cached;
    const name = idOrName.replace(/^#/, "").toLowerCase();
    const hit = (await this.listChannels()).find((ch) => types.includes(ch.type) && ch.name?.toLowerCase() === name);
    if (!hit) throw new DiscordChatError(`no channel named "${idOrName}" in the server; set ${variable} to a channel id or an existing name`, 10003);
    this.names.set(idOrName, hit.id);
    return hit.id;
  }

  async createChannel(req: { name: string; key: string; topic: string; members: string[] }) {
    const parent = this.opts.incidentsCategory ? await this.resolve(this.opts.incidentsCategory, [ChannelType.GuildCategory], "DISCORD_INCIDENTS_CATEGORY") : null;
    // A channel of this name whose topic carries this incident's marker (its reference, set at creation)
    // is ours, made by an attempt whose reply was lost: adopt it. A name taken by anything else gets -2, -3…
    const channels = (await this.listChannels()).filter((ch) => ch.type === ChannelType.GuildText);
    const base = req.name.toLowerCase().slice(0, 100);
    let name = base;
    for (let n = 2; ; n++) {
      const taken = channels.find((ch) => ch.name === name);
      if (!taken) break;
      if (taken.topic?.includes(req.key)) return { channelId: taken.id, name };
      name = `${base.slice(0, 100 - String(n).length - 1)}-${n}`;
    }
    const bot = this.opts.botUserId?.();
    const overwrites = [...new Set(req.members)]
      .filter((m) => SNOWFLAKE.test(m) && m !== bot)
      .map((id) => ({ id, type: OverwriteType.Member, allow: String(ROOM_MEMBER) }));
    if (bot) overwrites.push({ id: bot, type: OverwriteType.Member, allow: String(ROOM_BOT) });
    const c = {
      what: "creating the war room channel",
      permissions: "Manage Channels, View Channels, Send Messages and Read Message History on the incidents category (DISCORD_INCIDENTS_CATEGORY)",
      channelHint: "check DISCORD_INCIDENTS_CATEGORY",
    };
    const body = { name, type: ChannelType.GuildText, topic: req.topic.slice(0, 1024), parent_id: parent, permission_overwrites: overwrites };
    const created = await this.call<ApiChannel>(c, () => this.rest.post(Routes.guildChannels(this.guild()), { body }));
    this.topics.set(created.id, body.topic);
    return { channelId: created.id, name: created.name ?? body.name };
  }

  /** Attaches a file (the incident report, the monthly chart) to a message; mentions stay off. */
  async postFile(channelId: string, filename: string, content: string | Uint8Array, title: string) {
    const c: ErrorContext = { what: "posting a file", permissions: `${SEND} and Attach Files` };
    const channel = await this.resolve(channelId, [ChannelType.GuildText, ChannelType.GuildAnnouncement], "DISCORD_ANNOUNCEMENTS_CHANNEL");
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const body = { content: title.slice(0, 2000), allowed_mentions: { parse: [] } };
    const sent = await this.call<{ id: string }>(c, () => this.rest.post(Routes.channelMessages(channel), { body, files: [{ name: filename, data }] }));
    return { messageId: sent.id };
  }

  /** Lets paged people into the war room: a member overwrite per user (Discord has no invitations). */
  async invite(channelId: string, userIds: string[]): Promise<void> {
    const c: ErrorContext = { what: "letting paged people into the war room", permissions: "Manage Channels (Manage Permissions) on the war room" };
    for (const id of userIds.filter((u) => SNOWFLAKE.test(u))) {
      await this.call(c, () => this.rest.put(Routes.channelPermission(channelId, id), { body: { type: OverwriteType.Member, allow: String(ROOM_MEMBER) } }));
    }
  }

  async post(channelId: string, message: ChatMessage) {
    const channel = await this.resolve(channelId, [ChannelType.GuildText, ChannelType.GuildAnnouncement], "DISCORD_ANNOUNCEMENTS_CHANNEL");
    const c = { what: "posting a message", permissions: SEND, channelHint: "check DISCORD_ANNOUNCEMENTS_CHANNEL" };
    const sent = await this.call<{ id: string }>(c, () => this.rest.post(Routes.channelMessages(channel), { body: renderEmbed(message) }));
    return { messageId: sent.id };
  }

  async update(channelId: string, messageId: string, message: ChatMessage) {
    const c = { what: "editing the incident summary", permissions: SEND };
    await this.call(c, () => this.rest.patch(Routes.channelMessage(channelId, messageId), { body: renderEmbed(message) }));
  }

  async pin(channelId: string, messageId: string) {
    const c = { what: "pinning the incident summary", permissions: "Manage Messages (to pin) and Read Message History in the war room" };
    await this.call(c, () => this.rest.put(Routes.channelMessagesPin(channelId, messageId)));
  }

  async setTopic(channelId: string, topic: string) {
    const text = topic.slice(0, 1024);
    // Discord allows two channel edits per ten minutes: send only real changes.
    if (this.topics.get(channelId) === text) return;
    const c = { what: "setting the war room topic", permissions: "Manage Channels in the war room" };
    await this.call(c, () => this.rest.patch(Routes.channel(channelId), { body: { topic: text } }));
    this.topics.set(channelId, text);
  }

  /**
   * Discord gives one DM channel per user and returns it again on every create, so its id is kept:
   * a page is then one call, not two (with 30 % of calls failing, a level-2 page was up to 6.6 s late
   * with two calls each). A channel Discord no longer knows (10003) is forgotten and made again on retry.
   */
  async dm(userId: string, message: ChatMessage) {
    let channel = this.dmChannels.get(userId);
    if (!channel) {
      const c = { what: `opening a direct message with user ${userId}`, permissions: SEND };
      channel = (await this.call<ApiChannel>(c, () => this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }))).id;
      this.dmChannels.set(userId, channel);
    }
    try {
      return await this.post(channel, message);
    } catch (e) {
      if (e instanceof DiscordChatError && e.discordCode === 10003) this.dmChannels.delete(userId);
      throw e;
    }
  }

  announcementsChannel() {
    return this.opts.announcementsChannel ?? null;
  }
}
