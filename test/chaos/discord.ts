/**
 * The Discord run of `npm run chaos`: three bot replicas on one PostgreSQL database serving Discord
 * interactions over HTTP (`DISCORD_PUBLIC_KEY`, requests signed as Discord signs them), against the
 * fake Discord API failing 30 % of the bot's REST calls (half 429 with retry_after 1 s, half 500;
 * interaction answers spared, as Slack's response_url is). It declares 12 P1s — every third one
 * delivered to two replicas at once, as a load balancer retry would — kills one replica with SIGKILL
 * between the level-1 and level-2 pages, and acknowledges six incidents, each press delivered to both
 * live replicas and clicked a second time. Checks: one answer per interaction (the HTTP answers of
 * all its deliveries together, and no callback through the API; a button's is a deferred update and
 * its confirmation one post in the war room), then the same as the Slack run: one
 * war room and one pinned summary per incident, every page exactly once, level-2 pages within 5 s of
 * due, deliveries within 60 s, nothing left queued. Bounded: about 100 s.
 */
import type postgres from "postgres";
import { ALREADY_HANDLED } from "../../src/adapters/http/discord-interactions.js";
import { buttonPress, slashCommand } from "../support/discord-harness.js";
import { discordKeys, postInteraction } from "../support/discord-http.js";
import { ANNOUNCEMENTS_ID, APP_ID, CATEGORY_ID, FakeDiscordApi, GUILD_ID } from "../support/fake-discord-api.js";
import { ACKED, checks, checkTimeliness, checkWhatPeopleSaw, INCIDENTS, killAfterLevel1, log, policyFor, seeded, settle, sleep, withReplicas, type Left, type Replica, type Seen } from "./replicas.js";

const LEVEL1 = "1200000000000000011";
const LEVEL2 = "1200000000000000012";
type Json = Record<string, any>;
/** A button answered with a deferred update: its confirmation is an outbox post in the war room. */
const UPDATE = "(deferred update)";

export async function discordRun(): Promise<number> {
  const api = await FakeDiscordApi.start();
  const keys = discordKeys();
  /** Every HTTP answer, by interaction id (several when one interaction was delivered to several replicas). */
  const answers = new Map<string, { status: number; body: any }[]>();
  const deliver = async (r: Replica, packet: Json) => {
    const answer = await postInteraction(`http://127.0.0.1:${r.port}/discord/interactions`, keys, packet).catch(() => ({ status: 0, body: null }));
    answers.set(packet.id, [...(answers.get(packet.id) ?? []), answer]);
  };
  try {
    const env = {
      DISCORD_TOKEN: "chaos-token", DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_INCIDENTS_CATEGORY: CATEGORY_ID,
      DISCORD_ANNOUNCEMENTS_CHANNEL: ANNOUNCEMENTS_ID, DISCORD_API_URL: api.url, DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    };
    return await withReplicas(policyFor("discord", LEVEL1, LEVEL2), env, async (run) => {
      const { db, replicas } = run;
      api.chaos = { rate: 0.3, retryAfter: 1, random: seeded() };
      log(`Discord: 3 replicas up, interactions over HTTP (logs in ${run.dir}); the fake Discord API fails 30 % of calls`);

      const declares: Json[] = [];
      const declaredAt = Date.now();
      await Promise.all(
        Array.from({ length: INCIDENTS }, async (_, i) => {
          const packet = slashCommand("declare", { title: `Chaos outage ${i + 1}`, impact: "I1", urgency: "U1" });
          declares.push(packet);
          await Promise.all([deliver(replicas[i % 3]!, packet), ...(i % 3 === 0 ? [deliver(replicas[(i + 1) % 3]!, packet)] : [])]);
        }),
      );
      log(`declared ${INCIDENTS} P1s (${INCIDENTS / 3} of them delivered to two replicas)`);

      await killAfterLevel1(run, declaredAt);

      // Each press of Acknowledge delivered to both live replicas at once, then a second click.
      const rooms = await db`select i.reference, w.channel_id from incidents i join war_rooms w on w.incident_id = i.id order by i.id`;
      const live = replicas.filter((r) => r.alive);
      const presses: Json[][] = [];
      const summaryOf = (room: (typeof rooms)[number]) => [...api.messages.values()].find((m) => m.channel_id === room.channel_id && textOf(m).startsWith(`${room.reference} · `));
      // A person presses Acknowledge on the pinned summary once it is there: with 30 % of calls failing,
      // a room's summary may still be retrying when the level-1 direct messages are all out.
      for (const started = Date.now(); rooms.slice(0, ACKED).some((r) => !summaryOf(r)) && Date.now() - started < 30_000; ) await sleep(250);
      await Promise.all(
        rooms.slice(0, ACKED).map(async (room) => {
          const summary = summaryOf(room);
          if (!summary) return;
          const first = buttonPress(`incident:ack:${room.reference}`, summary);
          const second = buttonPress(`incident:ack:${room.reference}`, summary);
          presses.push([first, second]);
          await Promise.all([...live.map((r) => deliver(r, first)), deliver(live[0]!, second)]);
        }),
      );
      log(`acknowledged ${presses.length} incidents: each press delivered to ${live.length} replicas, and clicked twice`);
      return await check(db, api, await settle(db, declaredAt), answers, declares, presses);
    });
  } finally {
    await api.close();
  }
}

