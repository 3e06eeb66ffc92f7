/**
 * Per-channel spacing shared by replicas: two bots on one database posting to one channel take turns
 * through the send slot in the database, one post per interval, never two at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ChatPort } from "../../src/app/ports.js";
import { createBot, type Bot } from "../../src/bot.js";
import { ManualClock } from "../../src/clock.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import type { ChatMessage } from "../../src/domain/views.js";
import { backends, type TestDatabase } from "../support/databases.js";

function recordingChat(sent: { channel: string; at: number; by: string }[], by: string, clock: ManualClock): ChatPort {
  return {
    platform: "slack",
    sendIntervalMs: 1_000,
    createChannel: async () => ({ channelId: "C", name: "c" }),
    post: async (channel: string, m: ChatMessage) => {
      sent.push({ channel, at: clock.now().getTime(), by });
      return { messageId: m.headline };
    },
    update: async () => {},
    pin: async () => {},
    dm: async () => ({ messageId: "d" }),
    announcementsChannel: () => null,
  };
}

describe.each(backends)("send slots on $name", (backend) => {
  let database: TestDatabase | null = null;
  const bots: Bot[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop();
    await database?.destroy();
  });

  it("two replicas post to one channel one message per second between them", async () => {
    database = await backend.open();
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const sent: { channel: string; at: number; by: string }[] = [];
    for (const by of ["a", "b"]) bots.push(createBot({ database, clock, policy: DEFAULT_POLICY, chats: [recordingChat(sent, by, clock)], scheduler: { workerId: by } }));
    const [a, b] = bots as [Bot, Bot];
    await a.ctx.store.transaction(async (uow) => {
      for (let i = 0; i < 3; i++) await uow.outbox.enqueue({ key: `m${i}`, platform: "slack", target: "C1", action: "post", message: { kind: "notice", headline: `m${i}`, fields: [] } }, clock.now());
      await uow.outbox.enqueue({ key: "other", platform: "slack", target: "C2", action: "post", message: { kind: "notice", headline: "other", fields: [] } }, clock.now());
    });
    await Promise.all([a.scheduler.drain(), b.scheduler.drain()]);
    expect(sent.map((s) => s.channel).sort()).toEqual(["C1", "C2"]); // another channel is not held back
    for (let i = 0; i < 2; i++) {
      clock.advance(1_000);
      await Promise.all([a.scheduler.drain(), b.scheduler.drain()]);
    }
    const c1 = sent.filter((s) => s.channel === "C1").map((s) => s.at - sent[0]!.at);
    expect(c1).toEqual([0, 1_000, 2_000]);
  });

  it("two replicas booking one method's calls (a Slack tier, 20 a minute) share one window: a burst of 20 now, the rest a minute on", async () => {
    database = await backend.open();
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    for (const by of ["a", "b"]) bots.push(createBot({ database, clock, policy: DEFAULT_POLICY, chats: [recordingChat([], by, clock)], scheduler: { workerId: by } }));
    const t0 = clock.now().getTime();
    const book = (bot: Bot) => bot.ctx.store.transaction((uow) => uow.slots.bookWindow("slack", "conversations.create", clock.now(), 20, 60_000));
    const first = await Promise.all(Array.from({ length: 25 }, (_, i) => book(bots[i % 2]!)));
    const at = first.map((d) => d.getTime() - t0).sort((x, y) => x - y);
    expect(at).toEqual([...Array(20).fill(0), ...Array(5).fill(60_000)]);
    clock.advance(61_000); // the first 20 have left the window; the 5 booked at 60 s still count
    const later = await Promise.all(Array.from({ length: 16 }, (_, i) => book(bots[i % 2]!)));
    expect(later.map((d) => d.getTime() - t0).sort((x, y) => x - y)).toEqual([...Array(15).fill(61_000), 120_000]);
    // Another method has its own window.
    expect((await bots[0]!.ctx.store.transaction((uow) => uow.slots.bookWindow("slack", "pins.add", clock.now(), 20, 60_000))).getTime()).toBe(t0 + 61_000);
  });

  /** One bot with `n` posts to channel C1 queued at once, keyed `<prefix><i>`. */
  async function queuedPosts(n: number, prefix: string) {
    database = await backend.open();
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const sent: { channel: string; at: number; by: string }[] = [];
    const bot = createBot({ database, clock, policy: DEFAULT_POLICY, chats: [recordingChat(sent, "a", clock)], scheduler: { workerId: "a" } });
    bots.push(bot);
    await bot.ctx.store.transaction(async (uow) => {
      for (let i = 0; i < n; i++) await uow.outbox.enqueue({ key: `${prefix}${i}`, platform: "slack", target: "C1", action: "post", message: { kind: "notice", headline: `${prefix}${i}`, fields: [] } }, clock.now());
    });
    return { bot, clock, sent };
  }

  it("a queue of posts to one channel books its slots: each waiting post runs once more, at its slot, in turn", async () => {
    const { bot, clock, sent } = await queuedPosts(5, "q");
    let runs = await bot.scheduler.drain();
    for (let i = 0; i < 4; i++) {
      clock.advance(1_000);
      runs += await bot.scheduler.drain();
    }
    const t0 = sent[0]!.at;
    expect(sent.map((s) => s.at - t0)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    // 5 first runs, and 4 more at the booked slots (not 4 + 3 + 2 + 1 retries of a slot taken again).
    expect(runs).toBe(9);
  });
  it("a post that runs long after its slot (a busy replica) still uses its booking: the queue drains", async () => {
    const { bot, clock, sent } = await queuedPosts(3, "late");
    let runs = await bot.scheduler.drain();
    // Nothing runs for a minute; then each waiting post runs once and posts with the slot it booked.
    clock.advance(60_000);
    runs += await bot.scheduler.drain();
    clock.advance(1_000);
    runs += await bot.scheduler.drain();
    expect(sent.map((s) => s.channel)).toEqual(["C1", "C1", "C1"]);
    expect(runs).toBe(5);
  });
});
