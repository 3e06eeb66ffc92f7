/**
 * A burst of P1s against a Slack that enforces its documented rate limits (the fake API's rate-tier
 * mode, on the harness's manual clock): 22 declared at once over the wire. Every war room ends up ready
 * exactly once, no method goes past its tier in any minute (nor a channel past its posts a second), the
 * bot paces itself rather than collect 429s, and the last room is ready about when the limits allow
 * it: Tier 2 lets 20 channels be made in a minute, so the 21st and 22nd wait for the next one (22, not
 * more: each P1 costs the suite ~0.3 s of database work on each store, and two past the window prove it).
 */
import { afterEach, describe, expect, it } from "vitest";
import { incidents, outbox, timers, warRooms } from "../../src/db/schema.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { slackHarness, slashCommand, type SlackHarness } from "../support/slack-harness.js";

const BURST = 22;
const STEP_MS = 1_000;
/** Level 1 pages one person: 22 direct messages to one conversation, and 22 invites of them. */
const DESK = "UDESK00001";
const base = DEFAULT_POLICY.escalation;
const policy = { ...DEFAULT_POLICY, escalation: { ...base, businessHours: base.businessHours.map((l, n) => (n === 0 ? { ...l, targets: { slack: [DESK] } } : l)) } };

describe.each(backends)("Slack rate tiers on $name", (backend) => {
  let database: TestDatabase | null = null;
  let h: SlackHarness | null = null;
  afterEach(async () => {
    await h?.close();
    await database?.destroy().catch(() => {});
    h = null;
    database = null;
  });

  it(`${BURST} P1s at once: every war room ready once, within Slack's tiers, no 429 wall, the last ready when the tiers allow`, async () => {
    database = await backend.open();
    h = await slackHarness(database, { rateLimits: true, perChannelIntervalMs: 1000, policy });
    const start = h.clock.now().getTime();
    for (let n = 1; n <= BURST; n++) {
      const res = await h.post(slashCommand(`declare "Outage ${n}" --impact I1 --urgency U1 --service svc${n}`, { responseUrl: h.api.responseUrl(`r${n}`) }));
      expect(res.status).toBe(200);
    }
    expect(await database.db.select().from(incidents)).toHaveLength(BURST);

    // Time moves in one-second steps; each step runs what came due.
    const ready = async () => (await database!.db.select().from(warRooms)).filter((r) => r.readyAt !== null).length;
    let lastReadyAt = 0;
    for (let t = 0; t <= 10 * 60_000 && (await ready()) < BURST; t += STEP_MS) {
      await h.advance(STEP_MS);
      lastReadyAt = h.clock.now().getTime() - start;
    }
    // Then until nothing is left to send (announcements, notices, pages at a post a second). Steps stay
    // a second long: a longer one would run several booked posts to a channel at one instant, as a
    // replica stalled that long would (each keeps its booking however late), and Slack would refuse all
    // but one of them.
    const pending = async () => (await database!.db.select().from(outbox)).filter((o) => o.status === "pending").length;
    for (let t = 0; t < 5 * 60_000 && (await pending()) > 0; t += STEP_MS) await h.advance(STEP_MS);

    const rooms = await database.db.select().from(warRooms);
    expect(rooms).toHaveLength(BURST);
    expect(rooms.every((r) => r.readyAt !== null)).toBe(true);
    // One channel per incident, each made by one create call; one pinned summary in each.
    expect(new Set(rooms.map((r) => r.channelId)).size).toBe(BURST);
    expect(h.api.callsTo("conversations.create").length - (h.api.limited.get("conversations.create") ?? 0)).toBe(BURST);
    expect([...h.api.channels.values()].filter((c) => c.name.startsWith("inc-"))).toHaveLength(BURST);
    for (const r of rooms) {
      expect(h.api.pins.filter((p) => p.channel === r.channelId)).toEqual([{ channel: r.channelId, ts: r.summaryMessageId }]);
      const summaries = [...h.api.channels.get(r.channelId)!.messages.values()].filter((m) => /^INC-\d{4}-\d{4} · P1/.test(String(m.text)));
      expect(summaries).toHaveLength(1);
    }

    // The person paged got every page, within their conversation's limit (a DM is a channel too).
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === DESK)).toHaveLength(BURST);

    // Paced: the bot books its tiered calls, so none of them meets a 429 (the fake refuses what does not
    // fit in a window; a post may meet one, a second per channel being a burst size we assumed).
    const limited = Object.fromEntries(h.api.limitedWindows);
    expect([...h.api.limited.keys()].filter((m) => m !== "chat.postMessage"), JSON.stringify(limited)).toEqual([]);
    expect(h.api.limitedTotal(), JSON.stringify(limited)).toBeLessThanOrEqual(2);
    // Not paced by retrying: about 11 Web API calls a P1 (239 in this run on both stores).
    expect(h.api.calls.length).toBeLessThanOrEqual(BURST * 12);
    expect(h.api.busiestWindows().find((w) => w.key === "conversations.create")).toEqual({ key: "conversations.create", most: 20, limit: 20 });

    // Tier 2 makes 20 channels a minute: the last 10 are made a minute (plus the bot's 1 s margin)
    // after the first 20, and their rooms ready within a few steps of it.
    expect(lastReadyAt).toBeGreaterThanOrEqual(60_000);
    expect(lastReadyAt).toBeLessThanOrEqual(61_000 + 5 * STEP_MS);

    // Nothing left behind: every delivery sent, nothing failed or still waiting.
    const rows = await database.db.select().from(outbox);
    expect(rows.filter((o) => o.status !== "sent").map((o) => [o.key, o.status, o.lastError])).toEqual([]);
    const stuck = (await database.db.select().from(timers)).filter((t) => t.status === "failed" || t.status === "waiting");
    expect(stuck.map((t) => [t.kind, t.key, t.status, t.lastError])).toEqual([]);
  }, 240_000);
});
