/**
 * The promise for Slack, as a user runs it: with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
 * SLACK_API_URL, PORT and SLACK_ANNOUNCEMENTS_CHANNEL set and no DATABASE_URL, `npm start` serves
 * /slack/events on PGlite; a signed declare opens the war room through the (fake) Web API, and
 * SIGTERM shuts it down cleanly.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededDataDir } from "../support/data-dir.js";
import { ANNOUNCEMENTS, FakeSlackApi } from "../support/fake-slack-api.js";
import { SECRET, sign, slashCommand } from "../support/slack-harness.js";

const root = new URL("../..", import.meta.url).pathname;
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("npm start with Slack settings", () => {
  it("serves /slack/events on PGlite and declares through the Web API", async () => {
    const api = await FakeSlackApi.start();
    cleanup.push(() => api.close());
    const dataDir = seededDataDir("incident-bot-slack-");
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_)/.test(k)));
    const child = spawn(process.execPath, ["dist/main.js"], {
      cwd: root,
      env: { ...clean, DATA_DIR: dataDir, LOG_LEVEL: "warn", PORT: String(port), SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url, SLACK_ANNOUNCEMENTS_CHANNEL: ANNOUNCEMENTS },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    cleanup.push(() => void child.kill("SIGKILL"));

    await until("/healthz", async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined));
    const cmd = slashCommand('declare "Payment API down" --impact I1 --urgency U2', { responseUrl: api.responseUrl("npm") });
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": cmd.contentType, ...sign(cmd.body) }, body: cmd.body });
    expect(res.status).toBe(200);
    await until("the war room", async () => (api.callsTo("pins.add").length > 0 && api.callsTo("chat.postMessage").some((m) => m.channel === ANNOUNCEMENTS) ? true : undefined));
    expect(api.callsTo("conversations.create")[0]!.name).toMatch(/^inc-\d{8}-0001-payment-api-down$/);
    expect(api.callsTo("response_url")[0]!.text).toContain("· P1 Critical · Payment API down.");

    child.kill("SIGTERM");
    expect(await exited, output).toBe(0);
  }, 60_000);
});
