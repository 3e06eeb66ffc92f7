/**
 * Slack's documented Web API rate limits: the one table the bot paces its calls by (SlackChat.callLimit)
 * and the fake Slack API enforces in its rate-tier mode (test/support/fake-slack-api.ts).
 *
 * Sources (read 2026-12-05):
 * - https://api.slack.com/apis/rate-limits (now https://docs.slack.dev/apis/web-api/rate-limits): limits
 *   apply "per API method per app per workspace"; Tier 1 is 1+ per minute, Tier 2 20+, Tier 3 50+,
 *   Tier 4 100+, each tolerating some burst; chat.postMessage is a special tier, "generally one message
 *   per second per channel", short bursts allowed, plus a workspace-wide limit whose figure is not
 *   published (so neither kept nor enforced here).
 * - each method's page, https://api.slack.com/methods/<method>, "Rate limits: Tier N" (e.g.
 *   https://api.slack.com/methods/pins.add: Tier 2); the same tiers as Slack's own Java SDK table
 *   (slackapi/java-slack-sdk, MethodsRateLimits.java).
 * - conversations.history: the 2025 cut to 1 a minute is for commercially distributed apps not in the
 *   Marketplace; an internal app like this one keeps Tier 3.
 *
 * The "+" is a floor, not a ceiling: pacing at the floor is never faster than Slack allows.
 */
export type Tier = 1 | 2 | 3 | 4;

export const TIER_PER_MINUTE: Record<Tier, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** The tier of every Web API method the bot calls (auth.test, a special tier called once, aside). */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  "conversations.create": 2,
  "conversations.invite": 3,
  "conversations.setTopic": 2,
  "conversations.archive": 2,
  "conversations.list": 2,
  "conversations.info": 3,
  "conversations.history": 3,
  "pins.add": 2,
  "chat.update": 3,
  "chat.postEphemeral": 4,
  "views.open": 4,
  "users.info": 4,
  "files.getUploadURLExternal": 4,
  "files.completeUploadExternal": 4,
};

/** At most `limit` calls in any window of `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** A tiered method's limit per workspace, or undefined (chat.postMessage and untiered methods). */
export function methodWindow(method: string): RateWindow | undefined {
  const tier = METHOD_TIERS[method];
  return tier ? { limit: TIER_PER_MINUTE[tier], windowMs: MINUTE } : undefined;
}

/**
 * chat.postMessage per channel (a DM is a channel too): one a second, "short bursts >1 allowed".
 * Slack publishes no burst size; this counts a short burst as up to 10 in any 10 s, still one a
 * second on average. The bot's channel posts keep a 1 s gap anyway (send slots); its pages by DM use
 * the burst, so six incidents paging one person page them at once, not over 5 s.
 */
export const POST_PER_CHANNEL: RateWindow = { limit: 10, windowMs: 10_000 };
