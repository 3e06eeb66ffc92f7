/**
 * How soon a failed timer is tried again, by kind. A platform's Retry-After always wins (scheduler.ts).
 *
 * Chat work is retried quickly: the first retry comes after 0.25–0.75 s (jittered, so three replicas
 * retrying after one 500 do not hit the API in step), doubling to a cap. Measured with `npm run chaos`
 * (three replicas, 30 % of Slack calls failing, one replica killed): with the former 5 / 10 / 20 s
 * backoff the latest level-2 page went out 9.7 s after due and the latest delivery 73 s after due;
 * with these policies (and the summary no longer holding other posts back) 0.75 s and 15 s, the 15 s
 * being the announcements channel's one-post-per-second queue of twelve announcements. Pages and
 * confirmations cap at 5 s: they matter now or not at all. Other chat work (announcements, summaries,
 * war-room steps) caps at 30 s, with more attempts, so an outage of a few minutes is ridden out
 * (12 attempts ≈ 4 min) instead of failing after 8 quick ones. Everything else (calendar runs,
 * reminders) keeps 5 s doubling to 10 min.
 */
export interface RetryPolicy {
  /** Delay before retry n (1-based), before jitter. */
  delayMs(attempt: number): number;
  maxAttempts: number;
}

const doubling = (baseMs: number, capMs: number) => (attempt: number) => Math.min(baseMs * 2 ** (attempt - 1), capMs);

export const URGENT_CHAT: RetryPolicy = { delayMs: doubling(500, 5_000), maxAttempts: 20 };
export const CHAT: RetryPolicy = { delayMs: doubling(500, 30_000), maxAttempts: 12 };
export const DEFAULT_RETRY: RetryPolicy = { delayMs: doubling(5_000, 600_000), maxAttempts: 8 };

/** Timer kinds whose work is a chat, webhook or e-mail call. */
const CHAT_KINDS = /^(deliver|warroom\.|summary\.|page\.)/;

/**
 * The policy of one timer: pages (`page.*`, a delivery marked `urgent`) and confirmations are urgent.
 */
export function retryPolicyFor(kind: string, payload: Record<string, unknown>): RetryPolicy {
  if (kind.startsWith("page.") || payload.urgent === true) return URGENT_CHAT;
  if (CHAT_KINDS.test(kind)) return CHAT;
  return DEFAULT_RETRY;
}

/** ±50 % jitter around `ms`. */
export const jittered = (ms: number, random: () => number = Math.random): number => Math.round(ms * (0.5 + random()));
