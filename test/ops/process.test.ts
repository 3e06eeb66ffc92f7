/**
 * The compiled bot as an orchestrator runs it: `npm start` is plain node on dist/ (no tsx anywhere in
 * the process tree), SIGTERM during a backlog of 5,000 due timers exits 0 — inside the 5 s budget,
 * since the shutdown watchdog exits 1 past it — leaving no claim held; log lines are JSON carrying
 * their context, with no token in them; a Slack-only start loads neither discord.js nor nodemailer,
 * and a PostgreSQL start does not load PGlite.
 */
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededDataDir } from "../support/data-dir.js";
import { openDatabase } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { timers } from "../../src/db/schema.js";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { backends } from "../support/databases.js";
import { SECRET, sign, slashCommand } from "../support/slack-harness.js";
import { cleanEnv, ensureBuilt, freePort, processTree, run, until, type Running } from "./compiled-start.js";

const BOT_TOKEN = "xoxb-1111-2222-opsSecretToken";
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});
beforeAll(() => ensureBuilt(), 180_000);

async function slackEnv(extra: Record<string, string> = {}) {
  const api = await FakeSlackApi.start();
  cleanup.push(() => api.close());
  const dataDir = seededDataDir("ops-start-");
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env = { ...cleanEnv(), DATA_DIR: dataDir, PORT: String(port), SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url, ...extra };
  return { api, dataDir, port, env };
}

const healthy = (port: number) => until("/healthz", async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined));

function watch(p: Running) {
  cleanup.push(() => void p.child.kill("SIGKILL"));
  return p;
}

