/**
 * Slack ack latency over the wire, against a bare `@slack/bolt` App measured in the same run. Per store:
 *   - one request at a time (help / list / declare P3), p50 and p99;
 *   - a burst of 100 P1 declares sent at once: ack p99 and max, the bot process's event-loop delay
 *     p99 (perf_hooks.monitorEventLoopDelay) from the burst until its last war room is ready, and the
 *     time to that last war room (its summary pinned), bounded by BENCH_WARROOM_TIMEOUT_MS.
 * What makes it fair:
 *   - Slack is another process (bench/ack-client.ts): the signed requests, the fake Web API without
 *     rate limits the app calls, and the response_url it answers on. Until 2026-12-05 the fake Web API
 *     ran in this process, so its work (parsing, recording ~30 calls per war room) competed with the
 *     bot's event loop; Slack's servers do not. War-room readiness (pins.add count) is read over IPC.
 *   - Both apps do the same on the wire: ack, then answer on response_url (the baseline answers "ok"
 *     at once; the bot runs the command first).
 *   - "One at a time" is one user at a time: the next request goes once the previous one's ack AND its
 *     answer arrived, as a person types the next command after seeing the last one's answer. So a
 *     sequential ack measures a bot that is not still working on the previous command; sending on
 *     the ack alone measured the ack of one command against the database work of the one before.
 *     Since 2026-12-06 the next request also waits until the app is idle: the bot's handlers settled
 *     and its due timers run (a P3 declare's announcement through the outbox), as the next command
 *     of a person, typed seconds later, finds it; until then the next ack could meet that background
 *     work, which the baseline does not have (it only answers), and the p99 of 100 swung 0.34–1.9×.
 *     The loaded case is the burst.
 *   - The burst is 100 at once, from one user, without waiting for answers.
 *   - The fake enforces no rate tiers and the bot's pacing of them is off (`paceCalls: false`): the last
 *     war room is the bot's own speed; bench/rate-tiers.ts measures it against Slack's tiers.
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
import { SECRET } from "../test/support/slack-harness.js";
import type { AckJob, ClientAnswer, ClientRequest } from "./ack-client.js";
import { pct, type BenchStore } from "./stores.js";

const SEQ = Number(process.env.BENCH_SEQUENTIAL ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 100);
/** The bot's work limit after the ack (src/adapters/work-limit.ts); 0 = unbounded. */
const WORK_LIMIT = process.env.BENCH_WORK_LIMIT === undefined ? undefined : Number(process.env.BENCH_WORK_LIMIT) || Infinity;
const WARROOM_TIMEOUT_MS = Number(process.env.BENCH_WARROOM_TIMEOUT_MS ?? 25_000);
/** Work still queued after the measurement (100 announcements spaced 1 s apart) is abandoned, not awaited. */
const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);

/**
 * Slack's side, in two processes of its own (bench/ack-client.ts, each answering only its part): one
 * sends the load and serves response_url, the other is the fake Web API. Slack's API servers are not
 * the machine that measures the acks: with the fake Web API in the measuring process, the war rooms'
 * ~30 calls each, made during the burst, ran on the event loop that timed the acks and counted there
 * (2026-12-05, PostgreSQL, 3 runs each: burst p99 2.06–2.39× of acking only in one process).
 */
export class AckClient {
  private readonly load: ChildProcess;
  private readonly slack: ChildProcess;
  private readonly pending = new Map<number, (a: ClientAnswer) => void>();
  private next = 0;
  private constructor() {
    const start = () => {
      const child = fork("bench/ack-client.ts", [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
      child.on("message", (a: ClientAnswer & { id: number }) => {
        this.pending.get(a.id)?.(a);
        this.pending.delete(a.id);
      });
      return child;
    };
    this.load = start();
    this.slack = start();
  }
  static start(): AckClient {
    return new AckClient();
  }
  private ask(m: ClientRequest): Promise<ClientAnswer> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (a) => (a.error ? reject(new Error(a.error)) : resolve(a)));
      (m.op === "run" ? this.load : this.slack).send({ ...m, id });
    });
  }
  /** A fresh fake Web API in its process; the previous one is closed. */
  async api(): Promise<string> {
    return (await this.ask({ op: "api" })).url!;
  }
  closeApi(): Promise<unknown> {
    return this.ask({ op: "close" });
  }
  async pinsAdded(): Promise<number> {
    return (await this.ask({ op: "pins" })).count!;
  }
  async run(job: AckJob): Promise<number[]> {
    return (await this.ask({ op: "run", job })).ms!;
  }
  stop(): void {
    this.load.disconnect();
    this.slack.disconnect();
  }
}

export interface AckFigures {
  seq: number[];
  burst: number[];
  /** Bare Bolt only: the burst on an App that acks and does not answer. */
  burstAckOnly?: number[];
  eldP99Ms?: number;
  eldMaxMs?: number;
  lastWarRoomMs?: number | null;
  warRooms?: number;
}

/** `n` requests one at a time, each sent once the previous one was answered and `idle` resolved. */
async function oneAtATime(client: AckClient, port: number, n: number, idle: () => Promise<unknown> = async () => {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(...(await client.run({ port, n: 1, mode: "seq", from: i })));
    await idle();
  }
  return out;
}

