/**
 * Start-up time and idle memory of the compiled bot, against a baseline measured in the same run: a
 * bare `node -e` that opens an HTTP port (what any Node service pays). For each configuration the
 * time from spawn to ready and the resident memory (RSS, summed over the process tree) after 2 s of
 * idling, median of BENCH_STARTS runs (3 by default), on a data directory initialised beforehand so
 * PGlite's first-run initdb is not counted.
 *
 *   baseline              node -e (http.createServer().listen)                  ready: port answers
 *   console               node dist/main.js, no token, stdin open               ready: help printed
 *   slack                 node dist/main.js, Slack only (fake Web API)          ready: /healthz 200
 *   slack + discord.js    the same with discord.js preloaded, as before lazy loading
 *   slack via tsx         tsx src/main.ts, as `npm start` ran before             ready: /healthz 200
 *
 *   console, new DATA_DIR the console on an empty DATA_DIR (a first start: from the build's seed)
 *   slack on PostgreSQL   Slack only, and Slack with discord.js loaded, on a scratch PostgreSQL
 *                         database (BENCH_DATABASE_URL / TEST_DATABASE_URL or 127.0.0.1:5432; rows
 *                         shown only then)
 *
 *   npm run build && tsx bench/startup.ts          (also the second half of `npm run bench`)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { postgresAdminUrl, scratchPostgres } from "./stores.js";
import { SECRET } from "../test/support/slack-harness.js";

const RUNS = Number(process.env.BENCH_STARTS ?? 3);
const IDLE_MS = 2_000;
const root = new URL("..", import.meta.url).pathname;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** RSS in bytes of `pid` and its descendants. */
function treeRss(pid: number): number {
  let rss = 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    rss += m ? Number(m[1]) * 1024 : 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) rss += treeRss(Number(c));
    }
  } catch {
    // gone
  }
  return rss;
}

async function poll(what: string, fn: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    if (await Promise.resolve(fn()).catch(() => false)) return;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const healthz = (port: number, path = "/healthz") => async () => (await fetch(`http://127.0.0.1:${port}${path}`)).status === 200;

interface Config {
  name: string;
  command: string[];
  env: (port: number, dataDir: string) => Record<string, string>;
  /** Resolves when ready. */
  ready: (child: ChildProcess, port: number, output: () => string) => Promise<void>;
}

async function once(c: Config, dataDir: string): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const child = spawn(c.command[0]!, c.command.slice(1), { cwd: root, env: c.env(port, dataDir), stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  try {
    await Promise.race([c.ready(child, port, () => out), exited.then(() => Promise.reject(new Error(`${c.name} exited: ${out}`)))]);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { ms, rss: treeRss(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const api = await FakeSlackApi.start();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_|SMTP_|PORT$)/.test(k))) as Record<string, string>;
  const slackEnv = (port: number, dataDir: string) => ({ ...clean, DATA_DIR: dataDir, LOG_LEVEL: "warn", PORT: String(port), SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url });
  const configs: Config[] = [
    {
      name: "baseline: node -e http listen",
      command: [process.execPath, "-e", "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')"],
      env: (port) => ({ ...clean, PORT: String(port) }),
      ready: (_c, port) => poll("baseline", healthz(port, "/")),
    },
    {
      name: "console: node dist/main.js",
      command: [process.execPath, "dist/main.js"],
      env: (_port, dataDir) => ({ ...clean, DATA_DIR: dataDir, LOG_LEVEL: "warn" }),
      ready: async (child, _port, output) => {
        child.stdin!.write("/incident help\n");
        await poll("console help", () => output().includes("Incident bot commands"));
      },
    },
    {
      name: "slack only: node dist/main.js",
      command: [process.execPath, "dist/main.js"],
      env: slackEnv,
      ready: (_c, port) => poll("slack /healthz", healthz(port)),
    },
    {
      name: "slack only + discord.js loaded (eager)",
      command: [process.execPath, "--import", "discord.js", "dist/main.js"],
      env: slackEnv,
      ready: (_c, port) => poll("eager /healthz", healthz(port)),
    },
    {
      name: "slack only: tsx src/main.ts (old start)",
      command: [join(root, "node_modules/.bin/tsx"), "src/main.ts"],
      env: slackEnv,
      ready: (_c, port) => poll("tsx /healthz", healthz(port)),
    },
  ];
  const fresh: string[] = [];
  // A new DATA_DIR each time: the first start a user makes (from the build's seed, see src/db/seed.ts).
  configs.splice(2, 0, {
    name: "console, new DATA_DIR",
    command: [process.execPath, "dist/main.js"],
    env: () => {
      const dir = mkdtempSync(join(tmpdir(), "bench-fresh-"));
      fresh.push(dir);
      return { ...clean, DATA_DIR: dir, LOG_LEVEL: "warn" };
    },
    ready: configs[1]!.ready,
  });
  const adminUrl = await postgresAdminUrl();
  const scratch = adminUrl ? await scratchPostgres(adminUrl) : null;
  if (scratch) {
    configs.splice(
      4,
      0,
      {
        name: "slack only on PostgreSQL (no PGlite)",
        command: [process.execPath, "dist/main.js"],
        env: (port, dataDir) => ({ ...slackEnv(port, dataDir), DATABASE_URL: scratch.url }),
        ready: (_c, port) => poll("postgres /healthz", healthz(port)),
      },
      {
        name: "slack + discord.js loaded, PostgreSQL",
        command: [process.execPath, "--import", "discord.js", "dist/main.js"],
        env: (port, dataDir) => ({ ...slackEnv(port, dataDir), DATABASE_URL: scratch.url }),
        ready: (_c, port) => poll("postgres eager /healthz", healthz(port)),
      },
    );
  }

  const dataDir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  try {
    // First starts initialise PGlite and migrate both databases; not counted.
    await once(configs[1]!, dataDir);
    if (scratch) await once(configs[4]!, dataDir);
    const results = new Map<string, { ms: number[]; rss: number[] }>(configs.map((c) => [c.name, { ms: [], rss: [] }]));
    // Rounds interleave the configurations so drift on the machine hits all alike.
    for (let r = 0; r < RUNS; r++) {
      for (const c of configs) {
        const { ms, rss } = await once(c, dataDir);
        results.get(c.name)!.ms.push(ms);
        results.get(c.name)!.rss.push(rss);
      }
    }
    const base = results.get(configs[0]!.name)!;
    const [baseMs, baseRss] = [median(base.ms), median(base.rss)];
    console.log(`Start-up to ready and idle RSS after ${IDLE_MS / 1000} s, median of ${RUNS} starts (ratio to the bare node baseline)`);
    console.log(`${"".padEnd(38)} ${"ready ms".padStart(9)} ${"ratio".padStart(7)} ${"RSS MB".padStart(8)} ${"ratio".padStart(7)}`);
    for (const c of configs) {
      const r = results.get(c.name)!;
      const [ms, rss] = [median(r.ms), median(r.rss)];
      console.log(`${c.name.padEnd(38)} ${ms.toFixed(0).padStart(9)} ${(ms / baseMs).toFixed(1).padStart(6)}x ${(rss / 2 ** 20).toFixed(1).padStart(8)} ${(rss / baseRss).toFixed(1).padStart(6)}x`);
    }
  } finally {
    for (const d of [dataDir, ...fresh]) rmSync(d, { recursive: true, force: true });
    await scratch?.drop();
    await api.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
