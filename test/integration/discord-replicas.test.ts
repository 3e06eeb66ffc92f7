/**
 * The short form of `npm run chaos -- discord`, in process: three replicas (Discord adapter, bot and
 * the interactions endpoint each) on one database, against the fake Discord API failing 30 % of the
 * bot's calls (half 429, half 500), a manual clock moved a second at a time. Three P1s, each delivered
 * to two replicas at once; the first acknowledged by one press delivered to two replicas plus a second
 * click. One answer per interaction, one war room with one pinned summary per incident, every page
 * once, the acknowledgement confirmed once, nothing left queued. (The crash and real time are the
 * script's part.)
 */
import { and, eq, inArray, lte, ne } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ALREADY_HANDLED, discordInteractionRoutes, INTERACTIONS_PATH } from "../../src/adapters/http/discord-interactions.js";
import { createDiscordAdapter } from "../../src/adapters/discord/server.js";
import { startHttpServer } from "../../src/adapters/http/server.js";
import { createBot, type Bot } from "../../src/bot.js";
import { ManualClock } from "../../src/clock.js";
import { incidentEvents, incidents, outbox, timers } from "../../src/db/schema.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { buttonPress, slashCommand } from "../support/discord-harness.js";
import { discordKeys, postInteraction } from "../support/discord-http.js";
import { ANNOUNCEMENTS_ID, APP_ID, CATEGORY_ID, FakeDiscordApi, GUILD_ID } from "../support/fake-discord-api.js";

const LEVEL1 = "1200000000000000011";
const LEVEL2 = "1200000000000000012";
const level = (name: string, target: string) => ({ name, targets: { discord: [target] }, ackTimeoutMinutes: 1 });
const POLICY: Policy = {
  ...DEFAULT_POLICY,
  escalation: { businessHours: [level("on-call", LEVEL1), level("lead", LEVEL2)], offHours: [level("on-call", LEVEL1), level("lead", LEVEL2)], priorityTimeouts: {}, repeatTopLevel: 0, managementLevel: "lead" },
};
type Json = Record<string, any>;
const textOf = (m: Json): string => [m.content, ...((m.embeds ?? []) as Json[]).flatMap((e) => [e.title, e.description])].filter(Boolean).join("\n");