/** The bare Bolt baseline: acks, then answers "ok" on response_url, and nothing else. */
export async function bareBolt(client: AckClient): Promise<AckFigures> {
  const apiUrl = await client.api();
  const app = new App({ token: "xoxb-bench", signingSecret: SECRET, logLevel: LogLevel.ERROR, port: 0, clientOptions: { slackApiUrl: apiUrl } });
  app.command("/incident", async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: "ok" });
  });
  const server = (await app.start(0)) as unknown as Server;
  const port = (server.address() as { port: number }).port;
  await oneAtATime(client, port, 20);
  const seq = await oneAtATime(client, port, SEQ);
  const burst = await client.run({ port, n: BURST, mode: "burst" });
  await app.stop();
  // For reference: the same burst on an App that acks and does not answer (the baseline until 2026-12-05).
  const ackOnly = new App({ token: "xoxb-bench", signingSecret: SECRET, logLevel: LogLevel.ERROR, port: 0, clientOptions: { slackApiUrl: apiUrl } });
  ackOnly.command("/incident", async ({ ack }) => ack());
  const port2 = (((await ackOnly.start(0)) as unknown as Server).address() as { port: number }).port;
  await client.run({ port: port2, n: 20, mode: "seq", noAnswer: true });
  const burstAckOnly = await client.run({ port: port2, n: BURST, mode: "burst" });
  await ackOnly.stop();
  await client.closeApi();
  return { seq, burst, burstAckOnly };
}

export async function botAck(store: BenchStore, client: AckClient, workLimit = WORK_LIMIT): Promise<AckFigures> {
  const { database, dispose } = await store.open();
  const apiUrl = await client.api();
  const metrics = new Metrics();
  const env = { mode: "http" as const, botToken: "xoxb-bench", signingSecret: SECRET, apiUrl, announcementsChannel: "CANNOUNCE1" };
  // Pacing off: this fake enforces no rate tiers, so the last war room measures the bot's own speed
  // (bench/rate-tiers.ts measures war rooms against Slack's documented tiers, paced).
  const adapter = createSlackAdapter({ env, port: 0, log: silentLogger, metrics, health: async () => true, paceCalls: false, ...(workLimit ? { workLimit } : {}) });
  const bot = createBot({ database, clock: systemClock, policy: DEFAULT_POLICY, chats: [adapter.chat], metrics });
  adapter.attach(bot.ctx);
  const port = (await adapter.start()).port!;
  bot.scheduler.start();
  try {
    const idle = async () => {
      await adapter.settled();
      await bot.scheduler.drain();
    };
    await oneAtATime(client, port, 20, idle);
    const seqProfile = await cpuProfile(`seq-${store.name.split(" ")[0]}`);
    const seq = await oneAtATime(client, port, SEQ, idle);
    await seqProfile?.();
    await adapter.settled();

    const pinsBefore = await client.pinsAdded();
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    const profile = await cpuProfile(`burst-${store.name.split(" ")[0]}`);
    const t0 = performance.now();
    const burst = await client.run({ port, n: BURST, mode: "burst" });
    let lastWarRoomMs: number | null = null;
    let ready = 0;
    for (;;) {
      ready = (await client.pinsAdded()) - pinsBefore;
      if (ready >= BURST) {
        lastWarRoomMs = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > WARROOM_TIMEOUT_MS) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await profile?.();
    eld.disable();
    return { seq, burst, eldP99Ms: eld.percentile(99) / 1e6, eldMaxMs: eld.max / 1e6, lastWarRoomMs, warRooms: ready };
  } finally {
    await client.closeApi();
    await within(adapter.stop(), 2000);
    await within(bot.stop(), 2000);
    await dispose();
  }
}

/**
 * BENCH_CPU_PROF=<dir>: CPU profiles of the bot process during the one-at-a-time requests and from the
 * burst until its last war room is ready (<dir>/seq-<store>.cpuprofile, burst-<store>.cpuprofile; Chrome DevTools).
 */
async function cpuProfile(name: string): Promise<(() => Promise<void>) | null> {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return null;
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync, mkdirSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

export function ackReport(base: AckFigures, rows: { name: string; f: AckFigures }[]): string[] {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const r = (x: number, b: number) => `${(x / b).toFixed(2)}×`;
  const out: string[] = [];
  out.push(`Slack ack over the wire (${SEQ} one at a time; ${BURST} P1 declares at once); ratio to bare Bolt in this run`);
  out.push(`  bare Bolt: seq p50 ${ms(pct(base.seq, 50))} p99 ${ms(pct(base.seq, 99))}; burst p99 ${ms(pct(base.burst, 99))} max ${ms(Math.max(...base.burst))} (acking only: p99 ${ms(pct(base.burstAckOnly!, 99))})`);
  for (const { name, f } of rows) {
    out.push(`  ${name}:`);
    out.push(`    seq   p50 ${ms(pct(f.seq, 50))} (${r(pct(f.seq, 50), pct(base.seq, 50))})  p99 ${ms(pct(f.seq, 99))} (${r(pct(f.seq, 99), pct(base.seq, 99))})`);
    out.push(`    burst p99 ${ms(pct(f.burst, 99))} (${r(pct(f.burst, 99), pct(base.burst, 99))}; ${r(pct(f.burst, 99), pct(base.burstAckOnly!, 99))} of acking only)  max ${ms(Math.max(...f.burst))} (${r(Math.max(...f.burst), Math.max(...base.burst))})  over 3 s: ${f.burst.filter((x) => x > 3000).length}`);
    out.push(`    event-loop delay during the burst: p99 ${ms(f.eldP99Ms!)}  max ${ms(f.eldMaxMs!)}`);
    out.push(`    last war room ready: ${f.lastWarRoomMs == null ? `not within ${WARROOM_TIMEOUT_MS / 1000} s (${f.warRooms}/${BURST} ready)` : `${(f.lastWarRoomMs / 1000).toFixed(1)} s`}`);
  }
  return out;
}
