/**
 * The Slack adapter as `npm start` wires it (createSlackAdapter + createBot) on an ephemeral port, its
 * Web API client pointed at the fake Slack API, a manual clock, and requests shaped and signed as
 * Slack sends them: form-encoded slash commands, `payload=` JSON for block_actions and
 * view_submission, v0 HMAC-SHA256 signatures. `post` waits for the handler's work and drains the
 * scheduler (war room, outbox), so assertions see everything the request caused.
 */
import { createHmac } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import type { TestBackend, TestDatabase } from "./databases.js";
import { createSlackAdapter } from "../../src/adapters/slack/server.js";
import { createBot } from "../../src/bot.js";
import type { ChatPort, PagingPorts } from "../../src/app/ports.js";
import type { AppContext } from "../../src/app/context.js";
import type { HttpRoute } from "../../src/adapters/http/route.js";
import { ManualClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { databaseReachable } from "../../src/db/health.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import type { SchedulerOptions } from "../../src/scheduler/scheduler.js";
import { ANNOUNCEMENTS, FakeSlackApi, GENERAL } from "./fake-slack-api.js";

export const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const ALICE = "UALICE0001";
export const BOB = "UBOB000002";
type Json = Record<string, any>;

let n = 0;
const next = (prefix: string) => `${prefix}${++n}`;

export function sign(body: string, secret = SECRET, at = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = "v0=" + createHmac("sha256", secret).update(`v0:${at}:${body}`).digest("hex");
  return { "x-slack-signature": sig, "x-slack-request-timestamp": String(at) };
}

export interface SlackRequest {
  body: string;
  contentType: string;
  /** The trigger id / action_ts / view id this request carries, for assertions. */
  id: string;
}

export function slashCommand(text: string, o: { user?: string; channel?: string; responseUrl?: string } = {}): SlackRequest {
  const trigger = next("13345224609.738474920.") ;
  const form = new URLSearchParams({
    token: "legacy-verification-token", team_id: "T0000001", team_domain: "acme", channel_id: o.channel ?? GENERAL, channel_name: "general",
    user_id: o.user ?? ALICE, user_name: "alice", command: "/incident", text, api_app_id: "A0000001", is_enterprise_install: "false",
    response_url: o.responseUrl ?? "http://127.0.0.1:9/unused", trigger_id: trigger,
  });
  return { body: form.toString(), contentType: "application/x-www-form-urlencoded", id: trigger };
}

function payload(p: Json, id: string): SlackRequest {
  return { body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(), contentType: "application/x-www-form-urlencoded", id };
}

/** A button of a bot message pressed: `actionId` with the message's `value` (the incident reference). */
export function buttonPress(actionId: string, value: string, o: { user?: string; channel: string; actionTs?: string }): SlackRequest {
  const actionTs = o.actionTs ?? `1795000100.${String(++n).padStart(6, "0")}`;
  return payload(
    {
      type: "block_actions", team: { id: "T0000001", domain: "acme" }, user: { id: o.user ?? ALICE, username: "alice", team_id: "T0000001" },
      api_app_id: "A0000001", token: "legacy-verification-token", trigger_id: next("13345224610.738474920."),
      container: { type: "message", message_ts: "1795000000.000101", channel_id: o.channel, is_ephemeral: false },
      channel: { id: o.channel, name: "room" }, response_url: "http://127.0.0.1:9/unused",
      actions: [{ type: "button", action_id: actionId, block_id: "incident_actions", value, text: { type: "plain_text", text: "x" }, action_ts: actionTs }],
    },
    actionTs,
  );
}

/** A modal submitted: `values` by block id; select blocks as { selected: value }. */
export function viewSubmission(callbackId: string, privateMetadata: Json, values: Record<string, string | { selected: string } | undefined>, o: { user?: string; viewId?: string } = {}): SlackRequest {
  const viewId = o.viewId ?? next("VSUBMIT");
  const state: Json = {};
  for (const [block, v] of Object.entries(values)) {
    state[block] = { value: typeof v === "object" ? { type: "static_select", selected_option: { value: v.selected } } : { type: "plain_text_input", value: v ?? null } };
  }
  return payload(
    {
      type: "view_submission", team: { id: "T0000001", domain: "acme" }, user: { id: o.user ?? ALICE, username: "alice", team_id: "T0000001" },
      api_app_id: "A0000001", token: "legacy-verification-token", trigger_id: next("13345224611.738474920."),
      view: { id: viewId, type: "modal", callback_id: callbackId, private_metadata: JSON.stringify(privateMetadata), state: { values: state }, hash: "1", app_id: "A0000001", team_id: "T0000001" },
    },
    viewId,
  );
}

/** An Events API callback (JSON), e.g. pin_added or reaction_added. */
export function eventCallback(event: Json, eventId = next("Ev0PINNED")): SlackRequest {
  const body = JSON.stringify({ token: "legacy-verification-token", team_id: "T0000001", api_app_id: "A0000001", event, type: "event_callback", event_id: eventId, event_time: 1795000000 });
  return { body, contentType: "application/json", id: eventId };
}

export interface SlackHarnessOptions {
  scheduler?: SchedulerOptions;
  policy?: Policy;
  /** More chat ports beside Slack's (a Discord one: both platforms in one bot). */
  chats?: ChatPort[];
  paging?: PagingPorts;
  publicUrl?: string;
  /** HTTP routes served beside /slack/events, given the bot's context once it exists. */
  routes?: (app: () => AppContext | null) => HttpRoute[];
  /** The gap the bot keeps between posts to one channel (default 0 here: unspaced). */
  perChannelIntervalMs?: number;
  /** The fake Slack API enforces Slack's documented rate limits on the harness's clock. */
  rateLimits?: boolean;
  /** False: the bot does not book its tiered calls (it meets the limits as 429s). */
  paceCalls?: boolean;
}

export async function slackHarness(database: Database, opts: SlackHarnessOptions = {}) {
  const api = await FakeSlackApi.start();
  const clock = new ManualClock("2026-11-23T10:00:00Z");
  if (opts.rateLimits) api.enforceRateLimits(() => clock.now().getTime());
  const metrics = new Metrics();
  const env = { mode: "http" as const, botToken: "xoxb-test", signingSecret: SECRET, apiUrl: api.url, announcementsChannel: ANNOUNCEMENTS };
  let ctx: AppContext | null = null;
  const routes = opts.routes ? { routes: opts.routes(() => ctx) } : {};
  const adapter = createSlackAdapter({ env, port: 0, log: silentLogger, metrics, health: () => databaseReachable(database.db), perChannelIntervalMs: opts.perChannelIntervalMs ?? 0, ...(opts.paceCalls === false ? { paceCalls: false } : {}), ...routes });
  const extra = { ...(opts.paging ? { paging: opts.paging } : {}), ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}) };
  const bot = createBot({ database, clock, policy: opts.policy ?? DEFAULT_POLICY, chats: [adapter.chat, ...(opts.chats ?? [])], metrics, scheduler: { workerId: "test", ...opts.scheduler }, ...extra });
  adapter.attach(bot.ctx);
  ctx = bot.ctx;
  const { port } = await adapter.start();
  const base = `http://127.0.0.1:${port}`;
  return {
    api, clock, adapter, bot, base,
    /** Sends a request to /slack/events (signed unless `headers` replace the signature). */
    async post(r: SlackRequest, headers: Record<string, string> = sign(r.body)): Promise<{ status: number; body: string }> {
      const res = await fetch(`${base}/slack/events`, { method: "POST", headers: { "content-type": r.contentType, ...headers }, body: r.body });
      const body = await res.text();
      await new Promise((resolve) => setImmediate(resolve));
      await adapter.settled();
      await bot.scheduler.drain();
      return { status: res.status, body };
    },
    async advance(ms: number): Promise<void> {
      clock.advance(ms);
      await bot.scheduler.drain();
    },
    async close(): Promise<void> {
      await adapter.stop();
      await bot.stop();
      await api.close();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof slackHarness>>;

/**
 * One fresh database and Slack harness per test of a suite, closed after it: `set` receives them
 * before each test, so the suite's tests keep plain `h` and `database` variables.
 */
export function useSlackHarness(backend: TestBackend, set: (t: { h: SlackHarness; database: TestDatabase }) => void, opts: { scheduler?: SchedulerOptions; policy?: Policy } = {}): void {
  let t: { h: SlackHarness; database: TestDatabase } | null = null;
  beforeEach(async () => {
    const database = await backend.open();
    t = { database, h: await slackHarness(database, opts) };
    set(t);
  });
  afterEach(async () => {
    await t?.h.close();
    await t?.database.destroy().catch(() => {});
    t = null;
  });
}
