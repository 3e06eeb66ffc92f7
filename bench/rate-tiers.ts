/**
 * Slack's rate tiers under a burst of P1s: N declared at once over the Slack wire against the fake
 * Slack API enforcing the documented limits (rate-tier mode), on a manual clock moved in 1 s steps (a
 * few seconds of wall time for minutes of Slack time). The figure is when the last war room is ready
 * against the earliest the documented limits allow: ratio ≥ 1.0 is "no faster than allowed", near
 * 1.0 is "not slower than needed". The same burst with the bot's pacing off (only 429s slow it) shows
 * what the pacing saves: the 429s, not time (the fake's Retry-After is exact).
 *
 * The minimum: a room is ready once its channel is made (conversations.create) and its summary pinned
 * (pins.add), both Tier 2; the k-th call of a method limited to L a minute can come no earlier than
 * floor((k - 1) / L) minutes in (L at once, then L more a minute later, and so on).
 */
import { methodWindow } from "../src/adapters/slack/rate-limits.js";
import { warRooms } from "../src/db/schema.js";
import { slackHarness, slashCommand } from "../test/support/slack-harness.js";
import type { BenchStore } from "./stores.js";

export interface TierFigures {
  rooms: number;
  ready: number;
  lastReadyMs: number;
  minimumMs: number;
  limited: Record<string, number>;
  calls: number;
  wallMs: number;
}

const READY_PATH = ["conversations.create", "pins.add"];
const STEP_MS = 1_000;

/** The earliest the last of `n` rooms can be ready under the documented tiers. */
export function minimumReadyMs(n: number): number {
  return Math.max(...READY_PATH.map((m) => {
    const w = methodWindow(m)!;
    return Math.floor((n - 1) / w.limit) * w.windowMs;
  }));
}

export async function rateTiersBurst(store: BenchStore, n: number, paced: boolean): Promise<TierFigures> {
  const wall = performance.now();
  const { database, dispose } = await store.open();
  const h = await slackHarness(database, { rateLimits: true, perChannelIntervalMs: 1000, paceCalls: paced });
  try {
    const start = h.clock.now().getTime();
    for (let i = 1; i <= n; i++) await h.post(slashCommand(`declare "Outage ${i}" --impact I1 --urgency U1 --service svc${i}`, { responseUrl: h.api.responseUrl(`r${i}`) }));
    const rooms = () => database.db.select({ readyAt: warRooms.readyAt }).from(warRooms);
    let ready = 0;
    for (let t = 0; t <= 30 * 60_000; t += STEP_MS) {
      ready = (await rooms()).filter((r) => r.readyAt).length;
      if (ready >= n) break;
      await h.advance(STEP_MS);
    }
    const readyAts = (await rooms()).map((r) => r.readyAt?.getTime() ?? Number.NaN);
    return {
      rooms: n,
      ready,
      lastReadyMs: Math.max(...readyAts) - start,
      minimumMs: minimumReadyMs(n),
      limited: Object.fromEntries(h.api.limited),
      calls: h.api.calls.length,
      wallMs: performance.now() - wall,
    };
  } finally {
    await h.close();
    await dispose();
  }
}

export function tierReport(rows: { name: string; paced: boolean; f: TierFigures }[]): string[] {
  const out = [
    `Slack rate tiers: ${rows[0]?.f.rooms ?? 0} P1s declared at once, the fake Slack API enforcing the documented limits (manual clock, 1 s steps)`,
    "  store                     pacing   rooms ready   last ready   documented min   ratio   429s (by method)               wall",
  ];
  for (const { name, paced, f } of rows) {
    const limited = Object.entries(f.limited).map(([m, c]) => `${m} ${c}`).join(", ") || "0";
    out.push(
      `  ${name.padEnd(25)} ${(paced ? "on" : "off").padEnd(8)} ${`${f.ready}/${f.rooms}`.padEnd(13)} ${`${(f.lastReadyMs / 1000).toFixed(0)} s`.padEnd(12)} ${`${(f.minimumMs / 1000).toFixed(0)} s`.padEnd(16)} ${(f.minimumMs > 0 ? (f.lastReadyMs / f.minimumMs).toFixed(3) : "-").padEnd(7)} ${limited.padEnd(30)} ${(f.wallMs / 1000).toFixed(1)} s`,
    );
  }
  return out;
}
