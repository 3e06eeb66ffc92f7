/**
 * The load side of the ack benchmark, in its own process so the bot's work after each ack cannot
 * delay the reading of the response. Driven over IPC by bench/ack.ts: each message
 * `{ port, n, mode, responseUrl }` is answered with the latencies in milliseconds.
 *   mode "seq":   n requests one after another, cycling help / list / declare P3
 *   mode "burst": n `declare … --impact I1 --urgency U1` (P1) sent at once
 */
import { sign, slashCommand } from "../test/support/slack-harness.js";

export interface AckJob {
  port: number;
  n: number;
  mode: "seq" | "burst";
  responseUrl: string;
}

let round = 0;

async function send(port: number, text: string, responseUrl: string): Promise<number> {
  const cmd = slashCommand(text, { responseUrl });
  const t0 = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": cmd.contentType, ...sign(cmd.body) }, body: cmd.body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function run(job: AckJob): Promise<number[]> {
  const tag = `${process.pid}-${++round}`;
  if (job.mode === "burst") {
    return Promise.all(Array.from({ length: job.n }, (_, i) => send(job.port, `declare "Burst ${tag} ${i}" --impact I1 --urgency U1`, job.responseUrl)));
  }
  const out: number[] = [];
  for (let i = 0; i < job.n; i++) {
    const text = ["help", "list", `declare "Bench ${tag} ${i}" --impact I3 --urgency U3`][i % 3]!;
    out.push(await send(job.port, text, job.responseUrl));
  }
  return out;
}

process.on("message", (job: AckJob) => {
  run(job).then(
    (ms) => process.send!({ ms }),
    (e: unknown) => process.send!({ error: String(e) }),
  );
});
process.on("disconnect", () => process.exit(0));
