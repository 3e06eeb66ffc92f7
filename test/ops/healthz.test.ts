/**
 * `/healthz` as a load balancer polls it: 200 while the database answers, 503 from the moment the
 * process starts shutting down (so the replica is drained before it closes), and `/metrics` still
 * served meanwhile.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../src/adapters/slack/server.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { SECRET } from "../support/slack-harness.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe("/healthz", () => {
  it("answers 503 once draining, while /metrics still answers", async () => {
    const api = await FakeSlackApi.start();
    cleanup.push(() => api.close());
    let draining = false;
    const env = { mode: "http" as const, botToken: "xoxb-test", signingSecret: SECRET, apiUrl: api.url };
    const adapter = createSlackAdapter({ env, port: 0, log: silentLogger, metrics: new Metrics(), health: async () => true, draining: () => draining });
    const { port } = await adapter.start();
    cleanup.push(() => adapter.stop());
    const get = async (path: string) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: r.status, body: await r.text() };
    };
    expect(await get("/healthz")).toEqual({ status: 200, body: JSON.stringify({ ok: true, database: "reachable" }) });
    draining = true;
    expect(await get("/healthz")).toEqual({ status: 503, body: JSON.stringify({ ok: false, draining: true }) });
    const metrics = await get("/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain("incident_bot_commands_total");
  });
});
