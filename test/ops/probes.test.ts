/** The bot's own HTTP server (Discord only, console with PORT): the probes, params, 404 and 405. */
import { afterEach, describe, expect, it } from "vitest";
import { probeRoutes } from "../../src/adapters/http/probes.js";
import { startHttpServer } from "../../src/adapters/http/server.js";
import { BodyTooLarge, readBody, sendJson } from "../../src/adapters/http/route.js";
import { Metrics } from "../../src/metrics.js";

describe("the bot's own HTTP server", () => {
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
    const { server, port } = await startHttpServer(0, probeRoutes({ health: async () => healthy, draining: () => draining, metrics }));
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
    expect((await fetch(`http://127.0.0.1:${port}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("passes :name segments as params and refuses a body over its limit", async () => {
    const { server, port } = await startHttpServer(0, [
      {
        path: "/echo/:name",
        method: ["POST"],
        handler: async (req, res) => {
          try {
            const body = await readBody(req, 16);
            sendJson(res, 200, { name: req.params?.name, body: body.toString() });
          } catch (e) {
            sendJson(res, e instanceof BodyTooLarge ? 413 : 500, { error: (e as Error).message });
          }
        },
      },
    ]);
    close = () => new Promise((r) => server.close(() => r()));
    const post = async (path: string, body: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body });
      return { status: res.status, body: await res.json() };
    };
    expect(await post("/echo/desk%20team?x=1", "hello")).toEqual({ status: 200, body: { name: "desk team", body: "hello" } });
    expect((await post("/echo/a", "x".repeat(17))).status).toBe(413);
    expect((await fetch(`http://127.0.0.1:${port}/echo`, { method: "POST" })).status).toBe(404);
  });
});
