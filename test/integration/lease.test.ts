/**
 * One replica holds a named lease (the Discord gateway): a second waits; when the holder dies (stops
 * renewing) the second takes it over once the lease runs out; a clean stop hands it over at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LeaseKeeper } from "../../src/scheduler/lease-keeper.js";
import { backends, type TestDatabase } from "../support/databases.js";

describe.each(backends)("lease on $name", (backend) => {
  let database: TestDatabase | null = null;
  const keepers: LeaseKeeper[] = [];
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.stop();
    await database?.destroy();
  });

  it("one holder at a time; a dead holder's lease is taken over, a clean stop hands it over", async () => {
    database = await backend.open();
    const events: string[] = [];
    const keeper = (holder: string) => {
      const k = new LeaseKeeper(database!.db, { name: "discord-gateway", holder, leaseMs: 400, renewMs: 50, onGained: () => void events.push(`${holder} gained`), onLost: () => void events.push(`${holder} lost`) });
      keepers.push(k);
      return k;
    };
    const a = keeper("a");
    a.start();
    await expect.poll(() => a.holding).toBe(true);
    const b = keeper("b");
    b.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(b.holding).toBe(false);
    await a.stop(false); // killed: stops renewing, never releases
    await expect.poll(() => b.holding, { timeout: 5000 }).toBe(true);
    const c = keeper("c");
    c.start();
    await b.stop(); // clean shutdown: released at once
    await expect.poll(() => c.holding, { timeout: 5000 }).toBe(true);
    expect(events).toEqual(["a gained", "a lost", "b gained", "b lost", "c gained"]);
  });
});
