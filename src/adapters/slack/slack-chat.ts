/**
 * The Slack ChatPort over the Web API client. Sends are not blindly repeatable, so the client's own
 * retries are off (its default retries for half an hour, and one 429 pauses every call): a failure
 * throws, and the outbox timer retries it, at Slack's Retry-After when given. Posts to one channel go
 * one at a time, spaced (Slack allows about one message per second per channel).
 */
import type { WebClient } from "@slack/web-api";
import type { ChatPort } from "../../app/ports.js";
import type { ChatMessage } from "../../domain/views.js";
import { renderBlocks } from "./blocks.js";

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
  /** Minimum gap between two sends to one channel. */
  perChannelIntervalMs?: number;
}

export class SlackChat implements ChatPort {
  readonly platform = "slack";
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly lastSent = new Map<string, number>();
  /** Channels created per incident key, so a retried createChannel does not make another. */
  private readonly createdFor = new Map<string, { id: string; name: string }>();

  constructor(
    private readonly client: WebClient,
    private readonly opts: SlackChatOptions = {},
  ) {}

  /** Runs `fn` after the channel's previous send, at least the interval after it. */
  private inQueue<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const gap = this.opts.perChannelIntervalMs ?? 1000;
    const run = async () => {
      const wait = (this.lastSent.get(channel) ?? 0) + gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        return await fn();
      } catch (e) {
        throw slackError(e);
      } finally {
        this.lastSent.set(channel, Date.now());
      }
    };
    const next = (this.queues.get(channel) ?? Promise.resolve()).then(run, run);
    this.queues.set(channel, next.catch(() => undefined));
    return next;
  }

  async createChannel(req: { name: string; key: string; topic: string; members: string[] }) {
    // A failure after the channel exists (invite, topic) is retried with the same key: reuse the channel
    // rather than meet our own name as `name_taken` and open a second one for the same incident.
    const created = this.createdFor.get(req.key) ?? (await this.create(req.name));
    this.createdFor.set(req.key, created);
    const users = req.members.filter((m) => /^[UW][A-Z0-9]+$/.test(m));
    if (users.length > 0) {
      try {
        await this.client.conversations.invite({ channel: created.id, users: users.join(",") });
      } catch (e) {
        if (slackErrorCode(e) !== "already_in_channel") throw slackError(e);
      }
    }
    await this.setTopic(created.id, req.topic);
    return { channelId: created.id, name: created.name };
  }

  private async create(base: string): Promise<{ id: string; name: string }> {
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base.slice(0, 80 - String(n).length - 1)}-${n}`;
      try {
        const r = await this.client.conversations.create({ name });
        return { id: r.channel!.id!, name: r.channel!.name ?? name };
      } catch (e) {
        // A taken name belongs to something else (another incident, an old channel): never reuse it.
        if (slackErrorCode(e) !== "name_taken" || n >= 20) throw slackError(e);
      }
    }
  }

  async setTopic(channel: string, topic: string): Promise<void> {
    try {
      await this.client.conversations.setTopic({ channel, topic: topic.slice(0, 250) });
    } catch (e) {
      throw slackError(e);
    }
  }

  post(channelId: string, message: ChatMessage) {
    return this.inQueue(channelId, async () => {
      const r = await this.client.chat.postMessage({ channel: channelId, ...renderBlocks(message), unfurl_links: false });
      return { messageId: r.ts! };
    });
  }

  update(channelId: string, messageId: string, message: ChatMessage) {
    return this.inQueue(channelId, async () => {
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
    return this.inQueue(channelId, async () => {
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
