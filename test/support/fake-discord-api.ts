/**
 * A fake Discord REST API on 127.0.0.1:0, enough for the bot: guild channels, messages (create,
 * edit), pins, DM channels, interaction callbacks, webhook follow-ups and edits, command
 * registration. It records every call and can be scripted to fail like Discord does: 50013 (403),
 * 10003 (404), 429 with Retry-After / retry_after, 500. Point discord.js at `url` (its `rest.api`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const GUILD_ID = "1100000000000000001";
export const APP_ID = "1100000000000000002";
export const BOT_ID = APP_ID;
export const CATEGORY_ID = "1100000000000000003";
export const ANNOUNCEMENTS_ID = "1100000000000000004";
export const GENERAL_ID = "1100000000000000005";

export interface Call {
  method: string;
  /** Without the /api/v10 prefix and the query string. */
  path: string;
  query: string;
  body: any;
  auth: string | null;
}

interface Script {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  times: number;
}

type Json = Record<string, any>;

export const ERRORS = {
  missingPermissions: { status: 403, body: { message: "Missing Permissions", code: 50013 } },
  unknownChannel: { status: 404, body: { message: "Unknown Channel", code: 10003 } },
  serverError: { status: 500, body: { message: "500: Internal Server Error", code: 0 } },
  rateLimited: (seconds: number) => ({
    status: 429,
    body: { message: "You are being rate limited.", retry_after: seconds, global: false },
    headers: { "retry-after": String(seconds), "x-ratelimit-scope": "user" },
  }),
};

