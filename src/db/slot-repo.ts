/**
 * Per-channel send slots shared by every replica: `next_at` is the first moment no post to the
 * channel is booked. Taking a slot is one upsert that books the earliest free one (now, or the end of
 * the queue) and pushes `next_at` one gap further, so three replicas never post to one channel faster
 * than one would, and a post that must wait knows its own time.
 *
 * Booking rather than "try again when free" matters under a burst: 100 announcements to one channel
 * used to be deferred to the same next slot, where one won and 99 were deferred again, about
 * 100²/2 = 5,000 claims over the 100 s the queue lasts (each a claim, two reads and a write), which
 * held the war rooms of the same burst back. Booked, each post is claimed twice at most.
 */
import { and, eq, sql } from "drizzle-orm";
import type { SlotRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { channelSlots, methodSlots } from "./schema.js";

export class DrizzleSlotRepo implements SlotRepo {
  constructor(private readonly tx: Executor) {}

  async book(platform: string, channel: string, now: Date, gapMs: number): Promise<Date> {
    if (gapMs <= 0) return now;
    const gap = sql`make_interval(secs => ${gapMs / 1000})`;
    const nowAt = sql`${now.toISOString()}::timestamptz`;
    const [row] = await this.tx
      .insert(channelSlots)
      .values({ platform, channel, nextAt: sql`${nowAt} + ${gap}` })
      .onConflictDoUpdate({ target: [channelSlots.platform, channelSlots.channel], set: { nextAt: sql`greatest(${channelSlots.nextAt}, ${nowAt}) + ${gap}` } })
      .returning({ nextAt: channelSlots.nextAt });
    return new Date(row!.nextAt.getTime() - gapMs);
  }

  /**
   * A sliding window rather than a gap: Slack counts a tier's calls per minute and tolerates bursts,
   * so the first 20 of a Tier 2 burst go at once and the next 20 a minute later. Spaced evenly (3 s
   * apart) 30 war rooms would take 87 s to create instead of 60 s, and 5 would take 12 s instead of 0;
   * booked in windows, 30 P1s at once had every room ready at 61 s with no 429 (the limits allow 60 s;
   * test/integration/slack-rate-tiers.test.ts).
   * The row is locked for the read-modify-write (one statement more than the gap's upsert; bookings
   * are only the calls of tiered methods, a few a war room).
   */
  async bookWindow(platform: string, method: string, now: Date, limit: number, windowMs: number): Promise<Date> {
    const at = now.getTime();
    const key = and(eq(methodSlots.platform, platform), eq(methodSlots.method, method));
    // One statement makes the row if it is new and locks it either way, returning what is booked: an
    // update that changes nothing still takes the row's lock, as SELECT … FOR UPDATE would.
    const [row] = await this.tx
      .insert(methodSlots)
      .values({ platform, method, booked: [] })
      .onConflictDoUpdate({ target: [methodSlots.platform, methodSlots.method], set: { booked: sql`${methodSlots.booked}` } })
      .returning({ booked: methodSlots.booked });
    // Bookings a whole window old no longer count; the rest stay, those ahead of now included.
    const live = (row?.booked ?? []).filter((t) => t > at - windowMs).sort((a, b) => a - b);
    // The earliest time with fewer than `limit` bookings in the window before it: a window after the
    // `limit`-th latest booking.
    const slot = live.length < limit ? at : Math.max(at, live[live.length - limit]! + windowMs);
    live.push(slot);
    live.sort((a, b) => a - b);
    await this.tx.update(methodSlots).set({ booked: live }).where(key);
    return new Date(slot);
  }
}
