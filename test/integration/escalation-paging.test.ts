/**
 * Paging beyond chat, on every backend: a webhook POST with an idempotency key, retried after a 500;
 * an e-mail through a local SMTP server; a page that fails for good is reported in the war room. Also
 * two scheduler instances never send one page twice, and a timer claimed as the resolve lands pages nobody.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { smtpMailSender } from "../../src/adapters/paging/email.js";
import { jobHandlers } from "../../src/app/jobs/index.js";
import { incidentEvents, pages } from "../../src/db/schema.js";
import { DEFAULT_POLICY, type EscalationLevel, type Policy } from "../../src/domain/policy.js";
import { claimDue } from "../../src/scheduler/claims.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";
import { startSmtpServer } from "../support/smtp-server.js";

const DECLARE = '/incident declare "Payment API down" --impact I1 --urgency U2';
const ROOM = "inc-20261124-0001-payment-api-down";
const START = "2026-11-24T10:00:00Z";

function withLevel1(extra: Partial<EscalationLevel>): Policy {
  const [first, ...rest] = DEFAULT_POLICY.escalation.businessHours;
  return { ...DEFAULT_POLICY, escalation: { ...DEFAULT_POLICY.escalation, businessHours: [{ ...first!, ...extra }, ...rest] } };
}

interface Hit {
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

async function webhookServer(statuses: number[]): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      hits.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      res.statusCode = statuses[Math.min(hits.length - 1, statuses.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`, hits, server };
}

describe.each(backends)("escalation paging on $name", (backend) => {
  let database: TestDatabase;
  const cleanup: (() => unknown)[] = [];
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
    await database.destroy();
  });
  const events = async (kind: string) =>
    (await database.db.select().from(incidentEvents).where(eq(incidentEvents.kind, kind)).orderBy(asc(incidentEvents.id))).map((e) => e.data);
  const dms = (lines: string[]) => lines.filter((l) => /^\[DM @[^\]]+\] bot: 🚨 Page/.test(l)).map((l) => /^\[DM @([^\]]+)\]/.exec(l)![1]);

  it("POSTs a webhook page with an idempotency key and retries it after a 500", async () => {
    const hook = await webhookServer([500, 200]);
    cleanup.push(() => hook.server.close());
    const h = consoleHarness(database, { start: START, policy: withLevel1({ webhook: hook.url }), scheduler: { backoffMs: () => 60_000 } });
    await h.type(DECLARE);
    expect(hook.hits).toHaveLength(1);
    const [page] = await database.db.select().from(pages).where(eq(pages.channel, "webhook"));
    expect(page).toMatchObject({ status: "queued", target: hook.url });
    await h.type(":advance 1m");
    expect(hook.hits).toHaveLength(2);
    const key = hook.hits[0]!.headers["idempotency-key"];
    expect(key).toBe(page!.key);
    expect(hook.hits[1]!.headers["idempotency-key"]).toBe(key);
    expect(hook.hits[1]!.headers["content-type"]).toBe("application/json");
    expect(hook.hits[1]!.body).toMatchObject({ type: "incident.page", idempotencyKey: key, page: { reference: "INC-2026-0001", level: 1, levelName: "service desk", ladder: "business", kind: "technical" } });
    const [after] = await database.db.select().from(pages).where(eq(pages.channel, "webhook"));
    expect(after!.status).toBe("sent");
  });

  it("reports in the war room a page that still fails after its retries", async () => {
    const hook = await webhookServer([503]);
    cleanup.push(() => hook.server.close());
    const h = consoleHarness(database, { start: START, policy: withLevel1({ webhook: hook.url }), scheduler: { maxAttempts: 2, backoffMs: () => 60_000 } });
    await h.type(DECLARE);
    const out = await h.type(":advance 1m");
    expect(hook.hits).toHaveLength(2);
    expect(out).toContain(`[#${ROOM}] bot: ⚠️ Could not page level 1 (service desk) by webhook ${hook.url} for INC-2026-0001 after retries (webhook answered HTTP 503).`);
    const [page] = await database.db.select().from(pages).where(eq(pages.channel, "webhook"));
    expect(page).toMatchObject({ status: "failed", lastError: "webhook answered HTTP 503" });
    expect(await events("page.failed")).toEqual([{ level: 1, channel: "webhook", target: hook.url, reason: "webhook answered HTTP 503" }]);
  });

  it("e-mails a page through SMTP", async () => {
    const smtp = await startSmtpServer();
    const mail = smtpMailSender(smtp.url, "bot@example.com");
    cleanup.push(() => mail.close(), () => smtp.close());
    const h = consoleHarness(database, { start: START, policy: withLevel1({ email: "desk@example.com" }), paging: { mail } });
    await h.type(DECLARE);
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect(m).toMatchObject({ from: "bot@example.com", to: ["desk@example.com"] });
    expect(m.data).toContain("Subject: =?UTF-8?Q?");
    expect(m.data).toMatch(/^Message-ID: <page:1:\d+:0:email@example\.com>$/m); // the page key: the same on a retry
    expect(m.data).toContain("You are paged as level 1");
    const [page] = await database.db.select().from(pages).where(eq(pages.channel, "email"));
    expect(page).toMatchObject({ status: "sent", target: "desk@example.com" });
  });

  it("two scheduler instances never send the same page twice", async () => {
    const a = consoleHarness(database, { start: START, scheduler: { workerId: "a", batchSize: 1 } });
    const b = consoleHarness(database, { start: START, scheduler: { workerId: "b", batchSize: 1 } });
    await a.type(DECLARE);
    for (let n = 0; n < 7; n++) {
      a.clock.advance(30 * 60_000);
      b.clock.advance(30 * 60_000);
      await Promise.all([a.bot.scheduler.drain(), b.bot.scheduler.drain(), a.bot.scheduler.drain(), b.bot.scheduler.drain()]);
    }
    const all = [...dms(a.lines), ...dms(b.lines)];
    expect(all.sort()).toEqual(["desk", "engineering", "manager", "manager", "manager", "manager", "team-lead"]);
    expect((await events("page.sent")).map((d) => [d.level, d.repeat])).toEqual([[1, 0], [2, 0], [3, 0], [4, 0], [4, 1], [4, 2], [4, 3]]);
  });

  it("a timeout claimed just as the resolve lands pages nobody", async () => {
    const h = consoleHarness(database, { start: START });
    await h.type(DECLARE);
    h.clock.advance(30 * 60_000);
    const claimed = (await claimDue(database.db, "slow-worker", h.clock.now(), 60_000, 10)).find((t) => t.kind === "escalation.ack_timeout");
    expect(claimed!.kind).toBe("escalation.ack_timeout");
    await h.type(":in #" + ROOM);
    await h.type("/incident resolve restarted the API");
    await jobHandlers(h.bot.ctx)[claimed!.kind]!({ ...claimed!, lastAttempt: false });
    await h.type(":advance 5m"); // the lease runs out: another worker takes the timer over
    await h.type(":advance 1d");
    expect(dms(h.lines)).toEqual(["desk"]);
    expect(await events("escalated")).toEqual([]);
    expect((await events("page.sent")).map((d) => d.level)).toEqual([1]);
  });
});
