/**
 * What both chaos runs share: a throw-away PostgreSQL database, three bot replicas (processes) on it
 * with one policy (two paging levels, one-minute timeouts), waiting for what people should see to
 * settle, and the checks read from the database (level-2 lateness, every delivery within 60 s of due,
 * nothing left queued).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/migrate.js";

const ADMIN = process.env.CHAOS_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const INCIDENTS = 12;
export const ACKED = 6; // the first six are acknowledged (double clicks) before level 2
const root = new URL("../..", import.meta.url).pathname;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
export const log = (m: string) => process.stdout.write(`[chaos ${elapsed()}] ${m}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two levels paging one person each, one-minute acknowledgement timeouts, on one platform. */
export function policyFor(platform: string, level1: string, level2: string): string {
  return `
escalation:
  businessHours:
    - { name: on-call, targets: { ${platform}: ["${level1}"] }, ackTimeoutMinutes: 1 }
    - { name: lead, targets: { ${platform}: ["${level2}"] }, ackTimeoutMinutes: 1 }
  offHours:
    - { name: on-call, targets: { ${platform}: ["${level1}"] }, ackTimeoutMinutes: 1 }
    - { name: lead, targets: { ${platform}: ["${level2}"] }, ackTimeoutMinutes: 1 }
  priorityTimeouts: { P1: { businessHours: 1, offHours: 1 } }
  repeatTopLevel: 0
  managementLevel: lead
`;
}

export interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  alive: boolean;
}

export interface Run {
  db: postgres.Sql;
  replicas: Replica[];
  dir: string;
}

