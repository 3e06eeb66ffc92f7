/**
 * The Slack ChatPort over the Web API client. Sends are not blindly repeatable, so the client's own
 * retries are off (its default retries for half an hour, and one 429 pauses every call): a failure
 * throws, and the outbox timer retries it, at Slack's Retry-After when given. Posts to one channel are
 * spaced by the send slots in the database (`sendIntervalMs`), and the tiered calls (create, invite,
 * topic, pin, edit, archive) by method slots within Slack's documented tiers (`callLimit`), both
 * shared by every replica, so a burst of war rooms waits its turn rather than collect 429s.
 */
import type { WebClient } from "@slack/web-api";
import type { CallLimit, ChatCall, ChatPort } from "../../app/ports.js";
import type { ChatMessage } from "../../domain/views.js";
import { renderBlocks } from "./blocks.js";
import { methodWindow, POST_PER_CHANNEL } from "./rate-limits.js";

/** The Web API method behind each call the bot paces per workspace (posts are paced per channel). */
const CALL_METHOD: Record<Exclude<ChatCall, "dm">, string> = {
  createChannel: "conversations.create",
  invite: "conversations.invite",
  setTopic: "conversations.setTopic",
  update: "chat.update",
  pin: "pins.add",
  archive: "conversations.archive",
  postFile: "files.getUploadURLExternal",
};

/**
 * Added to each documented window when booking: a call runs a little after its booked time (the
 * scheduler's claim, another replica's clock), and two calls late by different amounts could otherwise
 * land in one window. A second on a minute costs 1.7 % of a tier's rate.
 */
const PACING_MARGIN_MS = 1000;

/** Thrown for a 429: the scheduler retries after `retryAfterMs`. */
export class SlackRateLimited extends Error {
  readonly code = "E_SLACK_RATE_LIMITED";
  constructor(readonly retryAfterMs: number) {
    super(`Slack rate limit: retry after ${retryAfterMs} ms`);
  }
}

function slackError(e: unknown): unknown {
  const err = e as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (err?.code === "slack_webapi_rate_limited_error") return new SlackRateLimited((err.retryAfter ?? 1) * 1000);
  return e;
}

export function slackErrorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } })?.data?.error;
}

export interface SlackChatOptions {
  announcementsChannel?: string | undefined;
  /** Minimum gap between two posts to one channel, kept by the shared send slots (default 1 s). */
  perChannelIntervalMs?: number;
  /** Book tiered calls against Slack's documented tiers (default true; false leaves it to 429s). */
  paceCalls?: boolean | undefined;
}

interface ListedChannel {
  id?: string;
  name?: string;
  topic?: { value?: string };
  purpose?: { value?: string };
}

export class SlackChat implements ChatPort {
  readonly platform = "slack";
  /** Slack allows about one message per second per channel; every replica keeps it (send slots). */
  readonly sendIntervalMs: number;

  constructor(
    private readonly client: WebClient,
    private readonly opts: SlackChatOptions = {},
  ) {
    this.sendIntervalMs = opts.perChannelIntervalMs ?? 1000;
  }

  /**
   * Slack's tier for the call's method, per workspace (rate-limits.ts), with a margin; a DM, the
   * per-channel limit of its conversation (bursts allowed: pages are urgent).
   */
  callLimit(call: ChatCall, to?: string): CallLimit | undefined {
    if (this.opts.paceCalls === false) return undefined;
    if (call === "dm") return { method: `chat.postMessage:${to}`, limit: POST_PER_CHANNEL.limit, windowMs: POST_PER_CHANNEL.windowMs + PACING_MARGIN_MS };
    const method = CALL_METHOD[call];
    const w = methodWindow(method);
    return w ? { method, limit: w.limit, windowMs: w.windowMs + PACING_MARGIN_MS } : undefined;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw slackError(e);
    }
  }

  /**
   * Creates the channel only (invite and topic are their own war-room steps). A taken name is looked
   * up: when its topic or purpose carries `key` (the incident reference, in every topic the bot
   * sets) it is this incident's channel, made by an attempt whose reply was lost, and is adopted;
   * otherwise it belongs to something else and the next name (`-2`, `-3`…) is tried.
   */
  async createChannel(req: { name: string; key: string; topic: string; members: string[] }) {
    for (let n = 1; ; n++) {
      const name = n === 1 ? req.name : `${req.name.slice(0, 80 - String(n).length - 1)}-${n}`;
      try {
        const r = await this.client.conversations.create({ name });
        return { channelId: r.channel!.id!, name: r.channel!.name ?? name };
      } catch (e) {
        if (slackErrorCode(e) !== "name_taken" || n >= 20) throw slackError(e);
      }
      const taken = await this.findByName(name);
      if (taken?.id && [taken.topic?.value, taken.purpose?.value].some((t) => t?.includes(req.key))) return { channelId: taken.id, name };
    }
  }

  /** conversations.list, page by page, for a channel of this exact name. */
  private async findByName(name: string): Promise<ListedChannel | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.conversations.list({ types: "public_channel,private_channel", exclude_archived: true, limit: 1000, ...(cursor ? { cursor } : {}) }),
      );
      const hit = (page.channels as ListedChannel[] | undefined)?.find((c) => c.name === name);
      if (hit) return hit;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  async setTopic(channel: string, topic: string): Promise<void> {
    await this.call(() => this.client.conversations.setTopic({ channel, topic: topic.slice(0, 250) }));
  }

  post(channelId: string, message: ChatMessage) {
    return this.call(async () => {
      const r = await this.client.chat.postMessage({ channel: channelId, ...renderBlocks(message), unfurl_links: false });
      return { messageId: r.ts! };
    });
  }

  update(channelId: string, messageId: string, message: ChatMessage) {
    return this.call(async () => {
      await this.client.chat.update({ channel: channelId, ts: messageId, ...renderBlocks(message) });
    });
  }
  async pin(channelId: string, messageId: string) {
    try {
      await this.client.pins.add({ channel: channelId, timestamp: messageId });
    } catch (e) {
      if (slackErrorCode(e) !== "already_pinned") throw slackError(e);
    }
  }

  dm(userId: string, message: ChatMessage) {
    // Posting to a user id opens (or reuses) the bot's direct conversation with them.
    return this.post(userId, message);
  }

  /** Attaches a file (the incident report, the monthly chart) through Slack's external upload flow. */
  postFile(channelId: string, filename: string, content: string | Uint8Array, title: string) {
    return this.call(async () => {
      const file = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
      const r = (await this.client.files.uploadV2({ channel_id: channelId, file, filename, title })) as { files?: { files?: { id?: string }[] }[] };
      return { messageId: r.files?.[0]?.files?.[0]?.id ?? filename };
    });
  }

  /** Brings paged people into the war room; only Slack user ids, and "already in" is fine. */
  async invite(channelId: string, userIds: string[]): Promise<void> {
    const users = userIds.filter((m) => /^[UW][A-Z0-9]+$/.test(m));
    if (users.length === 0) return;
    try {
      await this.client.conversations.invite({ channel: channelId, users: users.join(",") });
    } catch (e) {
      if (slackErrorCode(e) !== "already_in_channel") throw slackError(e);
    }
  }

  async archive(channelId: string): Promise<void> {
    try {
      await this.client.conversations.archive({ channel: channelId });
    } catch (e) {
      if (slackErrorCode(e) !== "already_archived") throw slackError(e);
    }
  }

  announcementsChannel() {
    return this.opts.announcementsChannel ?? null;
  }
}