/** Every non-empty stderr line, parsed (throws on a line that is not JSON). */
const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the compiled bot as a process", () => {
  it("npm start runs node on dist/ with no tsx, and SIGTERM amid 5,000 due timers exits 0 leaving no claim held", async () => {
    const { port, env, dataDir } = await slackEnv({ LOG_LEVEL: "warn" });
    const pgliteDir = join(dataDir, "pglite");
    {
      const db = await openDatabase({ pgliteDir });
      await applyMigrations(db);
      const due = new Date(Date.now() - 60_000);
      for (let i = 0; i < 5000; i += 500) {
        // A kind no handler knows: each run fails and is rescheduled — work that keeps the scheduler busy.
        await db.db.insert(timers).values(Array.from({ length: 500 }, (_, k) => ({ kind: "ops.backlog", key: `ops:${i + k}`, dueAt: due, payload: {}, createdAt: due })));
      }
      await db.close();
    }
    const bot = watch(run("npm", ["start"], env));
    await healthy(port);
    const tree = processTree(bot.child.pid!);
    const node = tree.find((p) => /^\S*node dist\/main\.js$/.test(p.cmd));
    expect(node, tree.map((p) => p.cmd).join("\n")).toBeDefined();
    expect(tree.filter((p) => p.cmd.includes("tsx"))).toEqual([]);

    // The signal goes to the bot's own process, as with a container whose command is `node dist/main.js`
    // (npm 11 does not forward SIGTERM to its script: it exits 143 and leaves the script running).
    process.kill(node!.pid, "SIGTERM");
    expect(await bot.exited, bot.stderr()).toBe(0);

    const lines = jsonLines(bot.stderr());
    const retries = lines.filter((l) => String(l.msg).startsWith("timer ops.backlog"));
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((l) => typeof l.timer === "number" && l.kind === "ops.backlog" && l.level === "warn")).toBe(true);

    const db = await openDatabase({ pgliteDir });
    const rows = (await db.db.execute(sql`select status, (attempts > 0) as tried, count(*)::int as n, count(locked_by)::int as locked from timers group by 1, 2 order by 1, 2`)) as unknown as {
      rows: { status: string; tried: boolean; n: number; locked: number }[];
    };
    await db.close();
    // Nothing is left running under this replica's lease; part of the backlog was never claimed.
    expect(rows.rows.filter((r) => r.status !== "pending" || r.locked > 0)).toEqual([]);
    expect(rows.rows.find((r) => !r.tried)?.n ?? 0).toBeGreaterThan(0);
  }, 180_000);

  it("a Slack-only start loads Bolt and PGlite but not discord.js or nodemailer; its JSON logs carry the request and no secret", async () => {
    const { port, env, api } = await slackEnv({ LOG_LEVEL: "debug" });
    const spyOut = join(env.DATA_DIR!, "loaded.txt");
    const bot = watch(run(process.execPath, ["--import", "./test/ops/fixtures/load-spy.mjs", "dist/main.js"], { ...env, LOAD_SPY_OUT: spyOut }));
    await healthy(port);
    const cmd = slashCommand("help", { responseUrl: api.responseUrl("ops") });
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": cmd.contentType, ...sign(cmd.body) }, body: cmd.body });
    expect(res.status).toBe(200);
    await until("the help reply", async () => (api.callsTo("response_url").length > 0 ? true : undefined));
    bot.child.kill("SIGTERM");
    expect(await bot.exited, bot.stderr()).toBe(0);

    const loaded = readFileSync(spyOut, "utf8");
    expect(loaded).toMatch(/node_modules\/@slack\/bolt\//);
    expect(loaded).toMatch(/node_modules\/@electric-sql\/pglite\//);
    expect(loaded).not.toMatch(/node_modules\/discord\.js\//);
    expect(loaded).not.toMatch(/node_modules\/nodemailer\//);
    expect(loaded).not.toMatch(/\/adapters\/discord\//);

    const lines = jsonLines(bot.stderr());
    const trigger = new URLSearchParams(cmd.body).get("trigger_id");
    expect(lines.find((l) => l.msg === "slack request")).toMatchObject({ level: "debug", platform: "slack", request: trigger });
    expect(lines.find((l) => l.msg === "shutting down")).toMatchObject({ signal: "SIGTERM" });
    expect(bot.stderr()).not.toContain(BOT_TOKEN);
    expect(bot.stderr()).not.toContain(SECRET);
  }, 120_000);

  it("a second signal during the shutdown exits at once, with 128 + its number", async () => {
    // A response_url that never answers keeps a request in flight, so the shutdown waits its grace.
    const hang = createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", () => r()));
    let reached = false;
    hang.on("request", () => (reached = true));
    cleanup.push(() => new Promise((r) => (hang.closeAllConnections(), hang.close(r))));
    const { port, env } = await slackEnv({ LOG_LEVEL: "info" });
    const bot = watch(run(process.execPath, ["dist/main.js"], env));
    await healthy(port);
    const cmd = slashCommand("help", { responseUrl: `http://127.0.0.1:${(hang.address() as { port: number }).port}/hang` });
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": cmd.contentType, ...sign(cmd.body) }, body: cmd.body });
    expect(res.status).toBe(200);
    await until("the reply in flight", async () => (reached ? true : undefined));

    bot.child.kill("SIGTERM");
    await until("the shutdown under way", async () => (bot.stderr().includes('"msg":"shutting down"') ? true : undefined));
    bot.child.kill("SIGINT");
    expect(await bot.exited, bot.stderr()).toBe(130);
    expect(jsonLines(bot.stderr()).find((l) => l.msg === "second signal: exiting now")).toMatchObject({ signal: "SIGINT" });
  }, 120_000);

  const postgres = backends.find((b) => b.name === "postgres");
  it.runIf(postgres)("a PostgreSQL start does not load PGlite", async () => {
    const database = await postgres!.open();
    cleanup.push(() => database.destroy());
    const { port, env } = await slackEnv({ LOG_LEVEL: "warn", DATABASE_URL: database.url! });
    const spyOut = join(env.DATA_DIR!, "loaded.txt");
    const bot = watch(run(process.execPath, ["--import", "./test/ops/fixtures/load-spy.mjs", "dist/main.js"], { ...env, LOAD_SPY_OUT: spyOut }));
    await healthy(port);
    bot.child.kill("SIGTERM");
    expect(await bot.exited, bot.stderr()).toBe(0);
    const loaded = readFileSync(spyOut, "utf8");
    expect(loaded).toMatch(/node_modules\/postgres\//);
    expect(loaded).not.toMatch(/node_modules\/@electric-sql\/pglite\//);
  }, 120_000);
});