/** Creates the database, starts three replicas with `env` (plus database, policy, port), runs `body`, cleans up. */
export async function withReplicas(policy: string, env: Record<string, string>, body: (run: Run) => Promise<number>): Promise<number> {
  const dbName = `chaos_${randomBytes(5).toString("hex")}`;
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(ADMIN);
  url.pathname = `/${dbName}`;
  const dir = mkdtempSync(join(tmpdir(), "chaos-"));
  const policyFile = join(dir, "policy.yaml");
  writeFileSync(policyFile, policy);
  const replicas: Replica[] = [];
  const db = postgres(url.toString(), { max: 2, onnotice: () => {} });
  try {
    const migrated = await openDatabase({ url: url.toString(), maxConnections: 1 });
    await applyMigrations(migrated);
    await migrated.close();
    for (const [i, name] of ["a", "b", "c"].entries()) {
      const port = 30_000 + Math.floor(Math.random() * 20_000) + i;
      const out = openSync(join(dir, `replica-${name}.log`), "w");
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        stdio: ["ignore", out, out],
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: url.toString(), POLICY_FILE: policyFile, PORT: String(port), LOG_LEVEL: "warn", ...env },
      });
      replicas.push({ name, port, child, alive: true });
    }
    for (const r of replicas) {
      for (let t = 0; ; t++) {
        const ok = await fetch(`http://127.0.0.1:${r.port}/healthz`).then((x) => x.ok).catch(() => false);
        if (ok) break;
        if (t > 600) throw new Error(`replica ${r.name} did not start; see ${dir}/replica-${r.name}.log`);
        await sleep(100);
      }
    }
    return await body({ db, replicas, dir });
  } finally {
    for (const r of replicas) if (r.alive) r.child.kill("SIGTERM");
    await Promise.all(replicas.filter((r) => r.alive).map((r) => new Promise((res) => (r.child.exitCode !== null ? res(null) : r.child.once("exit", res)))));
    await db.end();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

/** Waits (bounded, 30 s after `since`) for every level-1 page to be sent, then kills replica a with SIGKILL. */
export async function killAfterLevel1(run: Run, since: number): Promise<Replica> {
  const level1Out = async () => Number((await run.db`select count(*)::int as n from outbox where key like 'page:%:0:dm:%' and status = 'sent'`)[0]!.n);
  while ((await level1Out()) < INCIDENTS && Date.now() - since < 30_000) await sleep(250);
  const victim = run.replicas[0]!;
  victim.child.kill("SIGKILL");
  victim.alive = false;
  log(`level-1 pages sent: ${await level1Out()}/${INCIDENTS}; replica ${victim.name} killed with SIGKILL`);
  return victim;
}

export interface Left {
  outbox: number;
  timers: number;
  pages: number;
  level2: number;
}

async function left(db: postgres.Sql): Promise<Left> {
  const [q] = await db`select
    (select count(*)::int from outbox where status = 'pending') as outbox,
    (select count(*)::int from timers where status in ('pending', 'running', 'waiting') and due_at <= now()) as timers,
    (select count(*)::int from pages where status = 'queued' and channel <> 'dm') as pages,
    (select count(*)::int from outbox where key like 'page:%:1:dm:%' and status = 'sent') as level2`;
  return q as unknown as Left;
}

/** Level 2 falls due at +60 s: waits until it is out and nothing is queued, at most 95 s after `since`. */
export async function settle(db: postgres.Sql, since: number): Promise<Left> {
  for (;;) {
    const q = await left(db);
    const done = Date.now() - since > 62_000 && q.outbox === 0 && q.timers === 0 && q.pages === 0 && q.level2 >= INCIDENTS - ACKED;
    if (done || Date.now() - since > 95_000) break;
    await sleep(500);
  }
  log("settled; checking");
  return left(db);
}

/** Collects failed checks; `done` prints them (or the success line) and gives the exit code. */
export function checks() {
  const failures: string[] = [];
  return {
    expect(ok: boolean, what: string) {
      if (!ok) failures.push(what);
    },
    done(success: string): number {
      if (failures.length) {
        for (const f of failures) log(`FAIL ${f}`);
        return 1;
      }
      log(`OK: ${success}`);
      return 0;
    },
  };
}

/** The database's side: level-2 pages within 5 s of due, every delivery sent within 60 s, nothing queued. */
export async function checkTimeliness(db: postgres.Sql, q: Left, expect: (ok: boolean, what: string) => void): Promise<void> {
  const late2 = await db`select o.key, extract(epoch from (o.sent_at - t.due_at)) as late from outbox o
    join timers t on t.key = 'ack-timeout:' || o.incident_id || ':' || split_part(o.key, ':', 3) || ':1'
    where o.key like 'page:%:1:dm:%'`;
  const worst2 = Math.max(0, ...late2.map((r) => Number(r.late)));
  expect(late2.length === INCIDENTS - ACKED, `${late2.length} level-2 pages recorded, expected ${INCIDENTS - ACKED}`);
  expect(worst2 <= 5, `a level-2 page went out ${worst2.toFixed(1)} s after it was due (limit 5 s)`);
  const deliveries = await db`select key, action, attempts, status, extract(epoch from (sent_at - created_at)) as late from outbox`;
  const unsent = deliveries.filter((d) => d.status !== "sent");
  expect(unsent.length === 0, `${unsent.length} deliveries not sent: ${unsent.map((d) => `${d.key} ${d.status}`).join(", ")}`);
  const worst = Math.max(0, ...deliveries.map((d) => Number(d.late ?? 0)));
  const slowest = deliveries.filter((d) => Number(d.late ?? 0) > 30).map((d) => `${d.key} (${d.action}, ${d.attempts} attempts, ${Number(d.late).toFixed(1)} s)`);
  expect(worst <= 60, `a delivery went out ${worst.toFixed(1)} s after it was due (limit 60 s); over 30 s: ${slowest.join(", ")}`);
  expect(q.outbox === 0 && q.timers === 0 && q.pages === 0, `left queued: ${q.outbox} deliveries, ${q.timers} due timers, ${q.pages} pages`);
  log(`level-2 pages: worst ${worst2.toFixed(2)} s after due; deliveries: ${deliveries.length}, worst ${worst.toFixed(2)} s after due; left queued: ${q.outbox} deliveries, ${q.timers} due timers, ${q.pages} pages`);
}

/** A seeded generator, so a failing run can be repeated. */
export function seeded(seed = 42): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** What the fake chat API saw, in order: the checks below read it the same way for every platform. */
export interface Seen {
  /** War-room channels whose name carries the incident's sequence number. */
  rooms(seq: string): { id: string; name: string }[];
  /** Texts posted to a channel, in order. */
  posts(channel: string): string[];
  pins(channel: string): number;
  /** Texts sent by direct message to a user. */
  dms(user: string): string[];
}

/**
 * Per incident: one war room, one summary (pinned, first in the room), one announcement, one initial
 * notice, each page (DM and war-room mention) exactly once, one acknowledgement for the acknowledged.
 */
export async function checkWhatPeopleSaw(db: postgres.Sql, seen: Seen, to: { announcements: string; level1: string; level2: string }, expect: (ok: boolean, what: string) => void): Promise<void> {
  const incidents = await db`select id, reference, acknowledged_at from incidents order by id`;
  expect(incidents.length === INCIDENTS, `${incidents.length} incidents stored, expected ${INCIDENTS}`);
  const tally = { rooms: [] as number[], summaries: [] as number[], pins: [] as number[], pages: [] as number[] };
  for (const i of incidents) {
    const ref = i.reference as string;
    const rooms = seen.rooms(ref.slice(-4));
    tally.rooms.push(rooms.length);
    expect(rooms.length === 1, `${ref}: ${rooms.length} war-room channels (${rooms.map((r) => r.name).join(", ")})`);
    const room = rooms[0];
    if (!room) continue;
    const inRoom = seen.posts(room.id);
    const summaries = inRoom.filter((t) => t.startsWith(`${ref} · `)).length;
    tally.summaries.push(summaries);
    tally.pins.push(seen.pins(room.id));
    expect(summaries === 1, `${ref}: summary posted ${summaries} times`);
    expect(seen.pins(room.id) === 1, `${ref}: ${seen.pins(room.id)} pins`);
    expect(inRoom[0]?.startsWith(`${ref} · `) === true, `${ref}: the summary is not the room's first message`);
    const announced = seen.posts(to.announcements).filter((t) => t.includes(`Incident declared: ${ref}`)).length;
    expect(announced === 1, `${ref}: announcement posted ${announced} times`);
    const notices = inRoom.filter((t) => t.startsWith("Incident notice")).length;
    expect(notices === 1, `${ref}: initial notice posted ${notices} times`);
    const acked = i.acknowledged_at !== null;
    const pageOf = (user: string) => seen.dms(user).filter((t) => t.includes(ref) && !t.includes("stand down")).length;
    const pages1 = pageOf(to.level1);
    const pages2 = pageOf(to.level2);
    tally.pages.push(pages1, ...(acked ? [] : [pages2]));
    expect(pages1 === 1, `${ref}: level-1 page sent ${pages1} times`);
    expect(pages2 === (acked ? 0 : 1), `${ref}: level-2 page sent ${pages2} times (${acked ? "acknowledged" : "not acknowledged"})`);
    const mentions1 = inRoom.filter((t) => t.includes("Paging level 1")).length;
    const mentions2 = inRoom.filter((t) => t.includes("Paging level 2")).length;
    expect(mentions1 === 1 && mentions2 === (acked ? 0 : 1), `${ref}: war-room page mentions level 1 ×${mentions1}, level 2 ×${mentions2}`);
    const acks = await db`select count(*)::int as n from incident_events where incident_id = ${i.id as number} and kind = 'acknowledged'`;
    expect(Number(acks[0]!.n) === (acked ? 1 : 0), `${ref}: acknowledged ${acks[0]!.n} times`);
  }
  const acked = incidents.filter((i) => i.acknowledged_at !== null).length;
  expect(acked === ACKED, `${acked} incidents acknowledged, expected ${ACKED}`);
  const range = (xs: number[]) => (xs.length ? `${Math.min(...xs)}–${Math.max(...xs)} (${xs.length} counted)` : "none");
  log(`${incidents.length} incidents, ${acked} acknowledged; per incident: war rooms ${range(tally.rooms)}, summaries ${range(tally.summaries)}, pins ${range(tally.pins)}; each page sent ${range(tally.pages)} times`);
}
