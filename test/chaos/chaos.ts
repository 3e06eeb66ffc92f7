/**
 * `npm run chaos`: three bot replicas (processes) on one PostgreSQL database against the fake Slack
 * API failing 30 % of Web API calls (half 429 with Retry-After 1 s, half 500). It declares 12 P1s —
 * every third one also retried by "Slack" to another replica, six acknowledged by a double click sent
 * to two replicas at once — kills one replica with SIGKILL between the level-1 and level-2 pages, and
 * checks what people would see: one war room and one pinned summary per incident, every page exactly
 * once, level-2 pages within 5 s of due, every announcement, notice and page within 60 s of due, and
 * nothing left queued. Bounded: about 100 s; exits 1 on any failed check.
 *
 * Needs PostgreSQL: CHAOS_DATABASE_URL or TEST_DATABASE_URL (an admin URL; a throw-away database is
 * created and dropped), default postgres://postgres@127.0.0.1:5432/postgres.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase } from "../../src/db/client.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { ANNOUNCEMENTS, FakeSlackApi, GENERAL } from "../support/fake-slack-api.js";

const ADMIN = process.env.CHAOS_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SECRET = "chaos-signing-secret-0123456789ab";
const ALICE = "UALICE0001";
const LEVEL1 = "UPAGE00001";
const LEVEL2 = "UPAGE00002";
const INCIDENTS = 12;
const ACKED = 6; // the first six are acknowledged (double click) before level 2
const root = new URL("../..", import.meta.url).pathname;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (m: string) => process.stdout.write(`[chaos ${elapsed()}] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const POLICY = `
escalation:
  businessHours:
    - { name: on-call, targets: { slack: [${LEVEL1}] }, ackTimeoutMinutes: 1 }
    - { name: lead, targets: { slack: [${LEVEL2}] }, ackTimeoutMinutes: 1 }
  offHours:
    - { name: on-call, targets: { slack: [${LEVEL1}] }, ackTimeoutMinutes: 1 }
    - { name: lead, targets: { slack: [${LEVEL2}] }, ackTimeoutMinutes: 1 }
  priorityTimeouts: { P1: { businessHours: 1, offHours: 1 } }
  repeatTopLevel: 0
  managementLevel: lead
`;

function sign(body: string): Record<string, string> {
  const at = Math.floor(Date.now() / 1000);
  return { "x-slack-signature": "v0=" + createHmac("sha256", SECRET).update(`v0:${at}:${body}`).digest("hex"), "x-slack-request-timestamp": String(at) };
}

let n = 0;
function slashCommand(text: string, responseUrl: string): string {
  return new URLSearchParams({
    token: "t", team_id: "T0000001", team_domain: "acme", channel_id: GENERAL, channel_name: "general", user_id: ALICE, user_name: "alice",
    command: "/incident", text, api_app_id: "A0000001", is_enterprise_install: "false", response_url: responseUrl, trigger_id: `1334.${++n}.${randomBytes(4).toString("hex")}`,
  }).toString();
}

function ackButton(reference: string, channel: string): string {
  const actionTs = `1795000100.${String(++n).padStart(6, "0")}`;
  const p = {
    type: "block_actions", team: { id: "T0000001", domain: "acme" }, user: { id: ALICE, username: "alice", team_id: "T0000001" }, api_app_id: "A0000001", token: "t",
    trigger_id: `1335.${++n}.x`, container: { type: "message", message_ts: "1795000000.000101", channel_id: channel, is_ephemeral: false }, channel: { id: channel, name: "room" },
    response_url: "http://127.0.0.1:9/unused", actions: [{ type: "button", action_id: "incident_ack", block_id: "incident_actions", value: reference, text: { type: "plain_text", text: "Acknowledge" }, action_ts: actionTs }],
  };
  return new URLSearchParams({ payload: JSON.stringify(p) }).toString();
}

interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  alive: boolean;
}

async function post(r: Replica, body: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${r.port}/slack/events`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...sign(body), ...headers }, body });
    await res.text();
    return res.status;
  } catch {
    return 0;
  }
}

async function main(): Promise<number> {
  const dbName = `chaos_${randomBytes(5).toString("hex")}`;
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(ADMIN);
  url.pathname = `/${dbName}`;
  const dir = mkdtempSync(join(tmpdir(), "chaos-"));
  const policyFile = join(dir, "policy.yaml");
  writeFileSync(policyFile, POLICY);
  const api = await FakeSlackApi.start();
  const replicas: Replica[] = [];
  const db = postgres(url.toString(), { max: 2, onnotice: () => {} });
  try {
    const migrated = await openDatabase({ url: url.toString(), maxConnections: 1 });
    await applyMigrations(migrated);
    await migrated.close();
    let seed = 42;
    api.chaos = { rate: 0.3, retryAfter: 1, random: () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) };

    for (const [i, name] of ["a", "b", "c"].entries()) {
      const port = 30_000 + Math.floor(Math.random() * 20_000) + i;
      const out = openSync(join(dir, `replica-${name}.log`), "w");
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        stdio: ["ignore", out, out],
        env: {
          PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: url.toString(), POLICY_FILE: policyFile, PORT: String(port), LOG_LEVEL: "warn",
          SLACK_BOT_TOKEN: "xoxb-chaos", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url, SLACK_ANNOUNCEMENTS_CHANNEL: ANNOUNCEMENTS,
        },
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
    log(`3 replicas up (logs in ${dir}); the fake Slack API fails 30 % of calls`);

    // 12 P1s, spread over the replicas; every third one retried by Slack to another replica at once.
    const declaredAt = Date.now();
    await Promise.all(
      Array.from({ length: INCIDENTS }, async (_, i) => {
        const body = slashCommand(`declare "Chaos outage ${i + 1}" --impact I1 --urgency U1`, api.responseUrl(`d${i}`));
        const first = post(replicas[i % 3]!, body);
        const retry = i % 3 === 0 ? post(replicas[(i + 1) % 3]!, body, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }) : Promise.resolve(200);
        await Promise.all([first, retry]);
      }),
    );
    log(`declared ${INCIDENTS} P1s (${INCIDENTS / 3} of them retried to another replica)`);

    // Wait for the level-1 pages (DMs), then kill a replica with SIGKILL, well before level 2 (+60 s).
    const level1Out = async () => Number((await db`select count(*)::int as n from outbox where key like 'page:%:0:dm:%' and status = 'sent'`)[0]!.n);
    while ((await level1Out()) < INCIDENTS && Date.now() - declaredAt < 30_000) await sleep(250);
    const victim = replicas[0]!;
    victim.child.kill("SIGKILL");
    victim.alive = false;
    log(`level-1 pages sent: ${await level1Out()}/${INCIDENTS}; replica ${victim.name} killed with SIGKILL`);

    // Double clicks: the same Acknowledge press sent to both live replicas at once, for six incidents.
    const rooms = await db`select i.reference, w.channel_id from incidents i join war_rooms w on w.incident_id = i.id order by i.id`;
    const live = replicas.filter((r) => r.alive);
    await Promise.all(
      rooms.slice(0, ACKED).map(async (room) => {
        const press = ackButton(room.reference as string, room.channel_id as string);
        await Promise.all(live.map((r) => post(r, press)));
      }),
    );
    log(`acknowledged ${Math.min(ACKED, rooms.length)} incidents by double clicks to ${live.length} replicas`);

    // Level 2 falls due at +60 s; let everything settle, bounded.
    const settled = async () => {
      const [q] = await db`select
        (select count(*)::int from outbox where status = 'pending') as outbox,
        (select count(*)::int from timers where status in ('pending', 'running', 'waiting') and due_at <= now()) as timers,
        (select count(*)::int from pages where status = 'queued' and channel <> 'dm') as pages,
        (select count(*)::int from outbox where key like 'page:%:1:dm:%' and status = 'sent') as level2`;
      return q!;
    };
    for (;;) {
      const q = await settled();
      const done = Date.now() - declaredAt > 62_000 && q.outbox === 0 && q.timers === 0 && q.pages === 0 && q.level2 >= INCIDENTS - ACKED;
      if (done || Date.now() - declaredAt > 95_000) break;
      await sleep(500);
    }
    log("settled; checking");
    return await check(db, api, await settled());
  } finally {
    for (const r of replicas) if (r.alive) r.child.kill("SIGTERM");
    await Promise.all(replicas.filter((r) => r.alive).map((r) => new Promise((res) => (r.child.exitCode !== null ? res(null) : r.child.once("exit", res)))));
    await db.end();
    await api.close();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

async function check(db: postgres.Sql, api: FakeSlackApi, left: postgres.Row): Promise<number> {
  const failures: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const incidents = await db`select id, reference, title, acknowledged_at from incidents order by id`;
  expect(incidents.length === INCIDENTS, `${incidents.length} incidents stored, expected ${INCIDENTS}`);
  const calls = api.calls.filter((c) => c.method !== "response_url").length;
  log(`${calls} Web API calls; ${incidents.length} incidents`);
  for (const i of incidents) {
    const ref = i.reference as string;
    const seq = ref.slice(-4);
    const channels = [...api.channels.entries()].filter(([, c]) => new RegExp(`^inc-\\d{8}-${seq}-`).test(c.name));
    expect(channels.length === 1, `${ref}: ${channels.length} war-room channels (${channels.map(([, c]) => c.name).join(", ")})`);
    const [roomId, room] = channels[0] ?? [];
    if (!roomId || !room) continue;
    const inRoom = api.posted.filter((p) => p.channel === roomId);
    const summaries = inRoom.filter((p) => p.text.startsWith(`${ref} · `));
    expect(summaries.length === 1, `${ref}: summary posted ${summaries.length} times`);
    expect(api.pins.filter((p) => p.channel === roomId).length === 1, `${ref}: ${api.pins.filter((p) => p.channel === roomId).length} pins`);
    expect(inRoom[0]?.text.startsWith(`${ref} · `) === true, `${ref}: the summary is not the room's first message`);
    const count = (pred: (p: { channel: string; text: string }) => boolean) => api.posted.filter(pred).length;
    expect(count((p) => p.channel === ANNOUNCEMENTS && p.text.includes(`Incident declared: ${ref}`)) === 1, `${ref}: announcement not posted exactly once`);
    expect(inRoom.filter((p) => p.text.startsWith("Incident notice")).length === 1, `${ref}: initial notice not posted exactly once`);
    const acked = i.acknowledged_at !== null;
    const pages1 = count((p) => p.channel === LEVEL1 && p.text.includes(ref) && !p.text.includes("stand down"));
    const pages2 = count((p) => p.channel === LEVEL2 && p.text.includes(ref) && !p.text.includes("stand down"));
    expect(pages1 === 1, `${ref}: level-1 page sent ${pages1} times`);
    expect(pages2 === (acked ? 0 : 1), `${ref}: level-2 page sent ${pages2} times (${acked ? "acknowledged" : "not acknowledged"})`);
    const mentions1 = inRoom.filter((p) => p.text.includes("Paging level 1")).length;
    const mentions2 = inRoom.filter((p) => p.text.includes("Paging level 2")).length;
    expect(mentions1 === 1 && mentions2 === (acked ? 0 : 1), `${ref}: war-room page mentions level 1 ×${mentions1}, level 2 ×${mentions2}`);
    const acks = await db`select count(*)::int as n from incident_events where incident_id = ${i.id as number} and kind = 'acknowledged'`;
    expect(Number(acks[0]!.n) === (acked ? 1 : 0), `${ref}: acknowledged ${acks[0]!.n} times`);
  }
  const acked = incidents.filter((i) => i.acknowledged_at !== null).length;
  expect(acked === ACKED, `${acked} incidents acknowledged, expected ${ACKED}`);
  // Level 2: the DM's sent time against its ack-timeout's due time.
  const late2 = await db`select o.key, extract(epoch from (o.sent_at - t.due_at)) as late from outbox o
    join timers t on t.key = 'ack-timeout:' || o.incident_id || ':' || split_part(o.key, ':', 3) || ':1'
    where o.key like 'page:%:1:dm:%'`;
  const worst2 = Math.max(0, ...late2.map((r) => Number(r.late)));
  expect(late2.length === INCIDENTS - ACKED, `${late2.length} level-2 pages recorded, expected ${INCIDENTS - ACKED}`);
  expect(worst2 <= 5, `a level-2 page went out ${worst2.toFixed(1)} s after it was due (limit 5 s)`);
  const deliveries = await db`select key, status, extract(epoch from (sent_at - created_at)) as late from outbox`;
  const unsent = deliveries.filter((d) => d.status !== "sent");
  expect(unsent.length === 0, `${unsent.length} deliveries not sent: ${unsent.map((d) => `${d.key} ${d.status}`).join(", ")}`);
  const worst = Math.max(0, ...deliveries.map((d) => Number(d.late ?? 0)));
  expect(worst <= 60, `a delivery went out ${worst.toFixed(1)} s after it was due (limit 60 s)`);
  expect(left.outbox === 0 && left.timers === 0 && left.pages === 0, `left queued: ${left.outbox} deliveries, ${left.timers} due timers, ${left.pages} pages`);
  log(`level-2 pages: worst ${worst2.toFixed(2)} s after due; deliveries: ${deliveries.length}, worst ${worst.toFixed(2)} s after due`);
  if (failures.length) {
    for (const f of failures) log(`FAIL ${f}`);
    return 1;
  }
  log(`OK: ${INCIDENTS} incidents, one war room and one pinned summary each, every page exactly once, nothing left queued`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`chaos: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
