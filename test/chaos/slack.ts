/**
 * The Slack run of `npm run chaos`: three bot replicas (processes) on one PostgreSQL database against
 * the fake Slack API failing 30 % of Web API calls (half 429 with Retry-After 1 s, half 500). It
 * declares 12 P1s — every third one also retried by "Slack" to another replica, six acknowledged by a
 * double click sent to two replicas at once — kills one replica with SIGKILL between the level-1 and
 * level-2 pages, and checks what people would see: one war room and one pinned summary per incident,
 * every page exactly once, level-2 pages within 5 s of due, every announcement, notice and page within
 * 60 s of due, and nothing left queued. Bounded: about 100 s.
 */
import { createHmac, randomBytes } from "node:crypto";
import type postgres from "postgres";
import { ANNOUNCEMENTS, FakeSlackApi, GENERAL } from "../support/fake-slack-api.js";
import { ACKED, checks, checkTimeliness, checkWhatPeopleSaw, INCIDENTS, killAfterLevel1, log, policyFor, seeded, settle, withReplicas, type Left, type Replica, type Seen } from "./replicas.js";

const SECRET = "chaos-signing-secret-0123456789ab";
const ALICE = "UALICE0001";
const LEVEL1 = "UPAGE00001";
const LEVEL2 = "UPAGE00002";

function sign(body: string): Record<string, string> {
  const at = Math.floor(Date.now() / 1000);
  return { "x-slack-signature": "v0=" + createHmac("sha256", SECRET).update(`v0:${at}:${body}`).digest("hex"), "x-slack-request-timestamp": String(at) };
}

let n = 0;
function slashCommand(text: string, responseUrl: string): string {
  return new URLSearchParams({
    token: "t", team_id: "T0000001", team_domain: "acme", channel_id: GENERAL, channel_name: "general", user_id: ALICE, user_name: "alice",
    command: "/incident", text, api_app_id: "A0000001", is_enterprise_install: "false", response_url: responseUrl, trigger_id: `1334.${++n}.${randomBytes(4).toString("hex")}`,
  }).toString();
}

function ackButton(reference: string, channel: string): string {
  const actionTs = `1795000100.${String(++n).padStart(6, "0")}`;
  const p = {
    type: "block_actions", team: { id: "T0000001", domain: "acme" }, user: { id: ALICE, username: "alice", team_id: "T0000001" }, api_app_id: "A0000001", token: "t",
    trigger_id: `1335.${++n}.x`, container: { type: "message", message_ts: "1795000000.000101", channel_id: channel, is_ephemeral: false }, channel: { id: channel, name: "room" },
    response_url: "http://127.0.0.1:9/unused", actions: [{ type: "button", action_id: "incident_ack", block_id: "incident_actions", value: reference, text: { type: "plain_text", text: "Acknowledge" }, action_ts: actionTs }],
  };
  return new URLSearchParams({ payload: JSON.stringify(p) }).toString();
}

async function post(r: Replica, body: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${r.port}/slack/events`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...sign(body), ...headers }, body });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

export async function slackRun(): Promise<number> {
  const api = await FakeSlackApi.start();
  try {
    const env = { SLACK_BOT_TOKEN: "xoxb-chaos", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url, SLACK_ANNOUNCEMENTS_CHANNEL: ANNOUNCEMENTS };
    return await withReplicas(policyFor("slack", LEVEL1, LEVEL2), env, async (run) => {
      const { db, replicas } = run;
      api.chaos = { rate: 0.3, retryAfter: 1, random: seeded() };
      log(`Slack: 3 replicas up (logs in ${run.dir}); the fake Slack API fails 30 % of calls`);

      // 12 P1s, spread over the replicas; every third one retried by Slack to another replica at once.
      const declaredAt = Date.now();
      await Promise.all(
        Array.from({ length: INCIDENTS }, async (_, i) => {
          const body = slashCommand(`declare "Chaos outage ${i + 1}" --impact I1 --urgency U1`, api.responseUrl(`d${i}`));
          const first = post(replicas[i % 3]!, body);
          const retry = i % 3 === 0 ? post(replicas[(i + 1) % 3]!, body, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }) : Promise.resolve(200);
          await Promise.all([first, retry]);
        }),
      );
      log(`declared ${INCIDENTS} P1s (${INCIDENTS / 3} of them retried to another replica)`);

      // Wait for the level-1 pages (DMs), then kill a replica with SIGKILL, well before level 2 (+60 s).
      await killAfterLevel1(run, declaredAt);

      // Double clicks: the same Acknowledge press sent to both live replicas at once, for six incidents.
      const rooms = await db`select i.reference, w.channel_id from incidents i join war_rooms w on w.incident_id = i.id order by i.id`;
      const live = replicas.filter((r) => r.alive);
      await Promise.all(
        rooms.slice(0, ACKED).map(async (room) => {
          const press = ackButton(room.reference as string, room.channel_id as string);
          await Promise.all(live.map((r) => post(r, press)));
        }),
      );
      log(`acknowledged ${Math.min(ACKED, rooms.length)} incidents by double clicks to ${live.length} replicas`);
      return await check(db, api, await settle(db, declaredAt));
    });
  } finally {
    await api.close();
  }
}

async function check(db: postgres.Sql, api: FakeSlackApi, left: Left): Promise<number> {
  const { expect, done } = checks();
  log(`${api.calls.filter((c) => c.method !== "response_url").length} Web API calls`);
  const posted = (channel: string) => api.posted.filter((p) => p.channel === channel).map((p) => p.text);
  const seen: Seen = {
    rooms: (seq) => [...api.channels.entries()].filter(([, c]) => new RegExp(`^inc-\\d{8}-${seq}-`).test(c.name)).map(([id, c]) => ({ id, name: c.name })),
    posts: posted,
    pins: (room) => api.pins.filter((p) => p.channel === room).length,
    dms: posted,
  };
  await checkWhatPeopleSaw(db, seen, { announcements: ANNOUNCEMENTS, level1: LEVEL1, level2: LEVEL2 }, expect);
  await checkTimeliness(db, left, expect);
  return done(`Slack: ${INCIDENTS} incidents, one war room and one pinned summary each, every page exactly once, nothing left queued`);
}
