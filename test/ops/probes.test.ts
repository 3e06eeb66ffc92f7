/** `/healthz` and `/metrics` on their own server, for deployments without Slack's (Discord only). */
import { afterEach, describe, expect, it } from "vitest";
import { startProbeServer } from "../../src/adapters/http/probes.js";
import { Metrics } from "../../src/metrics.js";

describe("the probe server", () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it("answers /healthz from the database's health, 503 while draining, and /metrics in Prometheus' format", async () => {
    let healthy = true;
    let draining = false;
    const metrics = new Metrics();
    metrics.commandHandled("discord", "ack", "ok");
    const { server, port } = await startProbeServer(0, { health: async () => healthy, draining: () => draining, metrics });
    close = () => new Promise((r) => server.close(() => r()));
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    };
    expect(await get("/healthz")).toEqual({ status: 200, body: JSON.stringify({ ok: true, database: "reachable" }) });
    healthy = false;
    expect((await get("/healthz")).status).toBe(503);
    healthy = true;
    draining = true;
    expect(await get("/healthz")).toEqual({ status: 503, body: JSON.stringify({ ok: false, draining: true }) });
    const m = await get("/metrics");
    expect(m.status).toBe(200);
    expect(m.body).toContain('incident_bot_commands_total{platform="discord",subcommand="ack",outcome="ok"} 1');
    expect((await get("/nothing")).status).toBe(404);
  });
});
