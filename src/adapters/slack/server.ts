/**
 * The Slack side of the process: a Bolt App over HTTP (Events API at /slack/events, signature
 * verification on) or Socket Mode, with the bot's other HTTP routes (`http/routes.ts`) on the same server. The Web API
 * client goes to SLACK_API_URL when set, with its own retries off (see slack-chat.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { App, HTTPReceiver, LogLevel, type CustomRoute, type Logger as SlackLogger } from "@slack/bolt";
import type { AppContext } from "../../commands/index.js";
import type { SlackEnv } from "../../config.js";
import { withLogContext, type Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { WebClient } from "@slack/web-api";
import { botAuthorization } from "./auth.js";
import { registerHandlers, type InFlight } from "./handlers.js";
import { SlackChat } from "./slack-chat.js";
import { probeRoutes } from "../http/probes.js";
import type { HttpRoute } from "../http/route.js";
import type { WorkLimit } from "../work-limit.js";

export interface SlackOptions {
  env: SlackEnv;
  port: number;
  log: Logger;
  /** The bot's HTTP routes (`http/routes.ts`), served on Slack's server. */
  routes?: HttpRoute[];
  /** Without `routes`: the probes alone, from the database's health. */
  health?: () => Promise<boolean>;
  /** True once the process is shutting down: `/healthz` answers 503 so a load balancer drains it. */
  draining?: () => boolean;
  metrics: Metrics;
  perChannelIntervalMs?: number;
  /** False: tiered calls are not booked against Slack's tiers, only 429s slow them (for comparison). */
  paceCalls?: boolean;
  /** Work after the ack running at once: the process's limit, or a size (default WORK_LIMIT, work-limit.ts). */
  workLimit?: WorkLimit | number;
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
  const customRoutes = boltRoutes(o.routes ?? probeRoutes({ health: o.health ?? (async () => true), metrics: o.metrics, ...(o.draining ? { draining: o.draining } : {}) }));
  // Bolt's and the Web API client's own messages go through our logger: JSON lines, secrets scrubbed.
  const logger = slackLogger(o.log);
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000, logger };
  const client = new WebClient(o.env.botToken, clientOptions);
  // Not Bolt's `token` mode: it calls auth.test in the constructor, and a failure there is unhandled.
  const auth = botAuthorization(client, o.env.botToken);
  const common = { authorize: auth.authorize, logger, logLevel: LogLevel.WARN, customRoutes, clientOptions };
  const app =
    o.env.mode === "socket"
      ? new App({ ...common, appToken: o.env.appToken!, socketMode: true, installerOptions: { port: o.port } })
      : new App({ authorize: auth.authorize, logger, logLevel: LogLevel.WARN, clientOptions, receiver: httpReceiver(o.env.signingSecret!, o.port, customRoutes, o.log, slackLogger(o.log)) });
  app.error(async (e) => o.log.error("slack error", { error: e.message }));
  // Every log line written while handling a request carries the platform and the request's id.
  app.use(async ({ body, next }) =>
    withLogContext({ platform: "slack", request: requestId(body) }, () => {
      o.log.debug("slack request", { type: (body as { type?: unknown }).type ?? "command" });
      return next();
    }),
  );
  const chat = new SlackChat(client, { announcementsChannel: o.env.announcementsChannel, perChannelIntervalMs: o.perChannelIntervalMs, paceCalls: o.paceCalls });
  let server: Server | null = null;
  let inFlight: InFlight | null = null;
  return {
    app,
    chat,
    attach: (ctx) => {
      inFlight = registerHandlers(app, ctx, o.metrics, o.log, o.workLimit);
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

/** Our routes as Bolt's: a handler's failure answers 500 instead of becoming an unhandled rejection. */
function boltRoutes(routes: HttpRoute[]): CustomRoute[] {
  return routes.map((r) => ({
    path: r.path,
    method: r.method,
    handler: (req, res) => {
      const params = Object.fromEntries(Object.entries(req.params ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : String(v)]));
      r.handler(Object.assign(req, { params }), res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
    },
  }));
}

/** The id Slack gives the request: trigger (commands, buttons, modals opened), view (submissions), event. */
function requestId(body: unknown): string | undefined {
  const b = body as { trigger_id?: unknown; view?: { id?: unknown }; event_id?: unknown } | null;
  const id = b?.trigger_id ?? b?.view?.id ?? b?.event_id;
  return typeof id === "string" ? id : undefined;
}

/** @slack/logger's interface over ours, so Bolt and the Web API client never print their own lines. */
function slackLogger(log: Logger): SlackLogger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  let level = LogLevel.WARN;
  let name = "slack";
  const text = (m: unknown) => {
    if (m instanceof Error) return m.message;
    if (typeof m === "string") return m;
    try {
      return JSON.stringify(m);
    } catch {
      return String(m);
    }
  };
  const at =
    (lvl: keyof typeof order) =>
    (...msg: unknown[]) => {
      if (order[lvl] >= order[level]) log[lvl](msg.map(text).join(" "), { source: name });
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: (n) => void (name = n),
  };
}

/**
 * Bolt refuses a signature timestamp more than 5 minutes in the past, but not one in the future: a
 * request signed an hour ahead would be accepted (and could be replayed for an hour). This guard in
 * front of Bolt's listener answers 401 to it.
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
    // Bolt answers a body it cannot parse (bad JSON in `payload`) with a bare 400; Slack only sends
    // such a thing by mistake, and the rule here is an ack: 200, nothing changed.
    const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => writeHead(status === 400 ? 200 : status, ...rest)) as typeof res.writeHead;
    for (const l of bolt) l(req, res);
  });
}

/**
 * Bolt's HTTP receiver with answers for what it cannot use: a payload it cannot parse (bad JSON) or
 * whose processing failed before the ack gets 200 with nothing to show (Slack would otherwise show
 * an error and retry), and a payload no listener acknowledges (an unknown type) gets 200 after 2 s —
 * inside Slack's 3 s — instead of Bolt's 404 after 3.001 s. Unknown paths stay 404.
 */
function httpReceiver(signingSecret: string, port: number, customRoutes: CustomRoute[], log: Logger, logger: SlackLogger): HTTPReceiver {
  const quietOk = (response: ServerResponse) => {
    if (response.headersSent) return;
    response.writeHead(200);
    response.end();
  };
  return new HTTPReceiver({
    signingSecret,
    endpoints: "/slack/events",
    port,
    customRoutes,
    logger,
    logLevel: LogLevel.ERROR,
    dispatchErrorHandler: async ({ error, request, response }) => {
      if ((error as { code?: string }).code === "slack_bolt_http_receiver_deferred_request_error") {
        response.writeHead(404).end();
        return;
      }
      log.warn("slack request not usable", { path: request.url, error: (error as Error).message });
      quietOk(response);
    },
    processEventErrorHandler: async ({ error, response }) => {
      log.warn("slack event failed before its ack", { error: (error as Error).message });
      if ((error as { code?: string }).code === "slack_bolt_authorization_error") {
        if (!response.headersSent) response.writeHead(401).end();
        return true;
      }
      quietOk(response);
      return true;
    },
    unhandledRequestHandler: ({ response }) => quietOk(response),
    unhandledRequestTimeoutMillis: 2000,
  });
}
