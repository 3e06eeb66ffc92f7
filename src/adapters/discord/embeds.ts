/**
 * Discord rendering of the platform-neutral view models (src/domain/views.ts): one embed plus a row
 * of buttons. User text is shown as text (markdown escaped, `@everyone` / `@here` / `<@…>` broken
 * with a zero-width space), and every message carries `allowed_mentions` with `parse: []`, so a title
 * can page no one; only user ids the bot composed itself (fields marked `mentions`) may be mentioned.
 */
import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from "discord.js";
import type { ChatMessage, ViewAction } from "../../domain/views.js";

export const BUTTON_PREFIX = "incident";
const SNOWFLAKE = /^\d{15,21}$/;

/** `incident:<action>:<reference>`: what a button does, and to which incident. */
export const customId = (action: ViewAction["id"] | "form", arg: string): string => `${BUTTON_PREFIX}:${action}:${arg}`.slice(0, 100);

export function parseCustomId(id: string): { action: string; arg: string } | null {
  const m = /^incident:([a-z]+):(.{1,90})$/s.exec(id);
  return m ? { action: m[1]!, arg: m[2]! } : null;
}

export interface DiscordMessageBody {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: []; users: string[] };
}

/** User text: markdown shown literally, mass mentions and user / role mentions broken. */
export function safeText(text: string): string {
  return escapeMarkdown(text, { maskedLink: true })
    .replace(/@(everyone|here)/gi, "@\u200b$1")
    .replace(/<(@[!&]?|#)(\d)/g, "<\u200b$1$2");
}

/** Bot-composed text whose `@id` words are user ids: made safe, then turned into real mentions. */
export function withMentions(text: string, ids: Set<string>, only?: readonly string[]): string {
  return safeText(text).replace(/@(\d{15,21})\b/g, (word, id: string) => {
    if (only && !only.includes(id)) return word;
    ids.add(id);
    return `<@${id}>`;
  });
}

/**
 * Replies: the sentences every adapter shares, `@id` shown as a Discord mention (sent with
 * `allowed_mentions: { parse: [] }`, so it names without paging).
 */
export function replyText(text: string): string {
  return clip(withMentions(text, new Set()), 2000);
}

const COLOURS: Record<ChatMessage["kind"], number> = { summary: 0xd83c3e, announcement: 0xf0b232, notice: 0x5865f2, update: 0x3ba55c };
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderEmbed(m: ChatMessage): DiscordMessageBody {
  const mentioned = new Set<string>();
  const embed: APIEmbed = {
    title: clip(safeText(m.headline), 256),
    color: COLOURS[m.kind],
    fields: m.fields.slice(0, 25).map((f) => ({
      name: clip(safeText(f.label), 256),
      value: clip(f.mentions ? withMentions(f.value, mentioned) : safeText(f.value), 1024) || "-",
      inline: f.value.length <= 40,
    })),
  };
  if (m.body) embed.description = clip(safeText(m.body), 4096);
  if (m.reference) embed.footer = { text: m.reference };
  const body: DiscordMessageBody = {
    embeds: [embed],
    components: [],
    // Mentions inside embeds never notify; the ids are listed so a bot-composed page may, nothing else.
    allowed_mentions: { parse: [], users: [...mentioned].filter((id) => SNOWFLAKE.test(id)).slice(0, 100) },
  };
  // Notices are sentences: sent as content (they notify like a chat message), with an embed only for details.
  if (m.kind === "notice") {
    body.content = clip(m.mentionsInHeadline ? withMentions(m.headline, mentioned, m.mentionIds) : safeText(m.headline), 2000);
    body.allowed_mentions = { parse: [], users: [...mentioned].filter((id) => SNOWFLAKE.test(id)).slice(0, 100) };
    if (!m.body && m.fields.length === 0) body.embeds = [];
  }
  if (m.actions?.length) {
    body.components.push({
      type: ComponentType.ActionRow,
      components: m.actions.slice(0, 5).map((a) => ({
        type: ComponentType.Button,
        custom_id: customId(a.id, a.value ?? m.reference ?? ""),
        label: a.label,
        style: a.id === "resolve" ? ButtonStyle.Success : a.id === "ack" ? ButtonStyle.Primary : ButtonStyle.Secondary,
      })),
    });
  }
  return body;
}
