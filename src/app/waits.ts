/**
 * What a timer handler throws when its work cannot run yet but is not failing: the scheduler does not
 * count the attempt. Recognised by their fields (`waitFor`, `deferUntil`), so the scheduler needs no
 * import from the app.
 */
import type { Clock } from "../domain/clock.js";
import type { ChatPort, Store } from "./ports.js";

/**
 * Is this failure the last? A platform's rate limit (an error with `retryAfterMs`) is not: the
 * scheduler defers it without counting the attempt, so a handler must not give up on it (mark the row
 * failed, report it) even on its last counted attempt.
 */
export function givesUp(job: { lastAttempt: boolean }, error: unknown): boolean {
  const hinted = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return job.lastAttempt && !(typeof hinted === "number" && hinted > 0);
}

/** The work waits for an event (e.g. the war room's summary pinned): parked until the signal is raised. */
export class WaitForSignal extends Error {
  constructor(
    readonly waitFor: string,
    what: string,
  ) {
    super(what);
  }
}

/**
 * The work may run at `deferUntil` (e.g. the channel's send slot it booked), not before; `payload`
 * is merged into the timer's payload for that run (the booking it holds).
 */
export class DeferUntil extends Error {
  constructor(
    readonly deferUntil: Date,
    readonly payload?: Record<string, unknown>,
  ) {
    super(`deferred until ${deferUntil.toISOString()}`);
  }
}

/** The signal raised once an incident's war room on a platform is ready for other posts (or given up). */
export const roomSignal = (incidentId: number, platform: string): string => `room:${incidentId}:${platform}`;

/** Where a deferred job keeps the send slot it booked: `{ channel, at }`. */
const BOOKED = "sendSlot";
/**
 * How long a booking stays good after its time. A handler runs a little late under load and must
 * still use the slot it waited for (booking again would send it to the end of the queue); a retry
 * after a failed post, much later, books again.
 */
const BOOKING_GOOD_MS = 10_000;

/**
 * Before a post to `channel`: books the channel's next send slot, shared by every replica. A free slot
 * means post now; otherwise the job is deferred to its booked slot (the scheduler runs it again then,
 * the attempt not counted, its worker free meanwhile) and posts then without booking again.
 */
export async function takeSendSlot(ctx: { store: Store; clock: Clock }, chat: ChatPort, channel: string, job: { payload: Record<string, unknown> }): Promise<void> {
  const gap = chat.sendIntervalMs ?? 0;
  if (gap <= 0) return;
  const now = ctx.clock.now();
  const held = job.payload[BOOKED] as { channel?: unknown; at?: unknown } | undefined;
  if (held?.channel === channel && typeof held.at === "string") {
    const at = Date.parse(held.at);
    if (at <= now.getTime() && now.getTime() < at + BOOKING_GOOD_MS) return;
  }
  const slot = await ctx.store.transaction((uow) => uow.slots.book(chat.platform, channel, now, gap));
  if (slot.getTime() <= now.getTime()) return;
  throw new DeferUntil(slot, { [BOOKED]: { channel, at: slot.toISOString() } });
}
