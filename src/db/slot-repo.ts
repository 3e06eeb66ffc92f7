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
import { sql } from "drizzle-orm";
import type { SlotRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { channelSlots } from "./schema.js";

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
}