/** What a Discord message shows as text: content, then each embed's title, description and fields. */
function textOf(m: Json): string {
  const embeds = (m.embeds ?? []) as Json[];
  return [m.content, ...embeds.flatMap((e) => [e.title, e.description, ...((e.fields ?? []) as Json[]).flatMap((f) => [f.name, f.value])])].filter(Boolean).join("\n");
}

/**
 * What the person who interacted saw: the substantive HTTP answers of its deliveries (a message, not
 * the private "already handled"), plus the edits of a deferred answer (every delivery shares the
 * interaction's token, so one edit answers them all). A deferred answer nobody edits is "thinking…"
 * forever, so it counts as a failure.
 */
function seenAnswers(api: FakeDiscordApi, packet: Json, got: { body: any }[]): { texts: string[]; stuck: boolean } {
  // A refusal changes nothing and records no request key: every delivery gets the same sentence.
  const refusals = new Set(got.filter((a) => a.body?.type === 4 && a.body.data?.flags === 64 && a.body.data.content !== ALREADY_HANDLED).map((a) => String(a.body.data.content)));
  const direct = [
    ...refusals,
    ...got.filter((a) => a.body?.type === 4 && a.body.data?.flags !== 64).map((a) => String(a.body.data.content)),
    ...got.filter((a) => a.body?.type === 6).map(() => UPDATE),
  ];
  const edits = api.callsTo("PATCH", new RegExp(`^/webhooks/\\d+/${packet.token}/messages/@original$`)).map((c) => String(c.body.content));
  // A delivery that waited on the other's transaction may have deferred, then found the interaction
  // handled: with another delivery answered directly, that answer is the one.
  return { texts: [...direct, ...edits], stuck: got.some((a) => a.body?.type === 5) && edits.length === 0 && direct.length === 0 };
}

async function check(db: postgres.Sql, api: FakeDiscordApi, left: Left, answers: Map<string, { status: number; body: any }[]>, declares: Json[], presses: Json[][]): Promise<number> {
  const { expect, done } = checks();
  log(`${api.calls.length} REST calls`);
  // One answer per interaction: whatever its deliveries, the person sees one answer, none through the callback route.
  const answer = (packet: Json): string => {
    const got = answers.get(packet.id) ?? [];
    expect(got.every((a) => a.status === 200), `interaction ${packet.id}: HTTP ${got.map((a) => a.status).join(", ")}`);
    expect(api.callbacks(packet.id).length === 0, `interaction ${packet.id}: answered through the callback route`);
    const { texts, stuck } = seenAnswers(api, packet, got);
    expect(texts.length === 1 && !stuck, `interaction ${packet.id}: ${texts.length} answers${stuck ? ", one left deferred" : ""} (${texts.join(" / ")})`);
    return texts[0] ?? "";
  };
  let interactions = 0;
  for (const packet of declares) {
    interactions++;
    const text = answer(packet);
    expect(/^Declared INC-\d{4}-\d{4} · P1/.test(text), `declare ${packet.id} answered: ${text}`);
  }
  for (const [first, second] of presses) {
    interactions += 2;
    const texts = [answer(first!), answer(second!)];
    const acks = texts.filter((t) => t === UPDATE).length;
    const refused = texts.filter((t) => / was already acknowledged by /.test(t)).length;
    expect(acks === 1 && refused === 1, `two presses on one incident answered: ${texts.join(" / ")}`);
    const room = first!.channel_id as string;
    const confirmations = [...api.messages.values()].filter((m) => m.channel_id === room && / acknowledged by /.test(textOf(m)) && !/already/.test(textOf(m))).length;
    expect(confirmations === 1, `the acknowledgement was confirmed ${confirmations} times in the war room`);
  }
  const deliveries = [...answers.values()].reduce((n, a) => n + a.length, 0);
  const deferred = [...answers.values()].flat().filter((a) => a.body?.type === 5).length;
  const repeats = [...answers.values()].flat().filter((a) => a.body?.data?.content === ALREADY_HANDLED).length;
  log(`${interactions} interactions, ${deliveries} deliveries to replicas (${deferred} answered deferred, ${repeats} "already handled")`);

  const dmTo = new Map<string, string>();
  for (const ch of api.channels.values()) if (ch.type === 1) dmTo.set(ch.id, ch.recipients?.[0]?.id);
  const messages = [...api.messages.values()];
  const seen: Seen = {
    rooms: (seq) => [...api.channels.values()].filter((c) => c.type === 0 && new RegExp(`^inc-\\d{8}-${seq}-`).test(c.name ?? "")).map((c) => ({ id: c.id, name: c.name })),
    posts: (channel) => messages.filter((m) => m.channel_id === channel).map(textOf),
    pins: (channel) => messages.filter((m) => m.channel_id === channel && api.pins.has(m.id)).length,
    dms: (user) => messages.filter((m) => dmTo.get(m.channel_id) === user).map(textOf),
  };
  await checkWhatPeopleSaw(db, seen, { announcements: ANNOUNCEMENTS_ID, level1: LEVEL1, level2: LEVEL2 }, expect);
  await checkTimeliness(db, left, expect);
  return done(`Discord: ${INCIDENTS} incidents, one answer per interaction, one war room and one pinned summary each, every page exactly once, nothing left queued`);
}
