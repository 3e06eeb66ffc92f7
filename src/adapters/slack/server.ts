/**
 * The Slack side of the process: a Bolt App over HTTP (Events API at /slack/events, signature
 * verification on) or Socket Mode, with `/healthz` and `/metrics` on the same server. The Web API
 * client goes to SLACK_API_URL when set, with its own retries off (see slack-chat.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { App, LogLevel } from "@slack/bolt";
import type { AppContext } from "../../commands/index.js";
import type { SlackEnv } from "../../config.js";
import type { Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { WebClient } from "@slack/web-api";
import { botAuthorization } from "./auth.js";
import { registerHandlers, type InFlight } from "./handlers.js";
import { SlackChat } from "./slack-chat.js";

export interface SlackOptions {
  env: SlackEnv;
  port: number;
  log: Logger;
  /** Is the database reachable? */
  health: () => Promise<boolean>;
  metrics: Metrics;
  perChannelIntervalMs?: number;
}

export interface SlackAdapter {
  app: App;
  chat: SlackChat;
  /** Registers the handlers on the bot's context; call before start. */
  attach(ctx: AppContext): void;
  /** Resolves when the work of every request acked so far is done. */
  settled(): Promise<void>;
  start(): Promise<{ port: number | null }>;
  stop(): Promise<void>;
}

export function createSlackAdapter(o: SlackOptions): SlackAdapter {
  const apiUrl = o.env.apiUrl ? o.env.apiUrl.replace(/\/?$/, "/") : undefined;
  const customRoutes = [
    {
      path: "/healthz",
      method: ["GET"],
      handler: async (_req: unknown, res: import("node:http").ServerResponse) => {
        const ok = await o.health().catch(() => false);
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok, database: ok ? "reachable" : "unreachable" }));
      },
    },
    {
      path: "/metrics",
      method: ["GET"],
      handler: async (_req: unknown, res: import("node:http").ServerResponse) => {
        res.writeHead(200, { "content-type": o.metrics.registry.contentType });
        res.end(await o.metrics.registry.metrics());
      },
    },
  ];
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 };
  const client = new WebClient(o.env.botToken, clientOptions);
  // Not Bolt's `token` mode: it calls auth.test in the constructor, and a failure there is unhandled.
  const auth = botAuthorization(client, o.env.botToken);
  const common = { authorize: auth.authorize, logLevel: LogLevel.WARN, customRoutes, clientOptions };
  const app =
    o.env.mode === "socket"
      ? new App({ ...common, appToken: o.env.appToken!, socketMode: true, installerOptions: { port: o.port } })
      : new App({ ...common, signingSecret: o.env.signingSecret!, endpoints: "/slack/events", port: o.port });
  app.error(async (e) => o.log.error("slack error", { error: e.message }));
  const chat = new SlackChat(client, { announcementsChannel: o.env.announcementsChannel, perChannelIntervalMs: o.perChannelIntervalMs });
  let server: Server | null = null;
  let inFlight: InFlight | null = null;
  return {
    app,
    chat,
    attach: (ctx) => {
      inFlight = registerHandlers(app, ctx, o.metrics, o.log);
    },
    settled: () => inFlight?.settled() ?? Promise.resolve(),
    async start() {
      await auth.verify();
      const started = (await app.start(o.port)) as unknown;
      server = started && typeof (started as Server).address === "function" ? (started as Server) : null;
      if (server) refuseFutureTimestamps(server);
      const addr = server?.address();
      return { port: addr && typeof addr === "object" ? addr.port : null };
    },
    async stop() {
      await app.stop();
      await inFlight?.settled();
    },
  };
}

/**
 * Bolt refuses a signature timestamp more than 5 minutes in the past, but not one in the future: a
 * request signed an hour ahead would be accepted (and could be replayed for an hour). This guard in
 * front of Bolt's listener answers 401 to either.
 */
function refuseFutureTimestamps(server: Server): void {
  const bolt = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const ts = Number(req.headers["x-slack-request-timestamp"]);
    if (req.url?.startsWith("/slack/") && Number.isFinite(ts) && ts * 1000 - Date.now() > 5 * 60_000) {
      res.writeHead(401).end();
      req.resume();
      return;
    }
    for (const l of bolt) l(req, res);
  });
}
