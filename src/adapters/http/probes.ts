/**
 * `/healthz` and `/metrics`, for every deployment: as routes on Slack's HTTP server when Slack is
 * served over HTTP, or on a small server of their own otherwise (Discord only, Slack in Socket Mode),
 * so a load balancer and Prometheus find them whatever the bot talks to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Metrics } from "../../metrics.js";

export interface ProbeOptions {
  /** Is the database reachable? */
  health: () => Promise<boolean>;
  /** True once the process is shutting down: `/healthz` answers 503 so a load balancer drains it. */
  draining?: () => boolean;
  metrics: Metrics;
}

export interface ProbeRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export function probeRoutes(o: ProbeOptions): ProbeRoute[] {
  return [
    {
      path: "/healthz",
      method: ["GET"],
      handler: async (_req, res) => {
        if (o.draining?.()) {
          res.writeHead(503, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, draining: true }));
          return;
        }
        const ok = await o.health().catch(() => false);
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok, database: ok ? "reachable" : "unreachable" }));
      },
    },
    {
      path: "/metrics",
      method: ["GET"],
      handler: async (_req, res) => {
        res.writeHead(200, { "content-type": o.metrics.registry.contentType });
        res.end(await o.metrics.registry.metrics());
      },
    },
  ];
}

/** The probes on their own server; resolves with the port it listens on. */
export async function startProbeServer(port: number, o: ProbeOptions): Promise<{ server: Server; port: number }> {
  const routes = probeRoutes(o);
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? "GET"));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route.handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : port };
}
