/**
 * How the work limit after the ack (src/adapters/work-limit.ts) changes the burst's acks: for each
 * round, bare Bolt then the bot at each limit on each store, interleaved so a change in the machine's
 * load spreads over all of them. `tsx bench/ack-limits.ts` (BENCH_LIMITS=0,2,4,8,16, BENCH_ROUNDS=3;
 * 0 = unbounded; BENCH_SEQUENTIAL / BENCH_WARROOM_TIMEOUT_MS as for bench/ack.ts, smaller by default).
 */
process.env.BENCH_SEQUENTIAL ??= "30";
process.env.BENCH_WARROOM_TIMEOUT_MS ??= "20000";
const { AckClient, bareBolt, botAck } = await import("./ack.js");
const { benchStores, pct } = await import("./stores.js");

const limits = (process.env.BENCH_LIMITS ?? "0,2,4,8,16").split(",").map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.warn = () => {};
const stores = await benchStores();
const client = AckClient.start();
const rows: string[] = [];
try {
  for (let r = 1; r <= rounds; r++) {
    const base = await bareBolt(client);
    const b = pct(base.burstAckOnly!, 99);
    rows.push(`round ${r}: bare Bolt burst p99 ${pct(base.burst, 99).toFixed(0)} ms, acking only ${b.toFixed(0)} ms`);
    for (const limit of limits) {
      for (const store of stores) {
        const f = await botAck(store, client, limit || Infinity);
        const p99 = pct(f.burst, 99);
        rows.push(`  limit ${String(limit || "∞").padStart(2)} ${store.name.padEnd(22)} burst p99 ${p99.toFixed(0).padStart(5)} ms (${(p99 / pct(base.burst, 99)).toFixed(2)}×, ${(p99 / b).toFixed(2)}× acking only)  seq p99 ${pct(f.seq, 99).toFixed(1)} ms  eld p99 ${f.eldP99Ms!.toFixed(1)} ms  last war room ${f.lastWarRoomMs == null ? "—" : (f.lastWarRoomMs / 1000).toFixed(1) + " s"}`);
        process.stderr.write(rows.at(-1) + "\n");
      }
    }
  }
} finally {
  client.stop();
}
console.log(rows.join("\n"));
process.exit(0);
