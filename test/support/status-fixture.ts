/**
 * The status page's test bed: a console bot (real database, manual clock) with a policy listing two
 * public services and a private one, and the bot's HTTP routes on a real server on port 0.
 */
import { httpRoutes } from "../../src/adapters/http/routes.js";
import { startHttpServer } from "../../src/adapters/http/server.js";
import type { Database } from "../../src/db/client.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import { consoleHarness } from "./console-harness.js";

export const STATUS_POLICY: Policy = {
  ...DEFAULT_POLICY,
  statusPage: {
    title: "Acme status",
    services: {
      checkout: { name: "Checkout", private: false },
      payments: { name: "Payments", private: false },
      ledger: { name: "Internal ledger", private: true },
    },
    internalNatures: ["security"],
    impactStates: {},
  },
};

export async function statusBed(database: Database, opts: { token?: string; start?: string; publicUrl?: string } = {}) {
  const h = consoleHarness(database, { policy: STATUS_POLICY, start: opts.start ?? "2026-12-01T09:00:00Z" });
  const env = loadEnv({ ...(opts.token ? { STATUS_PAGE_TOKEN: opts.token } : {}), ...(opts.publicUrl ? { PUBLIC_URL: opts.publicUrl } : {}) });
  const routes = httpRoutes({ env, database, log: silentLogger, metrics: new Metrics(), health: async () => true, draining: () => false, app: () => h.bot.ctx });
  const { server, port } = await startHttpServer(0, routes);
  const base = `http://127.0.0.1:${port}`;
  return {
    ...h,
    base,
    async get(path: string, init?: RequestInit) {
      const res = await fetch(base + path, init);
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    async json(path = "/status.json") {
      const res = await fetch(base + path);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return (await res.json()) as StatusJson;
    },
    /** Stops the server, dropping the connections a client keeps alive (a browser still open). */
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface StatusJson {
  title: string;
  internal: boolean;
  updatedAt: string;
  status: string;
  services: { id: string; name: string; status: string; private?: boolean; history: { date: string; status: string; incidents: number }[] }[];
  incidents: { reference: string; title: string; service: string | null; state: string; status: string; startedAt: string; resolvedAt: string | null; updates: { at: string; label: string; text: string }[] }[];
  recent: StatusJson["incidents"];
}

export const XSS_TITLE = `<script>alert("x")</script> Checkout & card payments failing`;
export const PUBLIC_UPDATE = `Rolled back release 2026.12.1 <img src=x onerror=alert(1)>; error rate falling`;
