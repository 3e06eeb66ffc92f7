/**
 * Alerts in, at the wire: real Alertmanager and Grafana payloads (test/fixtures/alerts) posted to the
 * bot's HTTP routes on a real server, with examples/alerts.yaml, a console bot on a real database, and
 * what people see read from the console (war room, DMs, triage channel) and the rows stored.
 */
import { parse as parseYaml } from "yaml";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { count, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alertRoutes } from "../../src/adapters/http/alerts.js";
import { parseAlerts } from "../../src/adapters/http/alert-payloads.js";
import { execute } from "../../src/commands/index.js";
import { startHttpServer } from "../../src/adapters/http/server.js";
import { loadEnv } from "../../src/config/env.js";
import { loadPolicy, parsePolicy } from "../../src/config/policy-file.js";
import { alertGroups, alertStates, incidentEvents, incidents, outbox } from "../../src/db/schema.js";
import { silentLogger } from "../../src/log.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const TOKEN = "s3cret-token-for-alerts-0123456789";
const policy = loadPolicy("examples/alerts.yaml");
const fixture = (name: string) => readFileSync(`test/fixtures/alerts/${name}.json`, "utf8");

describe.each(backends)("alerts in on $name", (backend) => {
  let database: TestDatabase;
  let server: Server | null = null;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    await database.destroy();
  });

  async function setup(opts: { token?: string | null; start?: string; policy?: typeof policy; failDeclare?: boolean } = {}) {
    const h = consoleHarness(database, { policy: opts.policy ?? policy, ...(opts.start ? { start: opts.start } : {}) });
    const env = loadEnv({ ...(opts.token === null ? {} : { ALERTS_TOKEN: opts.token ?? TOKEN }), ALERTS_MAX_BYTES: "8192" });
    // A failure late in the alert's transaction (after the incident, its war room and pages were written).
    const failing = () => ({ ...h.bot.ctx, observer: { commandHandled() {}, incidentDeclared() { throw new Error("the database went away"); } } });
    const started = await startHttpServer(0, alertRoutes({ env, app: () => (opts.failDeclare ? failing() : h.bot.ctx), log: silentLogger }));
    server = started.server;
    const post = async (path: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
      const res = await fetch(`http://127.0.0.1:${started.port}${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
      const json = (await res.json()) as { ok: boolean; error?: string; result?: string; incident?: string | null };
      await h.bot.scheduler.drain();
      return { status: res.status, ...json };
    };
    return { h, post };
  }

  const rows = async () => ({
    incidents: Number((await database.db.select({ n: count() }).from(incidents))[0]!.n),
    groups: Number((await database.db.select({ n: count() }).from(alertGroups))[0]!.n),
    states: Number((await database.db.select({ n: count() }).from(alertStates))[0]!.n),
    outbox: Number((await database.db.select({ n: count() }).from(outbox))[0]!.n),
    events: Number((await database.db.select({ n: count() }).from(incidentEvents))[0]!.n),
  });
  const dms = (lines: string[]) => lines.filter((l) => /^\[DM @[^\]]+\] bot: 🚨 Page/.test(l)).map((l) => /^\[DM @([^\]]+)\]/.exec(l)![1]);

  it("Alertmanager: firing → one P1 with a war room and the schedule's on-call person paged; repeats change nothing; a new alert of the group attaches; resolved is told in the war room", async () => {
    const { h, post } = await setup();
    const first = await post("/alerts/alertmanager", fixture("alertmanager-firing"));
    expect(first).toMatchObject({ status: 200, ok: true, incident: "INC-2026-0001" });
    const out = h.lines.join("\n");
    expect(out).toContain("INC-2026-0001 · P1 Critical · Payments API is down");
    expect(out).toContain("[#inc-20261123-0001-payments-api-is-down] * channel created · topic: P1 Critical · declared · IM @petra · INC-2026-0001 · members: @petra");
    // Monday 23 November 2026: week 46 of the payments rotation started 5 January → petra.
    expect(dms(h.lines)).toEqual(["petra"]);
    const [i] = await database.db.select().from(incidents);
    expect(i).toMatchObject({ priority: "P1", detectedBy: "monitoring", service: "payments", customer: "ACME", nature: "application", declaredBy: "monitoring" });

    const before = await rows();
    for (let n = 0; n < 3; n++) expect(await post("/alerts/alertmanager", fixture("alertmanager-firing"))).toMatchObject({ status: 200, incident: "INC-2026-0001" });
    expect(await rows()).toEqual(before);
    expect(dms(h.lines)).toEqual(["petra"]);

    const from = h.lines.length;
    expect(await post("/alerts/alertmanager", fixture("alertmanager-firing-second"))).toMatchObject({ status: 200, result: "Attached to INC-2026-0001.", incident: "INC-2026-0001" });
    expect(h.lines.slice(from).join("\n")).toContain("🔥 INC-2026-0001: an alert is firing.");
    expect((await rows()).incidents).toBe(1);

    const at = h.lines.length;
    expect(await post("/alerts/alertmanager", fixture("alertmanager-resolved"))).toMatchObject({ status: 200, incident: "INC-2026-0001" });
    const told = h.lines.slice(at).join("\n");
    expect(told).toContain("✅ INC-2026-0001: 2 alerts are resolved. All its alerts are resolved: @petra, resolve the incident if the service is restored.");
    expect(told).toContain("[Resolve]");
    const kinds = (await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, i!.id)).orderBy(incidentEvents.id)).map((e) => e.kind).filter((k) => k.startsWith("alert."));
    expect(kinds).toEqual(["alert.firing", "alert.firing", "alert.resolved", "alert.resolved"]);
    const [still] = await database.db.select().from(incidents);
    expect(still!.status).not.toBe("resolved");
    // The IM presses Resolve, as for any incident: the form asks for the summary, and it is resolved.
    await h.type(":as petra");
    expect(await h.type(":press resolve INC-2026-0001")).toContain("The resolution summary?");
    expect(await h.type("Both payment nodes answer again after the load balancer was restarted.")).toContain("INC-2026-0001 is resolved");
    // Ten requests and a war room: ~3 s warm, but the first test of a file also pays PGlite's and the
    // modules' start-up (30 s seen on two busy cores), hence the longer bound.
  }, 90_000);

  it("Grafana: firing → a P2; resolved → auto-resolved where the rule says so, with the alerts as its summary", async () => {
    const { h, post } = await setup();
    expect(await post("/alerts/grafana", fixture("grafana-firing"))).toMatchObject({ status: 200, incident: "INC-2026-0001" });
    const [i] = await database.db.select().from(incidents);
    expect(i).toMatchObject({ priority: "P2", title: "High memory usage in zone us-1", detectedBy: "monitoring" });
    const at = h.lines.length;
    expect(await post("/alerts/grafana", fixture("grafana-resolved"))).toMatchObject({ status: 200 });
    expect(h.lines.slice(at).join("\n")).toContain("All its alerts are resolved: the bot resolves the incident (autoResolve).");
    const [after] = await database.db.select().from(incidents);
    expect(after!.status).toBe("resolved");
    const resolved = (await database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, "status.changed"))).map((e) => e.data);
    expect(JSON.stringify(resolved)).toContain("High memory usage in zone us-1");
    // A new firing after resolution opens a new incident that names the previous one.
    const again = JSON.parse(fixture("grafana-firing"));
    again.alerts[0].startsAt = "2026-11-23T12:00:00+01:00";
    expect(await post("/alerts/grafana", JSON.stringify(again))).toMatchObject({ status: 200, incident: "INC-2026-0002" });
    const [, second] = await database.db.select().from(incidents).orderBy(incidents.id);
    expect(second!.description).toContain("Firing again after INC-2026-0001 was resolved.");
  });

  it("bad token, bad JSON, a wrong shape, an oversized body → 401 / 400 / 400 / 413, and nothing stored", async () => {
    const { post } = await setup();
    const empty = await rows();
    const body = fixture("alertmanager-firing");
    expect(await post("/alerts/alertmanager", body, {})).toMatchObject({ status: 401, error: "Missing or wrong token: send Authorization: Bearer <ALERTS_TOKEN>." });
    expect((await post("/alerts/alertmanager", body, { authorization: "Bearer wrong" })).status).toBe(401);
    expect(await post("/alerts/alertmanager", "{not json")).toMatchObject({ status: 400, error: expect.stringMatching(/^The body is not JSON/) });
    const noAlerts = { ...JSON.parse(body), alerts: [] };
    expect(await post("/alerts/alertmanager", JSON.stringify(noAlerts))).toMatchObject({ status: 400, error: "Not a alertmanager notification: alerts must list at least one alert." });
    expect(await post("/alerts/webhook", JSON.stringify({ key: "k", status: "burning", title: "x" }))).toMatchObject({ status: 400, error: 'Not a webhook notification: status must be "firing" or "resolved".' });
    const big = JSON.parse(body);
    big.alerts[0].annotations.description = "x".repeat(9000);
    expect((await post("/alerts/alertmanager", JSON.stringify(big))).status).toBe(413);
    expect(await rows()).toEqual(empty);
  });

  it("a failure inside the alert's transaction answers 500 and keeps nothing (the sender retries)", async () => {
    const { h, post } = await setup({ failDeclare: true });
    const empty = await rows();
    expect(await post("/alerts/alertmanager", fixture("alertmanager-firing"))).toMatchObject({ status: 500, error: "The alerts could not be recorded; nothing was kept. The sender should retry." });
    expect(await rows()).toEqual(empty);
    expect(h.lines).toEqual([]);
  });

  it("without ALERTS_TOKEN the endpoints answer 503 with a sentence", async () => {
    const { post } = await setup({ token: null });
    expect(await post("/alerts/webhook", "{}")).toMatchObject({ status: 503, error: expect.stringContaining("set ALERTS_TOKEN") });
  });

  it("concurrent identical notifications declare one incident", async () => {
    const { post } = await setup();
    const body = JSON.stringify({ key: "disk-full-db-7", status: "firing", title: "Disk full on db-7", service: "database" });
    const answers = await Promise.all([1, 2, 3, 4].map(() => post("/alerts/webhook", body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.incident))).toEqual(new Set(["INC-2026-0001"]));
    expect((await rows()).incidents).toBe(1);
  });

  it("a triage rule posts a Declare button; pressing it declares through the command layer", async () => {
    const { h, post } = await setup();
    const body = JSON.stringify({ key: "latency-api", status: "firing", title: "API latency above 500 ms", labels: { severity: "warning" } });
    expect(await post("/alerts/webhook", body)).toMatchObject({ status: 200, incident: null });
    expect(h.lines.join("\n")).toContain("[#triage] bot: 🔔 Alert from webhook (rule warnings): API latency above 500 ms.");
    expect((await rows()).incidents).toBe(0);
    const out = await h.type(":press declare ALERT-1");
    expect(out).toContain("Declared INC-2026-0001 from ALERT-1. Incident manager: @alice.");
    expect((await database.db.select().from(incidents))[0]).toMatchObject({ priority: "P3", declaredBy: "alice", detectedBy: "monitoring" });
    expect(await h.type(":press declare ALERT-1")).toContain("These alerts were declared already as INC-2026-0001.");
  });

  it("with `alert declare: approver` in the policy, only an approver's Declare declares", async () => {
    const raw = parseYaml(readFileSync("examples/alerts.yaml", "utf8")) as Record<string, any>;
    const strict = parsePolicy({ ...raw, permissions: { ...(raw.permissions ?? {}), "alert declare": "approver" }, rca: { ...(raw.rca ?? {}), approvers: { console: ["bob"] } } });
    const { h, post } = await setup({ policy: strict });
    await post("/alerts/webhook", JSON.stringify({ key: "latency-api", status: "firing", title: "API latency above 500 ms", labels: { severity: "warning" } }));
    expect(await h.type(":press declare ALERT-1")).toContain("Only the approvers (@bob) can declare alerts from triage; ask one of them to press Declare.");
    expect((await rows()).incidents).toBe(0);
    await h.type(":as bob");
    expect(await h.type(":press declare ALERT-1")).toContain("Declared INC-2026-0001 from ALERT-1. Incident manager: @bob.");
  });

  it("`alerts.platform` naming a chat that is not running: declared, paged and triaged on the one that runs, all on one platform", async () => {
    const elsewhere = { ...policy, alerts: { ...policy.alerts, platform: "slack" } };
    const { h, post } = await setup({ policy: elsewhere });
    expect(await post("/alerts/alertmanager", fixture("alertmanager-firing"))).toMatchObject({ status: 200, incident: "INC-2026-0001" });
    const [i] = await database.db.select().from(incidents);
    expect(i).toMatchObject({ platform: "console", declaredBy: "monitoring" });
    expect(h.lines.join("\n")).toContain("[#inc-20261123-0001-payments-api-is-down] * channel created · topic: P1 Critical · declared · IM @petra");
    expect(dms(h.lines)).toEqual(["petra"]); // the console participant, not Slack's U0PETRA
    expect((await database.db.select({ platform: outbox.platform }).from(outbox)).every((r) => r.platform === "console")).toBe(true);

    await post("/alerts/webhook", JSON.stringify({ key: "latency-api", status: "firing", title: "API latency above 500 ms", labels: { severity: "warning" } }));
    expect(h.lines.join("\n")).toContain("[#triage] bot: 🔔 Alert from webhook (rule warnings): API latency above 500 ms.");
    expect(await h.type(":press declare ALERT-2")).toContain("Declared INC-2026-0002 from ALERT-2. Incident manager: @alice.");
  });

  it("only the webhooks run `alert`: a person's invocation is refused, even where a policy names the command", async () => {
    // The schema refuses `permissions.alert`; a policy built in code is not read by it.
    const loose = { ...policy, permissions: { ...policy.permissions, alert: "anyone" as const } };
    const { h } = await setup({ policy: loose });
    const parsed = parseAlerts("webhook", { key: "disk-full-db-7", status: "firing", title: "Disk full on db-7", service: "database" });
    if (!parsed.ok) throw new Error(parsed.reason);
    const reply = await execute(h.bot.ctx, { platform: "console", channelId: "general", userId: "mallory" }, { name: "alert", op: "receive", batch: parsed.batch });
    expect(reply.text).toBe("Alerts come in only through the monitoring webhooks (/alerts/…).");
    expect(await rows()).toMatchObject({ incidents: 0, groups: 0, outbox: 0 });
  });

  it("a triage proposal whose alerts clear before anyone declares it is withdrawn", async () => {
    const { h, post } = await setup();
    const alert = { key: "latency-web", title: "Web latency above 500 ms", labels: { severity: "warning" } };
    await post("/alerts/webhook", JSON.stringify({ ...alert, status: "firing" }));
    expect(await post("/alerts/webhook", JSON.stringify({ ...alert, status: "resolved" }))).toMatchObject({ status: 200, result: "Resolved while waiting in triage: the proposal is withdrawn." });
    expect(h.lines.join("\n")).toContain("[#triage] bot: ✅ ALERT-1 (rule warnings): its alerts are resolved; nothing to declare.");
    expect(await h.type(":press declare ALERT-1")).toContain("These alerts no longer wait in triage.");
    expect((await rows()).incidents).toBe(0);
  });

  it("a flood is bounded: past the rule's rate the alerts join one storm incident and the triage channel says so", async () => {
    const { h, post } = await setup();
    for (let n = 1; n <= 5; n++) {
      const r = await post("/alerts/webhook", JSON.stringify({ key: `db-${n}`, status: "firing", title: `Replication lag on db-${n}`, labels: { instance: `db-${n}:5432` } }));
      expect(r.status).toBe(200);
    }
    // The databases rule pages its own ladder (level 1 in business hours: dba1).
    expect(new Set(dms(h.lines))).toEqual(new Set(["dba1"]));
    const list = await database.db.select().from(incidents).orderBy(incidents.id);
    // databases: maxNewPerMinute 3 → three incidents, then one storm incident for db-4 and db-5.
    expect(list.map((i) => i.title)).toEqual(["Replication lag on db-1", "Replication lag on db-2", "Replication lag on db-3", "Monitoring storm: rule databases"]);
    expect(h.lines.join("\n")).toContain("🌩️ Monitoring storm: rule databases opened 3 incidents in the last minute");
    await h.type(":advance 2m");
    expect((await post("/alerts/webhook", JSON.stringify({ key: "db-9", status: "firing", title: "Replication lag on db-9", labels: { instance: "db-9:5432" } }))).incident).toBe("INC-2026-0005");
  });
});
