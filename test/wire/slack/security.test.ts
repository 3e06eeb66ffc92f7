/**
 * Signature verification stays on: unsigned, forged and stale requests get 401 and store nothing.
 * /healthz says whether the database is reachable; /metrics speaks Prometheus.
 */
import { describe, expect, it } from "vitest";
import { incidents, processedRequests } from "../../../src/db/schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { sign, slackHarness, type SlackHarness, useSlackHarness, slashCommand } from "../../support/slack-harness.js";

const DECLARE = 'declare "Payment API down" --impact I1 --urgency U2';

describe.each(backends)("Slack request security and probes on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  useSlackHarness(backend, (t) => ({ h, database } = t));

  it.each([
    ["unsigned", (_body: string) => ({})],
    ["signed with another secret", (body: string) => sign(body, "not-the-signing-secret")],
    ["stale (signed 6 minutes ago)", (body: string) => sign(body, undefined, Math.floor(Date.now() / 1000) - 6 * 60)],
    ["tampered after signing", (body: string) => sign(body.replace("I1", "I3"))],
  ])("%s → 401, nothing stored, nothing sent", async (_label, headers) => {
    const cmd = slashCommand(DECLARE);
    const res = await h.post(cmd, headers(cmd.body));
    expect(res.status).toBe(401);
    expect(await database.db.select().from(incidents)).toEqual([]);
    expect(await database.db.select().from(processedRequests)).toEqual([]);
    expect(h.api.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
  });

  it("GET /healthz is 200 with the database reachable", async () => {
    const res = await fetch(`${h.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: "reachable" });
  });

  it("GET /metrics counts commands, declarations by priority, timers fired and handler latency", async () => {
    await h.post(slashCommand(DECLARE));
    await h.post(slashCommand("frobnicate"));
    const res = await fetch(`${h.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/incident_bot_commands_total\{[^}]*platform="slack"[^}]*subcommand="declare"[^}]*outcome="ok"[^}]*\} 1/);
    expect(text).toMatch(/incident_bot_commands_total\{[^}]*subcommand="unknown"[^}]*outcome="E_UNKNOWN_SUBCOMMAND"[^}]*\} 1/);
    expect(text).toMatch(/incident_bot_incidents_declared_total\{priority="P1"\} 1/);
    expect(text).toMatch(/incident_bot_timers_fired_total\{kind="warroom.open",result="ok"\} 1/);
    expect(text).toMatch(/incident_bot_handler_seconds_count\{platform="slack",kind="command"\} 1/);
    expect(text).toMatch(/incident_bot_deliveries_failed_total/);
  });
});

describe.each(backends)("Slack health on $name with the database gone", (backend) => {
  it("GET /healthz is 503 when the database is unreachable", async () => {
    const database = await backend.open();
    const h = await slackHarness(database);
    await h.bot.stop();
    await database.destroy();
    const res = await fetch(`${h.base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, database: "unreachable" });
    await h.close();
  });
});
