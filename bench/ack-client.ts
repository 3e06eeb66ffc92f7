/**
 * The load side of the ack-latency benchmark, in its own process so the bot's work after each ack
 * cannot delay the reading of the response: sends `n` signed `/incident declare` requests to
 * 127.0.0.1:<port>/slack/events one after another (with `gapMs` between them) and prints the
 * latencies in milliseconds as JSON.   usage: tsx bench/ack-client.ts <port> <n> <gapMs> <responseUrl>
 */
import { sign, slashCommand } from "../test/support/slack-harness.js";

const [port, n, gapMs, responseUrl] = process.argv.slice(2);
const out: number[] = [];
for (let i = 0; i < Number(n); i++) {
  const cmd = slashCommand(`declare "Bench incident ${i}" --impact I3 --urgency U3`, { responseUrl });
  const t0 = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": cmd.contentType, ...sign(cmd.body) }, body: cmd.body });
  await res.arrayBuffer();
  out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  if (Number(gapMs) > 0) await new Promise((r) => setTimeout(r, Number(gapMs)));
}
process.stdout.write(JSON.stringify(out));
