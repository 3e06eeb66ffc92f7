/**
 * The status page with 1,000 incidents in its 90-day window (and 9,000 older ones the index must skip),
 * 3 public updates each: time to answer GET /status, /status.json and /status/feed.atom from the
 * bot's HTTP server, on PGlite and on PostgreSQL (when reachable; see bench/stores.ts). The target is
 * under 100 ms per request. Wall times on a loaded machine mostly measure the neighbours; the CPU time
 * per request (this process, server and client; PGlite's worker thread included) is the steadier
 * figure. Also prints where the time goes and the plan of the incidents statement on PostgreSQL.
 *
 *   npm run bench:status
 */
import { sql } from "drizzle-orm";
import { statusPageRoutes } from "../src/adapters/http/status-page.js";
import { startHttpServer } from "../src/adapters/http/server.js";
import type { AppContext } from "../src/app/context.js";
import { ManualClock } from "../src/clock.js";
import type { Database } from "../src/db/client.js";
import { communications, incidents } from "../src/db/schema.js";
import { DrizzleStore } from "../src/db/store.js";
import { DEFAULT_POLICY, type Policy } from "../src/domain/policy.js";
import { renderStatusHtml } from "../src/domain/status/html.js";
import { buildStatusPage, statusQuery } from "../src/domain/status/model.js";
import { silentLogger } from "../src/log.js";
import { benchStores, pct } from "./stores.js";

const NOW = new Date("2026-12-05T12:00:00Z");
const DAY = 86_400_000;
const IN_WINDOW = 1_000;
const OLDER = 9_000;
const SERVICES = ["checkout", "payments", "search", "login", "email", "api"];
const policy: Policy = {
  ...DEFAULT_POLICY,
  statusPage: { ...DEFAULT_POLICY.statusPage, title: "Bench status", services: Object.fromEntries(SERVICES.map((s) => [s, { name: s[0]!.toUpperCase() + s.slice(1), private: false }])) },
};

async function seed(database: Database): Promise<void> {
  const rows = [];
  for (let k = 0; k < IN_WINDOW + OLDER; k++) {
    const inWindow = k < IN_WINDOW;
    const declaredAt = new Date(NOW.getTime() - (inWindow ? ((k * 89) / IN_WINDOW) * DAY + 3_600_000 : 95 * DAY + k * 3_600_000));
    const open = inWindow && k % 100 === 0;
    rows.push({
      reference: `INC-2026-${String(k + 1).padStart(5, "0")}`, year: 2026, seq: k + 1,
      title: `Incident ${k + 1}: elevated error rate on ${SERVICES[k % SERVICES.length]} for some customers`,
      service: SERVICES[k % SERVICES.length]!, nature: "application", impact: ["I1", "I2", "I3"][k % 3]!, urgency: "U1", priority: k % 3 === 2 ? "P3" : k % 3 === 0 ? "P1" : "P2",
      status: open ? "investigating" : "resolved", platform: "console", originChannel: "general", declaredBy: "alice", declaredAt,
      resolvedAt: open ? null : new Date(declaredAt.getTime() + (1 + (k % 6)) * 3_600_000),
    });
  }
  const ids: { id: number; declaredAt: Date }[] = [];
  for (let i = 0; i < rows.length; i += 500) ids.push(...(await database.db.insert(incidents).values(rows.slice(i, i + 500)).returning({ id: incidents.id, declaredAt: incidents.declaredAt })));
  const comms = ids.slice(0, IN_WINDOW).flatMap(({ id, declaredAt }) =>
    (["notice", "update", "allclear"] as const).map((kind, n) => ({ incidentId: id, at: new Date(declaredAt.getTime() + n * 1_800_000), actor: "alice", kind, text: `${kind}: we rolled back the release and are watching the error rate; next update in 30 minutes.`, deliveryKeys: [], public: true })),
  );
  for (let i = 0; i < comms.length; i += 500) await database.db.insert(communications).values(comms.slice(i, i + 500));
  await database.db.execute(sql`analyze`);
}

for (const store of await benchStores()) {
  const { database, dispose } = await store.open();
  try {
    await seed(database);
    const clock = new ManualClock(NOW.toISOString());
    const ctx = { store: new DrizzleStore(database.db, clock), clock, policy, chats: {}, waker: { wake() {} } } as AppContext;
    const { server, port } = await startHttpServer(0, statusPageRoutes({ app: () => ctx, log: silentLogger }));
    console.log(`\n${store.name}: ${IN_WINDOW} incidents in the window (${IN_WINDOW * 3} updates), ${OLDER} older`);
    for (const path of ["/status", "/status.json", "/status/feed.atom"]) {
      const times: number[] = [];
      let bytes = 0;
      let cpu = process.cpuUsage();
      for (let i = 0; i < 35; i++) {
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i === 4) cpu = process.cpuUsage();
        if (i >= 5) times.push(performance.now() - t0);
        bytes = Buffer.byteLength(body);
      }
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000 / times.length;
      console.log(`  GET ${path.padEnd(18)} median ${pct(times, 50).toFixed(1)} ms · p95 ${pct(times, 95).toFixed(1)} ms · CPU ${cpuMs.toFixed(1)} ms/request (this process: server and client) · ${(bytes / 1024).toFixed(0)} kB`);
    }
    // Where the time goes: the two statements, the view model, the HTML.
    const q = statusQuery(policy, NOW, false);
    const parts = { sql: [] as number[], model: [] as number[], html: [] as number[] };
    for (let i = 0; i < 25; i++) {
      const t0 = performance.now();
      const data = await ctx.store.transaction((uow) => uow.status.window(q));
      const t1 = performance.now();
      const view = buildStatusPage(policy, data, NOW, false);
      const t2 = performance.now();
      renderStatusHtml(view, { feed: "/status/feed.atom" });
      const t3 = performance.now();
      if (i >= 5) parts.sql.push(t1 - t0), parts.model.push(t2 - t1), parts.html.push(t3 - t2);
    }
    console.log(`  medians: SQL ${pct(parts.sql, 50).toFixed(1)} ms · view model ${pct(parts.model, 50).toFixed(1)} ms · HTML ${pct(parts.html, 50).toFixed(1)} ms`);
    if (database.kind === "postgres") {
      const plan = await database.db.execute(sql`explain select id from incidents where (resolved_at is null or resolved_at >= ${new Date(NOW.getTime() - 90 * DAY).toISOString()}::timestamptz) and declared_at <= ${NOW.toISOString()}::timestamptz and outcome is null`);
      console.log("  plan:", (plan as unknown as Record<string, string>[]).map((r) => r["QUERY PLAN"]).join("\n        "));
    }
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    await dispose();
  }
}
