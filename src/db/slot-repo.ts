/**
 * Per-channel send slots shared by every replica: the next moment a message may be posted to a
 * channel. Taking the slot is one upsert that only succeeds when the slot is free, so three replicas
 * never post to one channel faster than one would; a send that finds it taken is deferred to it.
 */
import { and, eq, lte } from "drizzle-orm";
import type { SlotRepo } from "../app/ports.js";
import type { Executor } from "./client.js";
import { channelSlots } from "./schema.js";

export class DrizzleSlotRepo implements SlotRepo {
  constructor(private readonly tx: Executor) {}

  async take(platform: string, channel: string, now: Date, gapMs: number): Promise<Date | null> {
    if (gapMs <= 0) return null;
    const nextAt = new Date(now.getTime() + gapMs);
    const [taken] = await this.tx
      .insert(channelSlots)
      .values({ platform, channel, nextAt })
      .onConflictDoUpdate({ target: [channelSlots.platform, channelSlots.channel], set: { nextAt }, setWhere: lte(channelSlots.nextAt, now) })
      .returning({ nextAt: channelSlots.nextAt });
    if (taken) return null;
    const [slot] = await this.tx
      .select({ nextAt: channelSlots.nextAt })
      .from(channelSlots)
      .where(and(eq(channelSlots.platform, platform), eq(channelSlots.channel, channel)));
    return slot?.nextAt ?? null;
  }
}