export class FakeDiscordApi {
  readonly calls: Call[] = [];
  readonly channels = new Map<string, Json>();
  readonly messages = new Map<string, Json>();
  readonly pins = new Set<string>();
  /**
   * Random faults for the chaos harness: this share of the bot's REST calls fails, half with a 429
   * (retry_after `retryAfter` seconds), half with a 500, before anything is done. Interaction answers
   * (callbacks, webhook follow-ups) are spared, as Slack's fake spares response_url: they are the
   * answer the harness checks, not a delivery the outbox retries.
   */
  chaos: { rate: number; retryAfter: number; random: () => number } | null = null;
  private scripts: Script[] = [];
  private seq = 1100000000000001000n;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeDiscordApi> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const api = new FakeDiscordApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`);
    server.on("request", (req, res) => void api.handle(req, res));
    api.channels.set(CATEGORY_ID, { id: CATEGORY_ID, type: 4, name: "Incidents", guild_id: GUILD_ID, parent_id: null });
    api.channels.set(ANNOUNCEMENTS_ID, { id: ANNOUNCEMENTS_ID, type: 0, name: "announcements", guild_id: GUILD_ID, parent_id: null });
    api.channels.set(GENERAL_ID, { id: GENERAL_ID, type: 0, name: "general", guild_id: GUILD_ID, parent_id: null });
    return api;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** The next `times` calls matching method and path answer this error instead. */
  fail(method: string, path: RegExp, error: { status: number; body: unknown; headers?: Record<string, string> }, times = 1): void {
    this.scripts.push({ method, path, status: error.status, body: error.body, headers: error.headers ?? {}, times });
  }

  callsTo(method: string, path: RegExp): Call[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** Interaction callbacks (POST /interactions/{id}/{token}/callback) for one interaction id. */
  callbacks(interactionId: string): Json[] {
    return this.callsTo("POST", new RegExp(`^/interactions/${interactionId}/[^/]+/callback$`)).map((c) => c.body);
  }

  message(channelId: string, fields: Json): Json {
    const id = String(this.seq++);
    const m = {
      id,
      channel_id: channelId,
      type: 0,
      content: "",
      embeds: [],
      components: [],
      author: { id: BOT_ID, username: "incident-bot", discriminator: "0", global_name: null, avatar: null, bot: true },
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      ...fields,
    };
    this.messages.set(id, m);
    return m;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, "");
    const call: Call = { method: req.method ?? "GET", path, query: url.search, body: raw ? parseBody(bytes, req.headers["content-type"] ?? "") : null, auth: req.headers.authorization ?? null };
    this.calls.push(call);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (this.chaos && !/^\/(interactions|webhooks)\//.test(path) && this.chaos.random() < this.chaos.rate) {
      if (this.chaos.random() < 0.5) {
        const e = ERRORS.rateLimited(this.chaos.retryAfter);
        return send(e.status, e.body, e.headers);
      }
      return send(ERRORS.serverError.status, ERRORS.serverError.body);
    }
    const script = this.scripts.find((s) => s.times > 0 && s.method === call.method && s.path.test(path));
    if (script) {
      script.times--;
      return send(script.status, script.body, script.headers);
    }
    const answer = this.route(call);
    if (answer === undefined) return send(404, { message: "404: Not Found", code: 0 });
    if (answer === null) return send(204);
    return send(answer.status ?? 200, answer.body);
  }

  private route(c: Call): { status?: number; body: unknown } | null | undefined {
    const m = (re: RegExp) => re.exec(c.path);
    const unknownChannel = { status: 404, body: ERRORS.unknownChannel.body };
    let g: RegExpExecArray | null;
    if ((g = m(/^\/guilds\/(\d+)\/channels$/))) {
      if (c.method === "GET") return { body: [...this.channels.values()].filter((ch) => ch.guild_id === g![1]) };
      const ch = { id: String(this.seq++), guild_id: g[1], position: 0, nsfw: false, ...c.body, parent_id: c.body.parent_id ?? null };
      this.channels.set(ch.id, ch);
      return { status: 201, body: ch };
    }
    if ((g = m(/^\/channels\/(\d+)$/)) && c.method === "PATCH") {
      const ch = this.channels.get(g[1]!);
      return ch ? { body: Object.assign(ch, c.body) } : unknownChannel;
    }
    if ((g = m(/^\/channels\/(\d+)\/messages$/)) && c.method === "POST") {
      return this.channels.has(g[1]!) ? { body: this.message(g[1]!, c.body) } : unknownChannel;
    }
    if ((g = m(/^\/channels\/(\d+)\/messages\/(\d+)$/)) && c.method === "PATCH") {
      const msg = this.messages.get(g[2]!);
      if (!this.channels.has(g[1]!)) return unknownChannel;
      return msg ? { body: Object.assign(msg, c.body, { edited_timestamp: new Date().toISOString() }) } : { status: 404, body: { message: "Unknown Message", code: 10008 } };
    }
    if ((g = m(/^\/channels\/(\d+)\/messages\/pins\/(\d+)$/)) && c.method === "PUT") {
      if (!this.channels.has(g[1]!)) return unknownChannel;
      this.pins.add(g[2]!);
      return null;
    }
    if ((g = m(/^\/channels\/(\d+)\/permissions\/(\d+)$/)) && c.method === "PUT") {
      const ch = this.channels.get(g[1]!);
      if (!ch) return unknownChannel;
      ch.permission_overwrites = [...(ch.permission_overwrites ?? []).filter((o: Json) => o.id !== g![2]), { id: g[2], ...c.body }];
      return null;
    }
    if (m(/^\/users\/@me\/channels$/) && c.method === "POST") {
      const ch = { id: String(this.seq++), type: 1, recipients: [{ id: c.body.recipient_id, username: "user", discriminator: "0" }] };
      this.channels.set(ch.id, ch);
      return { body: ch };
    }
    if (m(/^\/interactions\/\d+\/[^/]+\/callback$/) && c.method === "POST") return null;
    if ((g = m(/^\/webhooks\/\d+\/[^/]+(\/messages\/@original)?$/))) {
      if (c.method === "DELETE") return null;
      return { body: this.message(GENERAL_ID, c.body ?? {}) };
    }
    if (m(/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/) && c.method === "PUT") {
      return { body: (c.body as Json[]).map((cmd) => ({ id: String(this.seq++), application_id: APP_ID, version: "1", ...cmd })) };
    }
    return undefined;
  }
}

/** JSON, or multipart (a message with files): `payload_json` plus `files: [{ name, bytes, png }]`. */
function parseBody(bytes: Buffer, type: string): any {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!boundary) return JSON.parse(bytes.toString("utf8"));
  const parts = bytes.toString("latin1").split(`--${boundary[1] ?? boundary[2]}`).slice(1, -1);
  const out: any = { files: [] };
  for (const part of parts) {
    const [head, ...rest] = part.split("\r\n\r\n");
    const content = rest.join("\r\n\r\n").replace(/\r\n$/, "");
    const name = /name="([^"]+)"/.exec(head ?? "")?.[1];
    const filename = /filename="([^"]+)"/.exec(head ?? "")?.[1];
    if (name === "payload_json") Object.assign(out, JSON.parse(Buffer.from(content, "latin1").toString("utf8")));
    else if (filename) out.files.push({ name: filename, bytes: content.length, png: content.includes("IHDR") });
  }
  return out;
}
