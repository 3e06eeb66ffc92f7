/**
 * Discord REST failures → errors that say what to fix. The outbox and the war-room job put these
 * messages in front of the declarer and in the log; a rate limit carries `retryAfterMs`, which the
 * scheduler honours for its next attempt (like SlackRateLimited).
 */
import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";

/** Thrown for a 429: the scheduler retries after `retryAfterMs`. */
export class DiscordRateLimited extends Error {
  readonly code = "E_DISCORD_RATE_LIMITED";
  constructor(
    readonly retryAfterMs: number,
    what: string,
  ) {
    super(`${what}: Discord rate limit, retrying in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = "DiscordRateLimited";
  }
}

/** A refused call, with Discord's error code (50013, 10003, …) and a sentence saying what to do. */
export class DiscordChatError extends Error {
  constructor(
    message: string,
    readonly discordCode: number | string | null,
  ) {
    super(message);
    this.name = "DiscordChatError";
  }
}

export interface ErrorContext {
  /** What was being done: "creating the war room channel". */
  what: string;
  /** The permissions that call needs, for a 50013. */
  permissions: string;
  /** Where a 10003 comes from, e.g. "check DISCORD_ANNOUNCEMENTS_CHANNEL". */
  channelHint?: string;
}

export function discordError(e: unknown, c: ErrorContext): Error {
  if (e instanceof RateLimitError) return new DiscordRateLimited(Math.max(e.retryAfter, e.timeToReset, 1000), c.what);
  if (e instanceof DiscordAPIError) {
    const code = e.code;
    if (code === 50013 || code === 50001) {
      return new DiscordChatError(`${c.what} failed: the bot is missing a permission (Discord error ${code}); grant the bot ${c.permissions}`, code);
    }
    if (code === 10003) {
      const hint = c.channelHint ? `; ${c.channelHint}` : "";
      return new DiscordChatError(`${c.what} failed: unknown channel (Discord error 10003): it was deleted or the bot cannot see it${hint}`, code);
    }
    if (code === 50007) return new DiscordChatError(`${c.what} failed: the user does not accept direct messages from the bot (Discord error 50007)`, code);
    return new DiscordChatError(`${c.what} failed: ${e.message} (Discord error ${code}, HTTP ${e.status})`, code);
  }
  if (e instanceof HTTPError) return new DiscordChatError(`${c.what} failed: Discord answered HTTP ${e.status}; will retry`, e.status);
  return e instanceof Error ? e : new Error(String(e));
}
