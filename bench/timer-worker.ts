/**
 * One scheduler replica for bench/timers.ts's "three workers vs one": a process of its own with its
 * own connections, like a replica of the bot. It opens the database, says "ready", drains every due
 * "tick" timer when told "go", and reports how many it fired and the CPU time that took.
 */
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/db/client.js";
import { systemClock } from "../src/clock.js";
import { Scheduler } from "../src/scheduler/scheduler.js";

const url = process.argv[2]!;
const database = await openDatabase({ url, maxConnections: 10 });
const scheduler = new Scheduler(database.db, systemClock, { workerId: `bench-${process.pid}`, pollSeconds: 60 });
let fired = 0;
scheduler.on("tick", async () => void fired++);
await database.db.execute(sql`select 1`); // connected before the clock starts
process.send!({ ready: true });
process.once("message", async () => {
  const cpu0 = process.cpuUsage();
  await scheduler.drain();
  await scheduler.stop();
  const cpu = process.cpuUsage(cpu0);
  process.send!({ fired, cpuMs: (cpu.user + cpu.system) / 1000 }, () => void database.close().then(() => process.exit(0)));
});
