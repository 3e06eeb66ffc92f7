/**
 * The logger as a log pipeline and a person read it: JSON lines carrying the context they were
 * written in (platform, request, timer, incident), readable lines on a terminal, and no secret in
 * either — neither under a secret key nor inside a message or an error's text.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { timers } from "../../src/db/schema.js";
import { addLogContext, createLogger, withLogContext } from "../../src/log.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { backends, type TestDatabase } from "../support/databases.js";

const SLACK_TOKEN = "xoxb-2222-3333-AbCdEfGhIjKlMnOp";
const APP_TOKEN = "xapp-1-A0001-2222-abcdef0123456789";
const DISCORD_TOKEN = "MTE5ODc2NTQzMjEwOTg3NjU0Mw.GxYzAb.abcdefghijklmnopqrstuvwxyz0123456789AB";
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

function capture(level: "debug" | "info" | "warn" | "error" = "debug", format?: "json" | "pretty") {
  const lines: string[] = [];
  const log = createLogger(level, (l) => lines.push(l), { format, secrets: [SIGNING_SECRET, "hunter2-password"] });
  return { log, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("logs", () => {
  it("are JSON lines with level, time and message; debug is dropped at info", () => {
    const { log, json } = capture("info");
    log.debug("not shown");
    log.info("database ready", { where: "PGlite at ./data/pglite" });
    log.error("slack error", { error: "boom" });
    const [a, b, ...rest] = json();
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ level: "info", msg: "database ready", where: "PGlite at ./data/pglite" });
    expect(new Date(String(a!.time)).toISOString()).toBe(a!.time);
    expect(b).toMatchObject({ level: "error", msg: "slack error", error: "boom" });
  });

  it("carry the platform, request and incident of the work they were written in, and child bindings", async () => {
    const { log, json } = capture();
    await withLogContext({ platform: "slack", request: "13345224609.738474920" }, async () => {
      log.info("received");
      await new Promise((r) => setTimeout(r, 1));
      addLogContext({ incident: "INC-2026-0001" });
      log.child({ component: "warroom" }).warn("pin failed");
    });
    log.info("outside");
    expect(json()).toEqual([
      expect.objectContaining({ msg: "received", platform: "slack", request: "13345224609.738474920" }),
      expect.objectContaining({ msg: "pin failed", platform: "slack", request: "13345224609.738474920", incident: "INC-2026-0001", component: "warroom" }),
      expect.not.objectContaining({ platform: expect.anything() }),
    ]);
  });

  it("never print a token or secret, under a secret key or inside text", () => {
    for (const format of ["json", "pretty"] as const) {
      const { log, lines } = capture("debug", format);
      log.info("starting", { token: SLACK_TOKEN, botToken: SLACK_TOKEN, env: { signingSecret: SIGNING_SECRET, appToken: APP_TOKEN }, headers: { authorization: `Bearer ${SLACK_TOKEN}` } });
      log.error(`auth.test failed for ${SLACK_TOKEN}`, { error: `Error: invalid_auth (token ${APP_TOKEN}); Authorization: Bot ${DISCORD_TOKEN}` });
      log.warn("database unreachable", { error: "connect ECONNREFUSED postgres://bot:hunter2-password@db:5432/incidents", secret: "hunter2-password" });
      log.child({ signature: SIGNING_SECRET }).info("request");
      const text = lines.join("\n");
      for (const secret of [SLACK_TOKEN, APP_TOKEN, DISCORD_TOKEN, SIGNING_SECRET, "hunter2-password"]) expect(text, format).not.toContain(secret);
      expect(text).toContain("[redacted]");
      expect(text).toContain("postgres://bot:[redacted]@db:5432/incidents");
      if (format === "json") lines.forEach((l) => JSON.parse(l));
    }
  });

  it("on a terminal are one readable line each: time, level, message, fields", () => {
    const { log, lines } = capture("info", "pretty");
    withLogContext({ platform: "discord", request: "1198" }, () => log.warn("missing permission", { code: 50013, channel: "inc 1" }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  missing permission {2}platform=discord request=1198 code=50013 channel="inc 1"$/);
  });
});

describe.each(backends)("timer log lines on $name", (backend) => {
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await database?.destroy();
    database = null;
  });

  it("carry the timer and its kind, the handler's own lines included", async () => {
    database = await backend.open();
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    await database.db.insert(timers).values({ kind: "remind", key: "remind:1", dueAt: clock.now(), payload: {}, createdAt: clock.now() });
    const { log, json } = capture();
    const s = new Scheduler(database.db, clock, { workerId: "w", log: (m) => log.warn(m) }).on("remind", async () => {
      log.info("reminding");
      throw new Error(`Slack said invalid_auth for ${SLACK_TOKEN}`);
    });
    await s.drain();
    const [id] = (await database.db.select({ id: timers.id }).from(timers)).map((r) => r.id);
    const lines = json();
    expect(lines).toEqual([
      expect.objectContaining({ msg: "reminding", timer: id, kind: "remind" }),
      expect.objectContaining({ level: "warn", timer: id, kind: "remind", msg: expect.stringMatching(/^timer remind remind:1 attempt 1 failed \(Slack said invalid_auth for xox\?-\[redacted\]\)/) }),
    ]);
  });
});
