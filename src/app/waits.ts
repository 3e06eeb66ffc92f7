/**
 * What a timer handler throws when its work cannot run yet but is not failing: the scheduler does not
 * count the attempt. Recognised by their fields (`waitFor`, `deferUntil`), so the scheduler needs no
 * import from the app.
 */
import type { Clock } from "../domain/clock.js";
import type { ChatCall, ChatPort, Store } from "./ports.js";

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

/** The signal raised once an `awaited` outbox row is sent, failed or cancelled: an edit of its message waits on it. */
export const sentSignal = (key: string): string => `outbox.sent:${key}`;

/**
 * Where a deferred job keeps the send slot it booked: `{ channel, at, attempt }`. The booking is good
 * from its time on, however late the job runs (booking again would send it to the end of the queue,
 * and under a burst every late job would, so none would post), until the attempt it was made in
 * fails: a retry after a failed post books again. A deferral does not count an attempt, so the run
 * at the slot has the same `attempts` as the run that booked it.
 */
const BOOKED = "sendSlot";

/**
 * Before a post to `channel`: books the channel's next send slot, shared by every replica. A free slot
 * means post now; otherwise the job is deferred to its booked slot (the scheduler runs it again then,
 * the attempt not counted, its worker free meanwhile) and posts then without booking again.
 */
export async function takeSendSlot(ctx: { store: Store; clock: Clock }, chat: ChatPort, channel: string, job: { payload: Record<string, unknown>; attempts: number }): Promise<void> {
  const gap = chat.sendIntervalMs ?? 0;
  if (gap <= 0) return;
  const now = ctx.clock.now();
  const held = job.payload[BOOKED] as { channel?: unknown; at?: unknown; attempt?: unknown } | undefined;
  if (held?.channel === channel && typeof held.at === "string" && held.attempt === job.attempts && Date.parse(held.at) <= now.getTime()) return;
  const slot = await ctx.store.autocommit((uow) => uow.slots.book(chat.platform, channel, now, gap)); // one upsert: no BEGIN/COMMIT
  if (slot.getTime() <= now.getTime()) return;
  throw new DeferUntil(slot, { [BOOKED]: { channel, at: slot.toISOString(), attempt: job.attempts } });
}

/** Where a deferred job keeps a call it booked, one entry a method: `callSlot:<method>` → `{ at, attempt }`. */
const CALL_BOOKED = "callSlot:";

/**
 * Before platform calls limited per workspace (Slack's tiers, `ChatPort.callLimit`): books each one's
 * method slot, shared by every replica, as `takeSendSlot` books a channel's. All free means call now;
 * otherwise the job is deferred to the latest booked time (the attempt not counted) holding every
 * booking, and calls then without booking again. Bookings are made together so that a job making two
 * calls (a summary edit and its topic) is not deferred twice, the first booking going stale meanwhile.
 */
export async function takeCallSlots(ctx: { store: Store; clock: Clock }, chat: ChatPort, calls: ChatCall[], job: { payload: Record<string, unknown>; attempts: number }, to?: string): Promise<void> {
  const limits = calls.map((c) => chat.callLimit?.(c, to)).filter((l) => l !== undefined);
  if (limits.length === 0) return;
  const now = ctx.clock.now();
  const held = (method: string) => {
    const h = job.payload[CALL_BOOKED + method] as { at?: unknown; attempt?: unknown } | undefined;
    return typeof h?.at === "string" && h.attempt === job.attempts && Date.parse(h.at) <= now.getTime();
  };
  const wanted = limits.filter((l) => !held(l.method));
  if (wanted.length === 0) return;
  const slots = await ctx.store.transaction(async (uow) => {
    const out: { method: string; at: Date }[] = [];
    for (const l of wanted) out.push({ method: l.method, at: await uow.slots.bookWindow(chat.platform, l.method, now, l.limit, l.windowMs) });
    return out;
  });
  const latest = Math.max(...slots.map((s) => s.at.getTime()));
  if (latest <= now.getTime()) return;
  const payload: Record<string, unknown> = {};
  for (const s of slots) payload[CALL_BOOKED + s.method] = { at: s.at.toISOString(), attempt: job.attempts };
  throw new DeferUntil(new Date(latest), payload);
}
