/**
 * A fake Slack Web API on 127.0.0.1:0, enough for the bot: auth.test, conversations.create / invite /
 * setTopic / archive / list (paged) / info, chat.postMessage / update / postEphemeral, pins.add, views.open, and the
 * response_url of slash commands (POST /response/<id>). It records every call with its parsed body and
 * behaves like Slack where the bot depends on it: a taken channel name answers `name_taken`, posting
 * to an archived channel `is_archived`. `fail()` scripts other answers: an `error` (HTTP 200, ok:
 * false), an HTTP 500, or a 429 with Retry-After. Point the real WebClient at `url` (SLACK_API_URL).
 *
 * Rate-tier mode (`enforceRateLimits`, off by default) answers like Slack past its documented limits
 * (src/adapters/slack/rate-limits.ts): more than a tier's calls of one method in any minute, or more
 * chat.postMessage calls to one channel than its per-channel window allows, get a 429 with Retry-After (whole seconds, until
 * the window has room), counted per method in `limited`. Time comes from the injected clock, so a test
 * on a ManualClock is deterministic; `admitted` keeps when each call it let through came.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { methodWindow, POST_PER_CHANNEL, type RateWindow } from "../../src/adapters/slack/rate-limits.js";

export const ANNOUNCEMENTS = "CANNOUNCE1";
export const GENERAL = "CGENERAL01";
export const BOT_USER = "UBOT000001";

type Json = Record<string, any>;

export interface Call {
  method: string;
  body: Json;
  auth: string | null;
}

export type Failure = { error: string } | { status: 500 } | { status: 429; retryAfter: number };

const JSON_FIELDS = ["blocks", "view", "attachments"];

export class FakeSlackApi {
  readonly calls: Call[] = [];
  /** Channels by id: name, topic, members, archived, messages by ts. */
  readonly channels = new Map<string, { name: string; topic: string; purpose?: string; members: Set<string>; archived: boolean; messages: Map<string, Json> }>();
  readonly pins: { channel: string; ts: string }[] = [];
  /** Every message Slack accepted, DMs (posted to a user id) included, with when it arrived. */
  readonly posted: { channel: string; ts: string; text: string; at: number }[] = [];
  /**
   * Random faults for the chaos harness: this share of Web API calls (auth.test aside) fails, half
   * with a 429 and Retry-After `retryAfter` seconds, half with a 500, before anything is done.
   */
  chaos: { rate: number; retryAfter: number; random: () => number } | null = null;
  /** Rate-tier mode: the clock (epoch ms) it reads, or null when off. */
  private rateClock: (() => number) | null = null;
  /** Calls let through in rate-tier mode, by window key (the method, or `chat.postMessage:<channel>`): their times. */
  readonly admitted = new Map<string, number[]>();
  /** 429s answered in rate-tier mode, by method. */
  readonly limited = new Map<string, number>();
  /** 429s answered in rate-tier mode, by the window that was full (the method, or `chat.postMessage:<channel>`). */
  readonly limitedWindows = new Map<string, number>();
  private scripts: { method: string; failure: Failure; times: number; when: (body: Json) => boolean }[] = [];
  private seq = 100;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeSlackApi> {
    // Longer than the clients' keep-alive: on a loaded machine a socket the server closed at Node's 5 s
    // default was reused by the bot's Slack client and reset (ECONNRESET, "fetch failed", no retry).
    const server = createServer({ keepAliveTimeout: 60_000 });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const api = new FakeSlackApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
    server.on("request", (req, res) => void api.handle(req, res));
    for (const [id, name] of [[ANNOUNCEMENTS, "announcements"], [GENERAL, "general"]] as const) {
      api.channels.set(id, { name, topic: "", members: new Set(), archived: false, messages: new Map() });
    }
    return api;
  }

  /** The response_url to put in a slash command or an action. */
  responseUrl(id: string): string {
    return this.url.replace(/api\/$/, `response/${id}`);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** The next `times` calls of `method` (to `channel`, if given) answer `failure`. */
  fail(method: string, failure: Failure, times = 1, channel?: string): void {
    this.scripts.push({ method, failure, times, when: (b) => channel === undefined || b.channel === channel });
  }

  /** Turns rate-tier mode on: Slack's documented limits, on the clock `now` (epoch ms). */
  enforceRateLimits(now: () => number): void {
    this.rateClock = now;
  }

  /** The windows a call falls under: its method's tier, and chat.postMessage's per channel. */
  private windowsOf(method: string, body: Json): (RateWindow & { key: string })[] {
    const out: (RateWindow & { key: string })[] = [];
    const tiered = methodWindow(method);
    if (tiered) out.push({ key: method, ...tiered });
    if (method === "chat.postMessage") out.push({ key: `${method}:${String(body.channel)}`, ...POST_PER_CHANNEL });
    return out;
  }

  /** In rate-tier mode: the wait (ms) before this call would fit every window, or 0 (it is admitted and recorded). */
  private rateLimitWait(method: string, body: Json): number {
    if (!this.rateClock) return 0;
    const at = this.rateClock();
    const windows = this.windowsOf(method, body);
    let wait = 0;
    for (const w of windows) {
      const inWindow = (this.admitted.get(w.key) ?? []).filter((t) => t > at - w.windowMs && t <= at);
      if (inWindow.length < w.limit) continue;
      wait = Math.max(wait, inWindow[inWindow.length - w.limit]! + w.windowMs - at);
      this.limitedWindows.set(w.key, (this.limitedWindows.get(w.key) ?? 0) + 1);
    }
    if (wait > 0) {
      this.limited.set(method, (this.limited.get(method) ?? 0) + 1);
      return wait;
    }
    for (const w of windows) {
      const times = this.admitted.get(w.key) ?? [];
      times.push(at);
      this.admitted.set(w.key, times);
    }
    return 0;
  }

  /**
   * The most calls admitted in any window of each key, beside its limit: what a test asserts stayed
   * within the documented rates.
   */
  busiestWindows(): { key: string; most: number; limit: number }[] {
    return [...this.admitted.entries()].map(([key, times]) => {
      const method = key.split(":")[0]!;
      const w = key.includes(":") ? POST_PER_CHANNEL : methodWindow(method)!;
      const sorted = [...times].sort((a, b) => a - b);
      let most = 0;
      for (let i = 0, j = 0; i < sorted.length; i++) {
        while (sorted[j]! <= sorted[i]! - w.windowMs) j++;
        most = Math.max(most, i - j + 1);
      }
      return { key, most, limit: w.limit };
    });
  }

  /** 429s answered in rate-tier mode, all methods together. */
  limitedTotal(): number {
    return [...this.limited.values()].reduce((a, b) => a + b, 0);
  }

  callsTo(method: string): Json[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.body);
  }

  channelByName(name: string): string | undefined {
    return [...this.channels.entries()].find(([, c]) => c.name === name)?.[0];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    const path = (req.url ?? "").split("?")[0]!;
    const method = path.startsWith("/response/") ? "response_url" : path.startsWith("/upload/") ? "upload" : path.replace(/^\/api\//, "");
    const body = parseBody(raw, req.headers["content-type"] ?? "");
    this.calls.push({ method, body: method === "upload" ? { bytes: bytes.length, png: bytes.includes(Buffer.from("IHDR")) } : body, auth: req.headers.authorization ?? null });
    const script = this.scripts.find((s) => s.method === method && s.times > 0 && s.when(body));
    if (this.chaos && path.startsWith("/api/") && method !== "auth.test" && this.chaos.random() < this.chaos.rate) {
      if (this.chaos.random() < 0.5) return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(this.chaos.retryAfter) });
      return send(res, 500, { ok: false, error: "internal_error" });
    }
    if (script) {
      script.times--;
      const f = script.failure;
      if ("error" in f) return send(res, 200, { ok: false, error: f.error });
      if (f.status === 429) return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(f.retryAfter) });
      return send(res, 500, { ok: false, error: "internal_error" });
    }
    const wait = path.startsWith("/api/") ? this.rateLimitWait(method, body) : 0;
    if (wait > 0) return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(Math.ceil(wait / 1000)) });
    send(res, 200, this.answer(method, body));
  }

  private channelInfo(id: string, c: { name: string; topic: string; purpose?: string; archived: boolean; members: Set<string> }): Json {
    return { id, name: c.name, is_channel: true, is_archived: c.archived, topic: { value: c.topic }, purpose: { value: c.purpose ?? "" }, num_members: c.members.size };
  }

  private answer(method: string, b: Json): Json {
    const channel = b.channel ? this.channels.get(b.channel) : undefined;
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://acme.slack.com/", team: "Acme", user: "incident-bot", team_id: "T0000001", user_id: BOT_USER, bot_id: "B0000001" };
      case "conversations.create": {
        if (this.channelByName(b.name)) return { ok: false, error: "name_taken" };
        const id = `CROOM${this.seq++}`;
        this.channels.set(id, { name: b.name, topic: "", members: new Set([BOT_USER]), archived: false, messages: new Map() });
        return { ok: true, channel: { id, name: b.name, is_channel: true } };
      }
      case "conversations.invite": {
        if (!channel) return { ok: false, error: "channel_not_found" };
        const users = String(b.users).split(",");
        if (users.every((u) => channel.members.has(u))) return { ok: false, error: "already_in_channel" };
        users.forEach((u) => channel.members.add(u));
        return { ok: true, channel: { id: b.channel } };
      }
      case "conversations.setTopic":
        if (!channel) return { ok: false, error: "channel_not_found" };
        channel.topic = b.topic;
        return { ok: true, channel: { id: b.channel, topic: { value: b.topic } } };
      case "conversations.list": {
        // One page of up to `limit` channels, then a cursor (Slack pages this list).
        const all = [...this.channels.entries()].filter(([, c]) => !(b.exclude_archived === "true" || b.exclude_archived === true) || !c.archived);
        const from = Number(b.cursor ?? 0);
        const limit = Number(b.limit ?? 100);
        const page = all.slice(from, from + limit).map(([id, c]) => this.channelInfo(id, c));
        const next = from + limit < all.length ? String(from + limit) : "";
        return { ok: true, channels: page, response_metadata: { next_cursor: next } };
      }
      case "conversations.info":
        if (!channel) return { ok: false, error: "channel_not_found" };
        return { ok: true, channel: this.channelInfo(b.channel, channel) };
      case "conversations.history": {
        const ts = String(b.latest);
        const m = channel?.messages.get(ts);
        return { ok: true, messages: m ? [{ type: "message", ts, ...m }] : [], has_more: false };
      }
      case "conversations.archive":
        if (channel) channel.archived = true;
        return { ok: true };
      case "chat.postMessage": {
        if (channel?.archived) return { ok: false, error: "is_archived" };
        const ts = `1795000000.${String(this.seq++).padStart(6, "0")}`;
        channel?.messages.set(ts, b);
        this.posted.push({ channel: String(b.channel), ts, text: String(b.text ?? ""), at: Date.now() });
        return { ok: true, channel: b.channel, ts, message: { ...b, ts } };
      }
      case "chat.update":
        if (!channel?.messages.has(b.ts)) return { ok: false, error: "message_not_found" };
        channel.messages.set(b.ts, b);
        return { ok: true, channel: b.channel, ts: b.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: `1795000000.${String(this.seq++).padStart(6, "0")}` };
      case "pins.add":
        if (this.pins.some((p) => p.channel === b.channel && p.ts === b.timestamp)) return { ok: false, error: "already_pinned" };
        this.pins.push({ channel: b.channel, ts: b.timestamp });
        return { ok: true };
      case "views.open":
        return { ok: true, view: { id: `V${this.seq++}`, ...(b.view ?? {}) } };
      case "response_url":
        return { ok: true };
      case "files.getUploadURLExternal": {
        const id = `F${this.seq++}`;
        return { ok: true, file_id: id, upload_url: this.url.replace(/api\/$/, `upload/${id}`) };
      }
      case "upload":
        return { ok: true };
      case "files.completeUploadExternal":
        return { ok: true, files: (JSON.parse(String(b.files ?? "[]")) as Json[]).map((f) => ({ id: f.id, title: f.title })) };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}

function parseBody(raw: string, type: string): Json {
  if (raw === "") return {};
  if (type.includes("application/json")) return JSON.parse(raw) as Json;
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.includes(k) ? JSON.parse(v) : v;
  return out;
}

function send(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