describe.each(backends)("three replicas answering Discord interactions over HTTP on $name", (backend) => {
  let database: TestDatabase | null = null;
  let api: FakeDiscordApi | null = null;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    await api?.close();
    await database?.destroy();
  });

  it("one answer per interaction, one war room and one pinned summary per incident, every page once", async () => {
    database = await backend.open();
    const db = database;
    api = await FakeDiscordApi.start();
    const fake = api;
    const keys = discordKeys();
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    const replicas: { bot: Bot; url: string; settled: () => Promise<void> }[] = [];
    for (const name of ["a", "b", "c"]) {
      const env = { token: "t", applicationId: APP_ID, guildId: GUILD_ID, incidentsCategory: CATEGORY_ID, announcementsChannel: ANNOUNCEMENTS_ID, apiUrl: fake.url, publicKey: keys.publicKeyHex };
      const adapter = createDiscordAdapter({ env, log: silentLogger, metrics: new Metrics() });
      const bot = createBot({ database: db, clock, policy: POLICY, chats: [adapter.chat], scheduler: { workerId: name } });
      adapter.attach(bot.ctx);
      const { server, port } = await startHttpServer(0, discordInteractionRoutes({ publicKey: keys.publicKeyHex, receiver: () => adapter, log: silentLogger }));
      replicas.push({ bot, url: `http://127.0.0.1:${port}${INTERACTIONS_PATH}`, settled: () => adapter.settled() });
      stops.push(async () => {
        await new Promise((r) => server.close(r));
        await adapter.stop();
        await bot.stop();
      });
    }
    let seed = 11;
    // retry_after 0.1 s: discord.js waits a short 429 out in place, in real time.
    fake.chaos = { rate: 0.3, retryAfter: 0.1, random: () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 };
    const answers = new Map<string, any[]>();
    const deliver = async (i: number, packet: Json) => {
      const { status, body } = await postInteraction(replicas[i % 3]!.url, keys, packet);
      expect(status).toBe(200);
      answers.set(packet.id, [...(answers.get(packet.id) ?? []), body]);
    };
    const drainAll = async () => {
      await Promise.all(replicas.map((r) => r.settled()));
      await Promise.all(replicas.map((r) => r.bot.scheduler.drain()));
    };
    const tick = async (seconds: number, step = 1) => {
      for (let s = 0; s < seconds; s += step) {
        await drainAll();
        clock.advance(step * 1_000);
      }
      await drainAll();
    };

    const declares = [0, 1, 2].map((i) => slashCommand("declare", { title: `Outage ${i + 1}`, impact: "I1", urgency: "U1" }));
    await Promise.all(declares.map((p, i) => Promise.all([deliver(i, p), deliver(i + 1, p)])));
    await tick(10);
    const stored = await db.db.select().from(incidents).orderBy(incidents.id);
    expect(stored).toHaveLength(3);
    const room = (ref: string) => [...fake.channels.values()].find((c) => c.type === 0 && c.name?.includes(`-${ref.slice(-4)}-`))!;
    const summary = [...fake.messages.values()].find((m) => m.channel_id === room(stored[0]!.reference).id && textOf(m).startsWith(`${stored[0]!.reference} · `))!;
    const press = buttonPress(`incident:ack:${stored[0]!.reference}`, summary);
    const click = buttonPress(`incident:ack:${stored[0]!.reference}`, summary);
    await Promise.all([deliver(0, press), deliver(1, press), deliver(2, click)]);
    await tick(10);
    await tick(60, 5); // to the level-2 pages, in bigger steps (retries are due within a second or two)

    // One answer per interaction, none through the API: a message, a deferred update, or the one edit
    // of deferred answers (deliveries share the interaction's token); the other deliveries "already handled".
    const seen = (p: Json): string[] => {
      const got = answers.get(p.id)!;
      const edits = fake.callsTo("PATCH", new RegExp(`^/webhooks/\\d+/${p.token}/messages/@original$`)).map((c) => String(c.body.content));
      // A delivery that waited on the other's transaction may have deferred, then found the interaction
      // handled: the other delivery's answer is the one (Discord takes one HTTP answer per interaction).
      if (got.some((b) => b.type === 5) && !got.some((b) => b.type === 4 || b.type === 6)) expect(edits, `interaction ${p.id} left deferred`).toHaveLength(1);
      // A refusal changes nothing and records no request key: every delivery gets the same sentence.
      const refusals = new Set(got.filter((b) => b.type === 4 && b.data.flags === 64 && b.data.content !== ALREADY_HANDLED).map((b) => String(b.data.content)));
      const messages = got.filter((b) => b.type === 4 && b.data.flags !== 64).map((b) => String(b.data.content));
      return [...refusals, ...messages, ...got.filter((b) => b.type === 6).map(() => "(update)"), ...edits];
    };
    for (const p of [...declares, press, click]) {
      expect(seen(p), `interaction ${p.id}`).toHaveLength(1);
      expect(fake.callbacks(p.id)).toEqual([]);
    }
    const declared = declares.map((p) => seen(p)[0]!);
    expect(declared).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^Declared INC-2026-000\\d · P1 Critical · Outage ${n}\\.`))));
    expect(declared.map((t) => t.slice(9, 22)).sort()).toEqual(stored.map((i) => i.reference));
    expect([press, click].map((p) => seen(p)[0]!).sort()).toEqual(["(update)", expect.stringMatching(/ was already acknowledged by /)]);

    const dmTo = new Map([...fake.channels.values()].filter((c) => c.type === 1).map((c) => [c.id, c.recipients[0].id as string]));
    for (const [n, i] of stored.entries()) {
      const roomId = room(i.reference).id;
      expect([...fake.channels.values()].filter((c) => c.type === 0 && c.name?.includes(`-${i.reference.slice(-4)}-`))).toHaveLength(1);
      const inRoom = [...fake.messages.values()].filter((m) => m.channel_id === roomId).map(textOf);
      expect(inRoom.filter((t) => t.startsWith(`${i.reference} · `))).toHaveLength(1);
      expect(inRoom[0]!.startsWith(`${i.reference} · `)).toBe(true);
      expect([...fake.messages.values()].filter((m) => m.channel_id === roomId && fake.pins.has(m.id))).toHaveLength(1);
      expect(inRoom.filter((t) => t.startsWith("Incident notice"))).toHaveLength(1);
      expect([...fake.messages.values()].filter((m) => m.channel_id === ANNOUNCEMENTS_ID && textOf(m).includes(`Incident declared: ${i.reference}`))).toHaveLength(1);
      const acked = n === 0;
      expect(inRoom.filter((t) => t.startsWith(`${i.reference} acknowledged by`))).toHaveLength(acked ? 1 : 0);
      const pagesTo = (who: string) => [...fake.messages.values()].filter((m) => dmTo.get(m.channel_id) === who && textOf(m).includes(i.reference) && !textOf(m).includes("stand down"));
      expect(pagesTo(LEVEL1)).toHaveLength(1);
      expect(pagesTo(LEVEL2)).toHaveLength(acked ? 0 : 1);
      const acks = await db.db.select().from(incidentEvents).where(and(eq(incidentEvents.incidentId, i.id), eq(incidentEvents.kind, "acknowledged")));
      expect(acks).toHaveLength(acked ? 1 : 0);
    }
    expect(await db.db.select().from(outbox).where(ne(outbox.status, "sent"))).toEqual([]);
    expect(await db.db.select().from(timers).where(and(inArray(timers.status, ["pending", "running", "waiting"]), lte(timers.dueAt, clock.now())))).toEqual([]);
  }, 60_000);
});
