/**
 * A fake Slack Web API on 127.0.0.1:0, enough for the bot: auth.test, conversations.create / invite /
 * setTopic / archive / list (paged) / info, chat.postMessage / update / postEphemeral, pins.add, views.open, and the
 * response_url of slash commands (POST /response/<id>). It records every call with its parsed body and
 * behaves like Slack where the bot depends on it: a taken channel name answers `name_taken`, posting
 * to an archived channel `is_archived`. `fail()` scripts other answers: an `error` (HTTP 200, ok:
 * false), an HTTP 500, or a 429 with Retry-After. Point the real WebClient at `url` (SLACK_API_URL).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
