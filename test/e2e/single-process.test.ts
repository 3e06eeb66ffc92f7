/**
 * The embedded database is single-process: while `npm start` runs on a DATA_DIR, a second `npm start`
 * or `npm run report` on it stops at once with a sentence naming the holder and what to do instead,
 * and writes nothing. With DATABASE_URL (PostgreSQL) the report runs while the bot runs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { seededDataDir } from "../support/data-dir.js";

const root = new URL("../..", import.meta.url).pathname;
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  children.forEach((c) => c.kill("SIGKILL"));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_)/.test(k)));

/** The console bot, its input kept open so it keeps running. */
async function runningBot(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["dist/main.js"], { cwd: root, env: { ...clean, LOG_LEVEL: "info", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stdin!.write('/incident declare "Payment API down" --impact I1 --urgency U2\n');
  for (let i = 0; i < 600 && !out.includes("Declared INC-"); i++) await new Promise((r) => setTimeout(r, 100));
  expect(out).toContain("Declared INC-");
  return child;
}

const run = (args: string[], env: Record<string, string>, input = "") =>
  spawnSync(process.execPath, args, { cwd: root, input, encoding: "utf8", timeout: 60_000, env: { ...clean, LOG_LEVEL: "warn", ...env } });

describe("one process per embedded database", () => {
  it("a second npm start or npm run report on a DATA_DIR in use stops at once, naming the holder, and writes nothing", async () => {
    const dataDir = seededDataDir("incident-bot-");
    dirs.push(dataDir);
    const bot = await runningBot({ DATA_DIR: dataDir });

    const second = run(["dist/main.js"], { DATA_DIR: dataDir }, '/incident declare "Second" --impact I1 --urgency U2\n');
    expect(second.status).toBe(75);
    expect(second.stderr).toContain(`is in use by process ${bot.pid} (`);
    expect(second.stderr).toContain("set DATABASE_URL to a PostgreSQL database");
    expect(second.stdout).not.toContain("Declared");

    const report = run(["dist/report-cli.js", "--month", "2026-11"], { DATA_DIR: dataDir });
    expect(report.status).toBe(75);
    expect(report.stderr).toContain(`is in use by process ${bot.pid}`);

    bot.stdin!.end();
    await new Promise((r) => bot.once("exit", r));
    expect(existsSync(join(dataDir, "pglite.pid"))).toBe(false);
    const after = run(["dist/main.js"], { DATA_DIR: dataDir }, "/incident list --all\n");
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/INC-\d{4}-0001 · P1 Critical · declared · Payment API down/);
    expect(after.stdout).not.toContain("Second");
  }, 120_000);

  it.runIf(!!process.env.TEST_DATABASE_URL)("with DATABASE_URL, npm run report runs while the bot runs", async () => {
    const name = `report_${randomBytes(5).toString("hex")}`;
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    try {
      const bot = await runningBot({ DATABASE_URL: url.toString() });
      const report = run(["dist/report-cli.js", "--month", new Date().toISOString().slice(0, 7)], { DATABASE_URL: url.toString() });
      expect(report.status).toBe(0);
      expect(report.stdout).toContain("Payment API down");
      bot.stdin!.end();
      await new Promise((r) => bot.once("exit", r));
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 120_000);
});
