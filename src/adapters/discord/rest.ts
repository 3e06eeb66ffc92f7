/**
 * How the bot talks to Discord's REST API, for the gateway client and the register script alike.
 * DISCORD_API_URL points it elsewhere (tests, proxies). Sends are not blindly repeatable, so 5xx and
 * network failures are not retried here (the outbox retries them); a 429 was not processed, so a
 * short one is waited out, and a long one (channel edits: minutes) is thrown as a RateLimitError that
 * becomes DiscordRateLimited, letting the durable timer retry at Discord's retry_after.
 */
import type { RESTOptions } from "discord.js";

/** Longest rate-limit wait done in place; interaction answers always wait (their token lives 15 min). */
export const MAX_INLINE_RATE_LIMIT_MS = 2000;

export function restOptions(apiUrl?: string): Partial<RESTOptions> {
  return {
    ...(apiUrl ? { api: apiUrl.replace(/\/+$/, "") } : {}),
    retries: 0,
    rejectOnRateLimit: (d) => d.retryAfter > MAX_INLINE_RATE_LIMIT_MS && !/^\/(interactions|webhooks)\//.test(d.route),
  };
}
