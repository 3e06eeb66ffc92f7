/**
 * Slack ack latency over the wire, against a bare `@slack/bolt` App that only acks, measured in the
 * same run: signed requests on loopback from a client in another process (bench/ack-client.ts), a
 * fake Web API without rate limits. Per store:
 *   - one request at a time (help / list / declare P3), p50 and p99;
 *   - a burst of 100 P1 declares sent at once: ack p99 and max, the bot process's event-loop delay
 *     p99 (perf_hooks.monitorEventLoopDelay) from the burst until its last war room is ready, and the
 *     time to that last war room (its summary pinned), bounded by BENCH_WARROOM_TIMEOUT_MS.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { Server } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { App, LogLevel } from "@slack/bolt";
import { createSlackAdapter } from "../src/adapters/slack/server.js";
import { createBot } from "../src/bot.js";
import { systemClock } from "../src/clock.js";
import { DEFAULT_POLICY } from "../src/domain/policy.js";
import { silentLogger } from "../src/log.js";
import { Metrics } from "../src/metrics.js";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { SECRET } from "../test/support/slack-harness.js";
import type { AckJob } from "./ack-client.js";
import { pct, type BenchStore } from "./stores.js";

const SEQ = Number(process.env.BENCH_SEQUENTIAL ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 100);
const WARROOM_TIMEOUT_MS = Number(process.env.BENCH_WARROOM_TIMEOUT_MS ?? 25_000);
/** Work still queued after the measurement (100 announcements spaced 1 s apart) is abandoned, not awaited. */
const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);

export class AckClient {
  private readonly child: ChildProcess;
  private constructor() {
    this.child = fork("bench/ack-client.ts", [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  }
  static start(): AckClient {
    return new AckClient();
  }
  run(job: AckJob): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.child.once("message", (m: { ms?: number[]; error?: string }) => (m.ms ? resolve(m.ms) : reject(new Error(m.error))));
      this.child.send(job);
    });
  }
  stop(): void {
    this.child.disconnect();
  }
}

export interface AckFigures {
  seq: number[];
  burst: number[];
  eldP99Ms?: number;
  eldMaxMs?: number;
  lastWarRoomMs?: number | null;
  warRooms?: number;
}

/** The bare Bolt baseline: acks and nothing else. */
export async function bareBolt(client: AckClient): Promise<AckFigures> {
  const api = await FakeSlackApi.start();
  const app = new App({ token: "xoxb-bench", signingSecret: SECRET, logLevel: LogLevel.ERROR, port: 0, clientOptions: { slackApiUrl: api.url } });
  app.command("/incident", async ({ ack }) => ack());
  const server = (await app.start(0)) as unknown as Server;
  const port = (server.address() as { port: number }).port;
  const url = api.responseUrl("bare");
  await client.run({ port, n: 20, mode: "seq", responseUrl: url });
  const seq = await client.run({ port, n: SEQ, mode: "seq", responseUrl: url });
  const burst = await client.run({ port, n: BURST, mode: "burst", responseUrl: url });
  await app.stop();
  await api.close();
  return { seq, burst };
}

export async function botAck(store: BenchStore, client: AckClient): Promise<AckFigures> {
  const { database, dispose } = await store.open();
  const api = await FakeSlackApi.start();
  const metrics = new Metrics();
  const env = { mode: "http" as const, botToken: "xoxb-bench", signingSecret: SECRET, apiUrl: api.url, announcementsChannel: "CANNOUNCE1" };
  const adapter = createSlackAdapter({ env, port: 0, log: silentLogger, metrics, health: async () => true });
  const bot = createBot({ database, clock: systemClock, policy: DEFAULT_POLICY, chats: [adapter.chat], metrics });
  adapter.attach(bot.ctx);
  const port = (await adapter.start()).port!;
  bot.scheduler.start();
  const url = api.responseUrl("bot");
  try {
    await client.run({ port, n: 20, mode: "seq", responseUrl: url });
    const seq = await client.run({ port, n: SEQ, mode: "seq", responseUrl: url });
    await adapter.settled();

    const pinsBefore = api.callsTo("pins.add").length;
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    const t0 = performance.now();
    const burst = await client.run({ port, n: BURST, mode: "burst", responseUrl: url });
    let lastWarRoomMs: number | null = null;
    for (;;) {
      const ready = api.callsTo("pins.add").length - pinsBefore;
      if (ready >= BURST) {
        lastWarRoomMs = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > WARROOM_TIMEOUT_MS) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    eld.disable();
    return { seq, burst, eldP99Ms: eld.percentile(99) / 1e6, eldMaxMs: eld.max / 1e6, lastWarRoomMs, warRooms: api.callsTo("pins.add").length - pinsBefore };
  } finally {
    await api.close();
    await within(adapter.stop(), 2000);
    await within(bot.stop(), 2000);
    await dispose();
  }
}

export function ackReport(base: AckFigures, rows: { name: string; f: AckFigures }[]): string[] {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const r = (x: number, b: number) => `${(x / b).toFixed(2)}×`;
  const out: string[] = [];
  out.push(`Slack ack over the wire (${SEQ} one at a time; ${BURST} P1 declares at once); ratio to bare Bolt in this run`);
  out.push(`  bare Bolt: seq p50 ${ms(pct(base.seq, 50))} p99 ${ms(pct(base.seq, 99))}; burst p99 ${ms(pct(base.burst, 99))} max ${ms(Math.max(...base.burst))}`);
  for (const { name, f } of rows) {
    out.push(`  ${name}:`);
    out.push(`    seq   p50 ${ms(pct(f.seq, 50))} (${r(pct(f.seq, 50), pct(base.seq, 50))})  p99 ${ms(pct(f.seq, 99))} (${r(pct(f.seq, 99), pct(base.seq, 99))})`);
    out.push(`    burst p99 ${ms(pct(f.burst, 99))} (${r(pct(f.burst, 99), pct(base.burst, 99))})  max ${ms(Math.max(...f.burst))} (${r(Math.max(...f.burst), Math.max(...base.burst))})  over 3 s: ${f.burst.filter((x) => x > 3000).length}`);
    out.push(`    event-loop delay during the burst: p99 ${ms(f.eldP99Ms!)}  max ${ms(f.eldMaxMs!)}`);
    out.push(`    last war room ready: ${f.lastWarRoomMs == null ? `not within ${WARROOM_TIMEOUT_MS / 1000} s (${f.warRooms}/${BURST} ready)` : `${(f.lastWarRoomMs / 1000).toFixed(1)} s`}`);
  }
  return out;
}
