/**
 * `/healthz` and `/metrics`, for every deployment (see `routes.ts` for where they are served), so a
 * load balancer and Prometheus find them whatever the bot talks to.
 */
import type { Metrics } from "../../metrics.js";
import type { HttpRoute } from "./route.js";

export interface ProbeOptions {
  /** Is the database reachable? */
  health: () => Promise<boolean>;
  /** True once the process is shutting down: `/healthz` answers 503 so a load balancer drains it. */
  draining?: () => boolean;
  metrics: Metrics;
}

export function probeRoutes(o: ProbeOptions): HttpRoute[] {
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
