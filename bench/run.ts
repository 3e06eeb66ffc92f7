/**
 * `npm run bench`: every figure as a ratio to a baseline measured in the same run, on every store
 * (PGlite on its worker thread; PGlite on the main thread with BENCH_MAIN_THREAD=1; PostgreSQL when a
 * URL is given or 127.0.0.1:5432 answers). Bounded: under 3 minutes on 2 cores.
 *   - Slack ack vs a bare Bolt App (bench/ack.ts);
 *   - durable timers vs graphile-worker on PostgreSQL (bench/timers.ts), and three scheduler
 *     processes against one on the same timers (bench/timer-worker.ts);
 *   - a burst of war rooms against Slack's documented rate tiers vs the minimum they allow (bench/rate-tiers.ts).
 * Sizes: BENCH_SEQUENTIAL (100), BENCH_BURST (100), BENCH_TIMERS (2000), BENCH_SPREAD_TIMERS (300),
 *   BENCH_WARROOM_TIMEOUT_MS (25000), BENCH_TIER_ROOMS (100); BENCH_ONLY=ack|timers|tiers. For the ack
 *   bench: BENCH_WORK_LIMIT (the bot's work limit after the ack, 0 = unbounded; default
 *   src/adapters/work-limit.ts) and BENCH_CPU_PROF=<dir> (CPU profiles); bench/ack-limits.ts compares
 *   work limits.
 */
import { AckClient, ackReport, bareBolt, botAck, type AckFigures } from "./ack.js";
import { rateTiersBurst, tierReport, type TierFigures } from "./rate-tiers.js";
import { benchStores, postgresAdminUrl } from "./stores.js";
import { graphileTimers, ourTimers, replicaReport, replicaTimers, timerReport, type TimerFigures } from "./timers.js";

const progress = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function main() {
  // Work abandoned after a measurement (announcements still spaced 1 s apart when its fake API closes)
  // logs Web API failures through console.warn; the report goes to stdout.
  console.warn = () => {};
  const t0 = performance.now();
  const stores = await benchStores();
  const only = process.env.BENCH_ONLY; // "ack" | "timers" | "tiers"

  if (!only || only === "ack") {
    const client = AckClient.start();
    try {
      progress("bare Bolt");
      const base = await bareBolt(client);
      const rows: { name: string; f: AckFigures }[] = [];
      for (const store of stores) {
        progress(`ack on ${store.name}`);
        rows.push({ name: store.name, f: await botAck(store, client) });
      }
      console.log(ackReport(base, rows).join("\n"));
    } finally {
      client.stop();
    }
  }

  if (!only || only === "timers") {
    const adminUrl = await postgresAdminUrl();
    progress("graphile-worker timers");
    const base = adminUrl ? await graphileTimers(adminUrl) : null;
    const rows: { name: string; f: TimerFigures }[] = [];
    for (const store of stores.filter((s) => !s.name.includes("main thread"))) {
      progress(`timers on ${store.name}`);
      rows.push({ name: `incident-bot on ${store.name}`, f: await ourTimers(store) });
    }
    console.log(timerReport(base, rows).join("\n"));
    if (adminUrl) {
      progress("timer replicas (1, then 3 processes)");
      console.log(replicaReport([await replicaTimers(adminUrl, 1), await replicaTimers(adminUrl, 3)]).join("\n"));
    }
  }
  if (!only || only === "tiers") {
    const n = Number(process.env.BENCH_TIER_ROOMS ?? 100);
    const rows: { name: string; paced: boolean; f: TierFigures }[] = [];
    const measured = stores.filter((s) => !s.name.includes("main thread"));
    for (const store of measured) {
      progress(`rate tiers on ${store.name}`);
      rows.push({ name: store.name, paced: true, f: await rateTiersBurst(store, n, true) });
    }
    progress(`rate tiers on ${measured[0]!.name}, pacing off`);
    rows.push({ name: measured[0]!.name, paced: false, f: await rateTiersBurst(measured[0]!, n, false) });
    console.log(tierReport(rows).join("\n"));
  }
  console.log(`(bench took ${((performance.now() - t0) / 1000).toFixed(0)} s; load average ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")})`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
