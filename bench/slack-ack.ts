/**
 * Ack latency of `/incident declare` over Slack's HTTP wire, against a baseline measured in the same
 * run: a bare Bolt App whose /incident handler only acks. Both receive the same signed, form-encoded
 * requests on loopback from a client in another process, paced (20 ms apart) and back to back (as a
 * busy workspace would send them), while the bot's declare work (a PGlite transaction, the reply to
 * response_url) runs after each ack. Prints p50/p99 of each and the ratios; Slack's budget is 3 s.
 *
 *   npm run bench            (BENCH_REQUESTS=300 by default, after 30 warm-up requests)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LogLevel } from "@slack/bolt";
import { createSlackAdapter } from "../src/adapters/slack/server.js";
import { createBot } from "../src/bot.js";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/client.js";
import { applyMigrations } from "../src/db/migrate.js";
import { DEFAULT_POLICY } from "../src/domain/policy.js";
import { silentLogger } from "../src/log.js";
import { Metrics } from "../src/metrics.js";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { SECRET } from "../test/support/slack-harness.js";

const N = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = 30;

/** Runs the client in another process and returns its latencies (ms). */
function measure(port: number, responseUrl: string, n: number, gapMs = 0): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/ack-client.ts", String(port), String(n), String(gapMs), responseUrl], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`ack client exited ${code}`))));
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main() {
  const api = await FakeSlackApi.start();
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const database = await openDatabase({ pgliteDir: dir });
  await applyMigrations(database);

  const bare = new App({ token: "xoxb-bench", signingSecret: SECRET, logLevel: LogLevel.ERROR, port: 0, clientOptions: { slackApiUrl: api.url } });
  bare.command("/incident", async ({ ack }) => ack());
  const bareServer = (await bare.start(0)) as unknown as import("node:http").Server;
  const barePort = (bareServer.address() as { port: number }).port;

  const metrics = new Metrics();
  const env = { mode: "http" as const, botToken: "xoxb-bench", signingSecret: SECRET, apiUrl: api.url };
  const adapter = createSlackAdapter({ env, port: 0, log: silentLogger, metrics, health: async () => true, perChannelIntervalMs: 0 });
  const bot = createBot({ database, clock: systemClock, policy: DEFAULT_POLICY, chats: [adapter.chat], metrics });
  adapter.attach(bot.ctx);
  const port = (await adapter.start()).port!;

  const url = api.responseUrl("bench");
  await measure(barePort, url, WARMUP);
  await measure(port, url, WARMUP);
  // Interleave the two in rounds so drift on the machine hits both alike.
  const base: number[] = [];
  const idle: number[] = [];
  const busy: number[] = [];
  for (let round = 0; round < 5; round++) {
    base.push(...(await measure(barePort, url, N / 5)));
    idle.push(...(await measure(port, url, N / 5, 20)));
    busy.push(...(await measure(port, url, N / 5)));
  }
  await adapter.settled();

  const row = (name: string, xs: number[]) => `${name.padEnd(34)} ${pct(xs, 50).toFixed(2).padStart(8)} ${pct(xs, 99).toFixed(2).padStart(8)}`;
  console.log(`Slack slash-command ack latency, ${N} signed requests each on loopback (ms)`);
  console.log(`${"".padEnd(34)} ${"p50".padStart(8)} ${"p99".padStart(8)}`);
  console.log(row("bare Bolt app (ack only)", base));
  console.log(row("bot, 20 ms between requests", idle));
  console.log(row("bot, back to back", busy));
  const ratio = (xs: number[]) => `p50 ${(pct(xs, 50) / pct(base, 50)).toFixed(2)}x, p99 ${(pct(xs, 99) / pct(base, 99)).toFixed(2)}x`;
  console.log(`ratio to bare Bolt: paced ${ratio(idle)}; back to back ${ratio(busy)}`);

  await adapter.stop();
  await bot.stop();
  await bare.stop();
  await database.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
