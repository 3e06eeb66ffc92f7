/**
 * Declaring through Slack at the wire, on every backend: the real Bolt App receiving signed requests,
 * the real Web API client talking to the fake Slack API. A P1 opens its war room (create, invite,
 * topic, summary + pin, announcement); Slack's retry of the same request changes nothing; a taken
 * name gets a new suffix; rate limits and outages are retried, and the declarer is told.
 */
import { and, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WORK_LIMIT } from "../../../src/adapters/work-limit.js";
import { incidents, outbox, timers, warRooms } from "../../../src/db/schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ANNOUNCEMENTS, BOT_USER, GENERAL } from "../../support/fake-slack-api.js";
import { ALICE, sign, slackHarness, type SlackHarness, useSlackHarness, slashCommand } from "../../support/slack-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";
const DECLARE = 'declare "Payment API down" --impact I1 --urgency U2 --service payments';

describe.each(backends)("Slack declare on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  useSlackHarness(backend, (t) => ({ h, database } = t));

  it("a signed /incident declare … --impact I1 --urgency U2 yields create, invite, topic, summary + pin and the announcement", async () => {
    const cmd = slashCommand(DECLARE, { responseUrl: h.api.responseUrl("r1") });
    const res = await h.post(cmd);
    expect(res.status).toBe(200);

    const [reply] = h.api.callsTo("response_url");
    expect(reply).toMatchObject({ response_type: "in_channel" });
    expect(reply!.text).toContain("Declared INC-2026-0001 · P1 Critical · Payment API down.");
    expect(reply!.text).toContain(`War room: #${ROOM}`);

    expect(h.api.callsTo("conversations.create")).toEqual([expect.objectContaining({ name: ROOM })]);
    const room = h.api.channelByName(ROOM)!;
    expect(h.api.callsTo("conversations.invite")).toEqual([expect.objectContaining({ channel: room, users: ALICE })]);
    expect(h.api.callsTo("conversations.setTopic")[0]).toMatchObject({ channel: room, topic: `P1 Critical · declared · IM @${ALICE} · INC-2026-0001` });

    const posts = h.api.callsTo("chat.postMessage");
    const summary = posts.find((p) => p.channel === room)!;
    expect(summary.blocks[0].text.text).toBe("*INC-2026-0001 · P1 Critical · Payment API down*");
    const buttons = summary.blocks.find((b: { type: string }) => b.type === "actions").elements;
    expect(buttons.map((b: { action_id: string; value: string }) => [b.action_id, b.value])).toEqual([
      ["incident_ack", "INC-2026-0001"],
      ["incident_update", "INC-2026-0001"],
      ["incident_resolve", "INC-2026-0001"],
    ]);
    const summaryTs = [...h.api.channels.get(room)!.messages.keys()][0]!;
    expect(h.api.pins).toEqual([{ channel: room, ts: summaryTs }]);
    const announcement = posts.find((p) => p.channel === ANNOUNCEMENTS)!;
    expect(announcement.text).toBe("Incident declared: INC-2026-0001 · P1 Critical · Payment API down");
    expect(h.api.calls.filter((c) => c.method !== "response_url").every((c) => c.auth === "Bearer xoxb-test")).toBe(true);

    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ reference: "INC-2026-0001", priority: "P1", platform: "slack", originChannel: GENERAL, declaredBy: ALICE, service: "payments" });
    expect(await database.db.select().from(warRooms)).toEqual([expect.objectContaining({ platform: "slack", channelId: room, channelName: ROOM, summaryMessageId: summaryTs })]);
    const notice = posts.find((p) => p.channel === room && p.text.startsWith("Incident notice"))!;
    expect(JSON.stringify(notice.blocks)).toContain("*Next update*\\n2026-11-23 11:30 UTC+01:00");
    expect((await database.db.select().from(outbox).orderBy(outbox.id)).map((o) => [o.target, o.status])).toEqual([["warroom", "sent"], ["announcements", "sent"]]);
  });

  it("the same request again with X-Slack-Retry-Num: 1 yields nothing new", async () => {
    const cmd = slashCommand(DECLARE, { responseUrl: h.api.responseUrl("r1") });
    await h.post(cmd);
    const before = h.api.calls.length;
    const again = await h.post(cmd, { ...sign(cmd.body), "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    expect(again.status).toBe(200);
    expect(h.api.calls.length).toBe(before);
    expect(await database.db.select().from(incidents)).toHaveLength(1);
    expect(await database.db.select().from(warRooms)).toHaveLength(1);
    expect(await database.db.select().from(outbox).orderBy(outbox.id)).toHaveLength(2);
  });

  it("a taken channel name gets a new suffix, never another channel", async () => {
    h.api.channels.set("COLD000001", { name: ROOM, topic: "", members: new Set([BOT_USER]), archived: false, messages: new Map() });
    await h.post(slashCommand(DECLARE));
    const names = h.api.callsTo("conversations.create").map((c) => c.name);
    expect(names).toEqual([ROOM, `${ROOM}-2`]);
    const [room] = await database.db.select().from(warRooms);
    expect(room).toMatchObject({ channelName: `${ROOM}-2` });
    expect(room!.channelId).not.toBe("COLD000001");
    expect(h.api.channels.get("COLD000001")!.messages.size).toBe(0);
  });

  it("a failure after the channel exists (invite) is retried in that channel, not a second one", async () => {
    h.api.fail("conversations.invite", { status: 500 }, 1);
    await h.post(slashCommand(DECLARE));
    await h.advance(60_000);
    expect(h.api.callsTo("conversations.create").map((c) => c.name)).toEqual([ROOM]);
    expect(h.api.callsTo("conversations.invite")).toHaveLength(2);
    expect(await database.db.select().from(warRooms)).toEqual([expect.objectContaining({ channelName: ROOM })]);
  });

  it("a taken name whose topic carries this incident's marker is adopted (an attempt whose reply was lost), not made again as -2", async () => {
    h.api.channels.set("CLOST00001", { name: ROOM, topic: "P1 Critical · declared · IM @x · INC-2026-0001", members: new Set([BOT_USER]), archived: false, messages: new Map() });
    for (let i = 0; i < 120; i++) h.api.channels.set(`CFILL${i}`, { name: `other-${i}`, topic: "", members: new Set(), archived: false, messages: new Map() });
    await h.post(slashCommand(DECLARE));
    expect(h.api.callsTo("conversations.create").map((c) => c.name)).toEqual([ROOM]);
    expect(h.api.callsTo("conversations.list").length).toBeGreaterThanOrEqual(1);
    expect(await database.db.select().from(warRooms)).toEqual([expect.objectContaining({ channelId: "CLOST00001", channelName: ROOM })]);
    expect(h.api.pins).toEqual([{ channel: "CLOST00001", ts: expect.any(String) }]);
  });

  it("a failed pin is retried alone: the summary is posted once, and the notice waits for the pin, then follows it", async () => {
    h.api.fail("pins.add", { status: 500 }, 2);
    await h.post(slashCommand(DECLARE));
    const room = h.api.channelByName(ROOM)!;
    const inRoom = () => h.api.callsTo("chat.postMessage").filter((p) => p.channel === room);
    expect(inRoom()).toHaveLength(1); // the summary; the notice and the page mention wait
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === ANNOUNCEMENTS)).toHaveLength(1); // not held back
    const [parked] = await database.db.select().from(timers).where(eq(timers.kind, "deliver")).then((r) => r.filter((t) => t.status === "waiting"));
    expect(parked).toMatchObject({ waitFor: expect.stringMatching(/^room:/) });
    for (let i = 0; i < 3; i++) await h.advance(2_000); // the pin's quick retries
    expect(h.api.callsTo("pins.add")).toHaveLength(3);
    // Released by the pin: the initial notice and the level-1 page mention, after the summary.
    expect(inRoom()[0]!.text.slice(0, 15)).toBe("INC-2026-0001 ·");
    expect(inRoom().slice(1).map((p) => p.text.slice(0, 15)).sort()).toEqual(["Incident notice", "📟 Paging level"]);
    const [row] = await database.db.select().from(warRooms);
    expect(h.api.pins).toEqual([{ channel: room, ts: row!.summaryMessageId }]);
    expect(await database.db.select().from(timers).where(eq(timers.status, "waiting"))).toEqual([]);
  });

  it("a failed post of the summary is retried without a second channel, and the summary is posted once", async () => {
    h.api.fail("chat.postMessage", { status: 500 }, 1);
    h.api.fail("conversations.setTopic", { status: 429, retryAfter: 1 }, 1);
    await h.post(slashCommand(DECLARE));
    for (let i = 0; i < 3; i++) await h.advance(2_000);
    const room = h.api.channelByName(ROOM)!;
    expect(h.api.callsTo("conversations.create")).toHaveLength(1);
    const texts = [...h.api.channels.get(room)!.messages.values()].map((m) => String(m.text).slice(0, 15));
    expect(texts[0]).toBe("INC-2026-0001 ·"); // the summary, once, first
    expect(texts.slice(1).sort()).toEqual(["Incident notice", "📟 Paging level"]);
    expect(h.api.pins).toHaveLength(1);
    expect(h.api.channels.get(room)!.topic).toContain("INC-2026-0001");
  });

  it("a P3 opens no war room and posts no announcement", async () => {
    await h.post(slashCommand('declare "Typo on the status page" --impact I3 --urgency U3', { responseUrl: h.api.responseUrl("r3") }));
    expect(h.api.callsTo("response_url")[0]!.text).toContain("Declared INC-2026-0001 · P3 Low");
    expect(h.api.callsTo("conversations.create")).toEqual([]);
    expect(h.api.callsTo("chat.postMessage")).toEqual([]);
  });

  it("declares sent at once, more than run together, are each acked, each answered once and each stored; shutdown waits for the queued ones", async () => {
    const n = WORK_LIMIT * 3;
    const sent = Array.from({ length: n }, (_, i) => slashCommand(`declare "Burst ${i}" --impact I3 --urgency U3`, { responseUrl: h.api.responseUrl(`b${i}`) }));
    const acks = await Promise.all(sent.map((c) => fetch(`${h.base}/slack/events`, { method: "POST", headers: { "content-type": c.contentType, ...sign(c.body) }, body: c.body })));
    expect(acks.map((r) => r.status)).toEqual(sent.map(() => 200));
    await h.adapter.settled(); // what shutdown waits for: the work acked so far, queued work included
    const answers = h.api.callsTo("response_url").map((r) => /Declared INC-2026-\d{4} · P3 Low · (Burst \d+)/.exec(r.text)?.[1]);
    expect(answers.sort()).toEqual(sent.map((_, i) => `Burst ${i}`).sort());
    const rows = await database.db.select().from(incidents);
    expect(rows.map((r) => r.title).sort()).toEqual(sent.map((_, i) => `Burst ${i}`).sort());
    expect(new Set(rows.map((r) => r.reference)).size).toBe(n);
  });

  it("honours Retry-After on a rate-limited announcement, then sends it once", async () => {
    h.api.fail("chat.postMessage", { status: 429, retryAfter: 30 }, 1, ANNOUNCEMENTS);
    await h.post(slashCommand(DECLARE));
    const attempts = () => h.api.callsTo("chat.postMessage").filter((p) => p.channel === ANNOUNCEMENTS).length;
    expect(attempts()).toBe(1);
    await h.advance(29_000);
    expect(attempts()).toBe(1); // the scheduler's own 5 s backoff would have retried by now
    await h.advance(1_000);
    expect(attempts()).toBe(2);
    expect(h.api.channels.get(ANNOUNCEMENTS)!.messages.size).toBe(1);
    expect((await database.db.select().from(outbox).orderBy(outbox.id)).map((o) => [o.target, o.status, o.attempts])).toEqual([["warroom", "sent", 1], ["announcements", "sent", 2]]);
  });

  it("a delivery still pending when the incident closes, or into an archived room, is cancelled, not sent", async () => {
    h.api.fail("chat.postMessage", { status: 429, retryAfter: 30 }, 1, ANNOUNCEMENTS);
    await h.post(slashCommand(DECLARE));
    await database.db.update(incidents).set({ status: "closed" });
    await h.advance(30_000);
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === ANNOUNCEMENTS)).toHaveLength(1); // the refused first try only
    const [announcement] = await database.db.select().from(outbox).where(eq(outbox.target, "announcements"));
    expect(announcement).toMatchObject({ status: "cancelled", lastError: "the incident is closed" });

    await database.db.update(incidents).set({ status: "investigating" });
    await database.db.update(warRooms).set({ archivedAt: h.clock.now() });
    const room = h.api.channelByName(ROOM)!;
    const before = h.api.callsTo("chat.postMessage").filter((p) => p.channel === room).length;
    await h.post(slashCommand("update still rolling back", { channel: room }));
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === room)).toHaveLength(before);
    const [update] = await database.db.select().from(outbox).where(and(eq(outbox.target, "warroom"), like(outbox.key, "comms:%")));
    expect(update).toMatchObject({ status: "cancelled", lastError: "the war room is archived" });
  });

  it("a Slack outage while opening the war room is retried, and the declarer is told", async () => {
    h.api.fail("conversations.create", { status: 500 }, 1);
    await h.post(slashCommand(DECLARE));
    expect(h.api.channelByName(ROOM)).toBeUndefined();
    const told = h.api.callsTo("chat.postEphemeral").concat(h.api.callsTo("chat.postMessage")).filter((m) => m.channel === GENERAL || m.user === ALICE || m.channel === ALICE);
    expect(told.map((m) => m.text).join("\n")).toMatch(/war room/i);
    await h.advance(60_000);
    expect(h.api.channelByName(ROOM)).toBeDefined();
    expect(await database.db.select().from(warRooms)).toHaveLength(1);
  });
});

describe.each(backends)("Slack delivery failures on $name", (backend) => {
  let database: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await database.destroy();
  });

  it("an announcement that still fails after its retries is reported in the war room", async () => {
    const h = await slackHarness(database, { scheduler: { maxAttempts: 3 } });
    closers.push(() => h.close());
    h.api.channels.get(ANNOUNCEMENTS)!.archived = true;
    await h.post(slashCommand(DECLARE));
    await h.advance(5_000);
    await h.advance(10_000);
    const tries = h.api.callsTo("chat.postMessage").filter((p) => p.channel === ANNOUNCEMENTS);
    expect(tries).toHaveLength(3);
    const room = h.api.channelByName(ROOM)!;
    const notices = h.api.callsTo("chat.postMessage").filter((p) => p.channel === room && /Could not deliver/.test(p.text));
    expect(notices.map((n) => n.text)).toEqual(["Could not deliver the announcement to stakeholders for INC-2026-0001 after 3 attempts (An API error occurred: is_archived); post it by hand."]);
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((o) => [o.target, o.status])).toEqual([["warroom", "sent"], ["announcements", "failed"], ["warroom", "sent"]]);
    await h.advance(3_600_000);
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === ANNOUNCEMENTS)).toHaveLength(3);
  });
});
