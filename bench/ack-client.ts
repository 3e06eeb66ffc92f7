/**
 * Slack's side of the ack benchmark, out of the measured app's process, as Slack's servers are
 * elsewhere: the load (signed requests to the app) and the response_url endpoint it answers on, or the
 * fake Web API the app calls (test/support/fake-slack-api.ts). bench/ack.ts runs this script twice, one
 * process for the load and one for the Web API, so the API's work does not delay the timing of acks.
 * Driven over IPC by bench/ack.ts; every message carries an `id` its answer repeats:
 *   { op: "api" }              → { url }      a fresh fake Web API (the previous one closed)
 *   { op: "close" }            → {}           the fake Web API closed (work still queued in the app fails fast)
 *   { op: "pins" }             → { count }    pins.add calls so far (a war room is ready when pinned)
 *   { op: "run", job }         → { ms }       ack latencies in milliseconds:
 *     mode "seq":   n requests one after another, cycling help / list / declare P3; the next is sent
 *                   once the previous one's ack AND its answer on response_url arrived (one user at a time)
 *     mode "burst": n `declare … --impact I1 --urgency U1` (P1) sent at once
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeSlackApi } from "../test/support/fake-slack-api.js";
import { sign, slashCommand } from "../test/support/slack-harness.js";

export interface AckJob {
  port: number;
  n: number;
  mode: "seq" | "burst";
  /** Seq only: the app does not answer on response_url; send on the ack alone. */
  noAnswer?: boolean;
  /** Seq only: where in the help / list / declare cycle to start (a run of one request at a time). */
  from?: number;
}

export type ClientRequest = { op: "api" } | { op: "close" } | { op: "pins" } | { op: "run"; job: AckJob };
export type ClientAnswer = { url?: string; count?: number; ms?: number[]; error?: string };

let api: FakeSlackApi | null = null;
let round = 0;
/** Resolves the waiter of the request whose response_url is /response/<n>. */
const answers = new Map<string, () => void>();

/** Slack's response_url endpoint: wakes the request waiting for its answer. */
async function responseServer(): Promise<{ server: Server; url: (id: string) => string }> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on("end", () => {
      const id = (req.url ?? "").split("/").pop()!;
      answers.get(id)?.();
      answers.delete(id);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { server, url: (id) => `http://127.0.0.1:${port}/response/${id}` };
}
const responses = responseServer();

async function send(port: number, text: string, responseUrl: string): Promise<number> {
  const cmd = slashCommand(text, { responseUrl });
  const t0 = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": cmd.contentType, ...sign(cmd.body) }, body: cmd.body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const ANSWER_TIMEOUT_MS = 10_000;

async function run(job: AckJob): Promise<number[]> {
  const { url } = await responses;
  const tag = `${process.pid}-${++round}`;
  if (job.mode === "burst") {
    return Promise.all(Array.from({ length: job.n }, (_, i) => send(job.port, `declare "Burst ${tag} ${i}" --impact I1 --urgency U1`, url(`${tag}-${i}`))));
  }
  const out: number[] = [];
  for (let n = 0; n < job.n; n++) {
    const i = (job.from ?? 0) + n;
    const text = ["help", "list", `declare "Bench ${tag} ${i}" --impact I3 --urgency U3`][i % 3]!;
    const id = `${tag}-${i}`;
    const answer = job.noAnswer
      ? null
      : new Promise<void>((resolve, reject) => {
          answers.set(id, resolve);
          setTimeout(() => reject(new Error(`no answer on response_url within ${ANSWER_TIMEOUT_MS} ms to "${text}"`)), ANSWER_TIMEOUT_MS).unref();
        });
    answer?.catch(() => {}); // awaited below, after the ack
    out.push(await send(job.port, text, url(id)));
    await answer;
  }
  return out;
}

async function handle(m: ClientRequest): Promise<ClientAnswer> {
  switch (m.op) {
    case "api":
      await api?.close();
      api = await FakeSlackApi.start();
      return { url: api.url };
    case "close":
      await api?.close();
      api = null;
      return {};
    case "pins":
      return { count: api?.callsTo("pins.add").length ?? 0 };
    case "run":
      return { ms: await run(m.job) };
  }
}

process.on("message", (m: ClientRequest & { id: number }) => {
  handle(m).then(
    (a) => process.send!({ id: m.id, ...a }),
    (e: unknown) => process.send!({ id: m.id, error: String(e) }),
  );
});
process.on("disconnect", () => process.exit(0));
