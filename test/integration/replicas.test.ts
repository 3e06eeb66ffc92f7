/**
 * The short form of `npm run chaos`, in process: three replicas (Slack adapter + bot each) on one
 * database against the fake Slack API failing 30 % of calls (half 429 Retry-After 1 s, half 500), a
 * manual clock moved a second at a time. Four P1s, two of them retried by Slack to another replica;
 * the first two acknowledged by a double click to two replicas. Each incident gets one war room, one
 * summary (pinned, first in the room), each page exactly once, and nothing is left queued. (The
 * crash, the lease take-over and real time are the script's part.)
 */
import { and, eq, inArray, lte, ne } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../src/adapters/slack/server.js";
import { createBot, type Bot } from "../../src/bot.js";
import { ManualClock } from "../../src/clock.js";
import { databaseReachable } from "../../src/db/health.js";
import { incidentEvents, incidents, outbox, pages, timers, warRooms } from "../../src/db/schema.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { ANNOUNCEMENTS, FakeSlackApi } from "../support/fake-slack-api.js";
import { ALICE, buttonPress, SECRET, sign, slashCommand, type SlackRequest } from "../support/slack-harness.js";

const LEVEL1 = "UPAGE00001";
const LEVEL2 = "UPAGE00002";
const level = (name: string, target: string) => ({ name, targets: { slack: [target] }, ackTimeoutMinutes: 1 });
const POLICY: Policy = {
  ...DEFAULT_POLICY,
  escalation: {
    businessHours: [level("on-call", LEVEL1), level("lead", LEVEL2)],
    offHours: [level("on-call", LEVEL1), level("lead", LEVEL2)],
    priorityTimeouts: {},
    repeatTopLevel: 0,
    managementLevel: "lead",
  },
};

describe.each(backends)("three replicas under chat-API faults on $name", (backend) => {
  let database: TestDatabase | null = null;
  let api: FakeSlackApi | null = null;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    await api?.close();
    await database?.destroy();
  });

  it("one war room and one pinned summary per incident, every page once, nothing left queued", async () => {
    database = await backend.open();
    const db = database;
    api = await FakeSlackApi.start();
    const fake = api;
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const replicas: { bot: Bot; base: string; settled: () => Promise<void> }[] = [];
    for (const name of ["a", "b", "c"]) {
      const env = { mode: "http" as const, botToken: "xoxb-test", signingSecret: SECRET, apiUrl: fake.url, announcementsChannel: ANNOUNCEMENTS };
      const metrics = new Metrics();
      const adapter = createSlackAdapter({ env, port: 0, log: silentLogger, metrics, health: () => databaseReachable(db.db), perChannelIntervalMs: 1_000 });
      const bot = createBot({ database: db, clock, policy: POLICY, chats: [adapter.chat], metrics, scheduler: { workerId: name } });
      adapter.attach(bot.ctx);
      const { port } = await adapter.start();
      replicas.push({ bot, base: `http://127.0.0.1:${port}`, settled: () => adapter.settled() });
      stops.push(async () => {
        await adapter.stop();
        await bot.stop();
      });
    }
    let seed = 7;
    fake.chaos = { rate: 0.3, retryAfter: 1, random: () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 };
    const send = (i: number, r: SlackRequest, headers: Record<string, string> = {}) =>
      fetch(`${replicas[i % 3]!.base}/slack/events`, { method: "POST", headers: { "content-type": r.contentType, ...sign(r.body), ...headers }, body: r.body }).then((x) => x.text());
    // The work a request started after its ack first (a loaded machine may still be declaring), then the timers.
    const drainAll = async () => {
      await Promise.all(replicas.map((r) => r.settled()));
      await Promise.all(replicas.map((r) => r.bot.scheduler.drain()));
    };
    const tick = async (seconds: number) => {
      for (let s = 0; s < seconds; s++) {
        await drainAll();
        clock.advance(1_000);
      }
      await drainAll();
    };

    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const cmd = slashCommand(`declare "Outage ${i + 1}" --impact I1 --urgency U1`, { responseUrl: fake.responseUrl(`d${i}`) });
        await Promise.all([send(i, cmd), i % 2 === 0 ? send(i + 1, cmd, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }) : null]);
      }),
    );
    await tick(20);
    const rooms = await db.db.select({ reference: incidents.reference, channel: warRooms.channelId }).from(warRooms).innerJoin(incidents, eq(incidents.id, warRooms.incidentId)).orderBy(incidents.id);
    for (const room of rooms.slice(0, 2)) {
      const press = buttonPress("incident_ack", room.reference, { channel: room.channel, user: ALICE });
      await Promise.all([send(0, press), send(1, press)]);
    }
    await tick(60);

    const stored = await db.db.select().from(incidents).orderBy(incidents.id);
    expect(stored).toHaveLength(4);
    for (const [n, i] of stored.entries()) {
      const channels = [...fake.channels.entries()].filter(([, c]) => c.name.includes(`-${i.reference.slice(-4)}-`));
      expect(channels.map(([, c]) => c.name)).toHaveLength(1);
      const [roomId] = channels[0]!;
      const inRoom = fake.posted.filter((p) => p.channel === roomId);
      expect(inRoom.filter((p) => p.text.startsWith(`${i.reference} · `))).toHaveLength(1);
      expect(inRoom[0]!.text.startsWith(`${i.reference} · `)).toBe(true);
      expect(fake.pins.filter((p) => p.channel === roomId)).toHaveLength(1);
      expect(inRoom.filter((p) => p.text.startsWith("Incident notice"))).toHaveLength(1);
      expect(fake.posted.filter((p) => p.channel === ANNOUNCEMENTS && p.text.includes(`Incident declared: ${i.reference}`))).toHaveLength(1);
      const acked = n < 2;
      expect(i.acknowledgedAt !== null).toBe(acked);
      const pagesTo = (who: string) => fake.posted.filter((p) => p.channel === who && p.text.includes(i.reference) && !p.text.includes("stand down"));
      expect(pagesTo(LEVEL1)).toHaveLength(1);
      expect(pagesTo(LEVEL2)).toHaveLength(acked ? 0 : 1);
      expect(inRoom.filter((p) => p.text.includes("Paging level 2"))).toHaveLength(acked ? 0 : 1);
      const acks = await db.db.select().from(incidentEvents).where(and(eq(incidentEvents.incidentId, i.id), eq(incidentEvents.kind, "acknowledged")));
      expect(acks).toHaveLength(acked ? 1 : 0);
    }
    expect(await db.db.select().from(outbox).where(ne(outbox.status, "sent"))).toEqual([]);
    expect(await db.db.select().from(pages).where(and(eq(pages.status, "queued"), ne(pages.channel, "dm")))).toEqual([]);
    expect(await db.db.select().from(timers).where(and(inArray(timers.status, ["pending", "running", "waiting"]), lte(timers.dueAt, clock.now())))).toEqual([]);
  }, 60_000);
});
