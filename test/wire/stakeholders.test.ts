/**
 * A P1's life told to every kind of stakeholder destination at once, each at its wire: a Slack
 * channel (fake Slack API), a Discord channel (fake Discord API), an e-mail list (a local SMTP server,
 * the mails parsed back with mailparser) and a webhook (a local HTTP server). Every first delivery
 * fails once, so each is retried; each destination still receives every communication exactly once,
 * with the same facts, in public words only. One list member unsubscribes half-way through, by the
 * link of a mail. `/incident comms` shows each destination's delivery.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDiscordAdapter } from "../../src/adapters/discord/server.js";
import { smtpMailSender } from "../../src/adapters/paging/email.js";
import { unsubscribeRoutes } from "../../src/adapters/http/unsubscribe.js";
import { parsePolicy } from "../../src/config/policy-file.js";
import { outbox } from "../../src/db/schema.js";
import { silentLogger } from "../../src/log.js";
import { Metrics } from "../../src/metrics.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { ANNOUNCEMENTS_ID, APP_ID, FakeDiscordApi, GUILD_ID } from "../support/fake-discord-api.js";
import { ANNOUNCEMENTS } from "../support/fake-slack-api.js";
import { ALICE, BOB, slackHarness, slashCommand, type SlackHarness } from "../support/slack-harness.js";
import { startSmtpServer } from "../support/smtp-server.js";

const STATUS = "CSTATUS001";
const CUSTOMERS = ["ops@acme.example", "cto@acme.example"];

/** A webhook receiver: every request with its headers and body; the first `failFirst` answer 500. */
async function webhookReceiver(failFirst: number) {
  const requests: { key: string; body: any; status: number }[] = [];
  let failures = failFirst;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = failures-- > 0 ? 500 : 200;
      requests.push({ key: String(req.headers["idempotency-key"]), body: JSON.parse(Buffer.concat(chunks).toString("utf8")), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/incidents`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function policy(webhook: string) {
  return parsePolicy({
    stakeholders: {
      destinations: {
        status: { slack: STATUS },
        "customers-acme": { email: CUSTOMERS, timezone: "America/New_York" },
        "discord-news": { discord: ANNOUNCEMENTS_ID },
        hook: { webhook },
      },
      rules: [
        { priorities: ["P1"], services: ["payments"], to: ["status", "customers-acme", "discord-news", "hook"] },
        { priorities: ["P2"], to: ["status"] },
      ],
    },
  });
}

/** What must never reach a stakeholder: user ids, mentions, the SLA clock, the ladder, the roles. */
const INTERNAL = [ALICE, BOB, "@", "Respond by", "Resolve by", "respond-by", "resolve-by", "SLA", "Paging", "level 1", "service desk", "Roles", "Incident manager", "Declared"];
const leaks = (text: string) => INTERNAL.filter((w) => text.includes(w));

describe.each(backends)("stakeholder destinations on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  let discord!: FakeDiscordApi;
  let smtp!: Awaited<ReturnType<typeof startSmtpServer>>;
  let hook!: Awaited<ReturnType<typeof webhookReceiver>>;
  let mail!: ReturnType<typeof smtpMailSender>;
  let adapter!: ReturnType<typeof createDiscordAdapter>;

  beforeEach(async () => {
    database = await backend.open();
    discord = await FakeDiscordApi.start();
    smtp = await startSmtpServer();
    hook = await webhookReceiver(1);
    mail = smtpMailSender(smtp.url, "incidents@example.com");
    const env = { token: "test-token", applicationId: APP_ID, guildId: GUILD_ID, incidentsCategory: "Incidents", announcementsChannel: ANNOUNCEMENTS_ID, apiUrl: discord.url };
    adapter = createDiscordAdapter({ env, log: silentLogger, metrics: new Metrics() });
    h = await slackHarness(database, { policy: policy(hook.url), chats: [adapter.chat], paging: { mail }, publicUrl: "http://bot.example/", routes: (app) => unsubscribeRoutes({ app }) });
  });

  afterEach(async () => {
    await h.close();
    await adapter.client.destroy();
    mail.close();
    await Promise.all([discord.close(), smtp.close(), hook.close()]);
    await database.destroy().catch(() => {});
  });

  /** A command in the war room; answers what the person sees (the ack's body, or the response_url post). */
  const run = async (text: string, user = ALICE) => {
    const before = h.api.callsTo("response_url").length;
    const res = await h.post(slashCommand(text, { user, channel: h.api.channelByName("inc-20261123-0001-payment-api-down") ?? undefined, responseUrl: h.api.responseUrl(`r${before}`) }));
    const posted = h.api.callsTo("response_url").slice(before).map((b) => String(b.text));
    return [res.body, ...posted].join("\n");
  };
  /** Lets the retries (jittered backoff, under a second at first) come due. */
  const settle = async () => {
    for (let k = 0; k < 2; k++) await h.advance(5_000);
  };

  it("sends a P1's life to Slack, Discord, e-mail and a webhook, each once, retried after failures, in public words", async () => {
    // Every destination fails its first delivery.
    h.api.fail("chat.postMessage", { status: 500 }, 1, STATUS);
    discord.fail("POST", new RegExp(`^/channels/${ANNOUNCEMENTS_ID}/messages$`), { status: 500, body: { message: "500: Internal Server Error", code: 0 } });
    smtp.failNext(1);

    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2 --service payments --customer acme'));
    await settle();
    await run("update \"Rolled back release 42; <@UBOB000002> is watching the error rate\" --next 20m");
    await settle();

    // cto@ leaves the list through the link of the mail they received (a mail client's one-click POST).
    const toCto = await Promise.all(smtp.mails.filter((m) => m.to.includes("cto@acme.example")).map((m) => simpleParser(m.data)));
    const line = toCto[0]!.headerLines.find((l) => l.key === "list-unsubscribe")?.line ?? "";
    const unsubscribeUrl = /<(http[^>]+)>/.exec(line)?.[1] ?? "";
    expect(unsubscribeUrl).toMatch(/^http:\/\/bot\.example\/unsubscribe\/[A-Za-z0-9_-]{20,}$/);
    const path = new URL(unsubscribeUrl).pathname;
    const got = await fetch(`${h.base}${path}`);
    expect(got.status).toBe(200);
    expect(await got.text()).toContain("Stop the incident e-mails of the list “customers-acme” to cto@acme.example?");
    const posted = await fetch(`${h.base}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("cto@acme.example no longer receives the incident e-mails of the list “customers-acme”");
    const unknown = await fetch(`${h.base}/unsubscribe/not-a-known-token`, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("This unsubscribe link is not known");

    await run('update "Workers restarted; payments are flowing again for most cards"');
    await settle();
    await run('resolve "Release 42 broke card tokenisation; rolled back and fixed forward"');
    await settle();
    await run("report send");
    await settle();

    const kinds = ["Incident declared: ", "Update on ", "Update on ", "All clear: ", "Incident report "];

    // Slack #status: five posts (one failed attempt, retried), no duplicate.
    const slack = h.api.posted.filter((p) => p.channel === STATUS);
    expect(slack.map((p) => p.text.replace(/(INC-2026-0001).*/, "$1"))).toEqual(kinds.map((k) => `${k}INC-2026-0001`));
    expect(h.api.callsTo("chat.postMessage").filter((b) => b.channel === STATUS)).toHaveLength(6);
    // With destinations configured, the rules decide: Slack's own announcements channel gets nothing.
    expect(h.api.posted.filter((p) => p.channel === ANNOUNCEMENTS)).toEqual([]);

    // Discord: the same five, once each.
    const embeds = [...discord.messages.values()].filter((m) => m.channel_id === ANNOUNCEMENTS_ID).map((m) => m.embeds[0]);
    expect(embeds.map((e: any) => String(e.title).replace(/(INC-2026-0001).*/, "$1"))).toEqual(kinds.map((k) => `${k}INC-2026-0001`));

    // Webhook: five deliveries with distinct Idempotency-Keys, the first one after a 500.
    const ok = hook.requests.filter((r) => r.status === 200);
    expect(hook.requests).toHaveLength(6);
    expect(hook.requests[0]!.key).toBe(hook.requests[1]!.key);
    expect(new Set(ok.map((r) => r.key)).size).toBe(5);
    expect(ok.map((r) => r.body.type)).toEqual(["incident.announcement", "incident.update", "incident.update", "incident.allclear", "incident.report"]);
    expect(ok[1]!.body).toMatchObject({ incident: { reference: "INC-2026-0001", priority: "P1", status: "declared", service: "payments" }, text: "Rolled back release 42; the team is watching the error rate" });
    // The report stakeholders get is the public one: its facts, no escalations, codes, roles, owners or sign-off.
    const report = String(ok[4]!.body.text);
    expect(report).toContain("# Incident report INC-2026-0001: Payment API down");
    expect(report).toContain("| Priority | P1 Critical |");
    expect(report).not.toMatch(/Escalated|impact I1|urgency|Owner|approved by|War room|Incident manager|Nature/);

    // E-mail: ops@ receives all five, cto@ the two sent before they left; parsed back.
    const ops: ParsedMail[] = await Promise.all(smtp.mails.filter((m) => m.to.includes("ops@acme.example")).map((m) => simpleParser(m.data)));
    expect(smtp.mails.filter((m) => m.to.includes("cto@acme.example"))).toHaveLength(2);
    expect(ops.map((m) => m.subject)).toEqual([
      "[P1] INC-2026-0001 Payment API down — declared",
      "[P1] INC-2026-0001 Payment API down — declared",
      "[P1] INC-2026-0001 Payment API down — declared",
      "[P1] INC-2026-0001 Payment API down — resolved",
      "[P1] INC-2026-0001 Payment API down — incident report",
    ]);
    const first = ops[0]!.messageId!;
    expect(first).toMatch(/^<.+@example\.com>$/);
    for (const m of ops.slice(1)) {
      expect(m.inReplyTo).toBe(first);
      expect([m.references].flat()).toEqual([first]);
    }
    expect(new Set(ops.map((m) => m.messageId)).size).toBe(5);
    for (const m of ops) {
      expect(m.text).toBeTruthy();
      expect(m.html).toBeTruthy();
      expect(m.headerLines.find((l) => l.key === "list-unsubscribe-post")?.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
      expect(m.headerLines.find((l) => l.key === "list-unsubscribe")?.line).toMatch(/^List-Unsubscribe: <http:\/\/bot\.example\/unsubscribe\/[\w-]+>$/);
    }
    // Update 1, in the list's timezone (New York, UTC-05:00): status, impact, actions, next update.
    expect(ops[1]!.text).toContain("Status: declared");
    expect(ops[1]!.text).toContain("Impact: Total outage: Total unavailability of production.");
    expect(ops[1]!.text).toContain("Actions in progress: Rolled back release 42; the team is watching the error rate");
    expect(ops[1]!.text).toContain("Next update: 2026-11-23 05:20 UTC-05:00");
    expect(ops[1]!.html).toContain("<th align=\"left\" style=\"padding:2px 12px 2px 0\">Next update</th><td>2026-11-23 05:20 UTC-05:00</td>");
    expect(ops[3]!.text).toContain("How it was fixed: Release 42 broke card tokenisation; rolled back and fixed forward");

    // Nothing internal anywhere public.
    const publicTexts = [
      ...ops.flatMap((m) => [m.text ?? "", String(m.html)]),
      ...ok.map((r) => JSON.stringify(r.body)),
      ...slack.map((p) => JSON.stringify(h.api.channels.get(STATUS)?.messages.get(p.ts) ?? p.text)),
      ...embeds.map((e) => JSON.stringify(e)),
    ];
    for (const t of publicTexts) expect(leaks(t.replace(/[\w.+-]+@(acme\.)?example(\.com)?/g, "address"))).toEqual([]);

    // Nothing left queued; `/incident comms` says where each went.
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.filter((r) => r.status === "pending")).toEqual([]);
    const text = await run("comms");
    expect(text).toContain("status (slack) sent (after 2 attempts)");
    expect(text).toContain("discord-news (discord) sent (after 2 attempts)");
    // The SMTP server refused one of the two first mails (whichever went first), then took it.
    expect(text.match(/customers-acme \(e-mail (ops|cto)@acme\.example\) sent \(after 2 attempts\)/g)).toHaveLength(1);
    expect(text).toContain("customers-acme (e-mail cto@acme.example) sent");
    expect(text).toContain("hook (webhook) sent (after 2 attempts)");
    expect(text.match(/customers-acme \(e-mail cto@acme\.example\)/g)).toHaveLength(2);
  }, 120_000);
});

describe.each(backends)("stakeholders across platforms on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness | null;
  let discord!: FakeDiscordApi;
  let adapter!: ReturnType<typeof createDiscordAdapter>;

  beforeEach(async () => {
    database = await backend.open();
    discord = await FakeDiscordApi.start();
    const env = { token: "test-token", applicationId: APP_ID, guildId: GUILD_ID, incidentsCategory: "Incidents", announcementsChannel: ANNOUNCEMENTS_ID, apiUrl: discord.url };
    adapter = createDiscordAdapter({ env, log: silentLogger, metrics: new Metrics() });
    h = null;
  });

  afterEach(async () => {
    await h?.close();
    await adapter.client.destroy();
    await discord.close();
    await database.destroy().catch(() => {});
  });

  it("with no destination configured, an incident declared in Slack is announced in Slack's and Discord's announcements channels", async () => {
    h = await slackHarness(database, { chats: [adapter.chat] });
    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2'));
    for (let k = 0; k < 2; k++) await h.advance(5_000); // a first call lost on a loaded machine is retried
    expect(h.api.posted.filter((p) => p.channel === ANNOUNCEMENTS).map((p) => p.text)).toEqual(["Incident declared: INC-2026-0001 · P1 Critical · Payment API down"]);
    const embeds = [...discord.messages.values()].filter((m) => m.channel_id === ANNOUNCEMENTS_ID).map((m) => m.embeds[0]);
    expect(embeds.map((e: any) => e.title)).toEqual(["Incident declared: INC-2026-0001 · P1 Critical · Payment API down"]);
    // The war room is named to Slack's stakeholders (who can join it), not to Discord's.
    expect(JSON.stringify(embeds[0])).not.toContain("War room");
    expect(JSON.stringify(h.api.channels.get(ANNOUNCEMENTS)!.messages.values().next().value)).toContain("inc-20261123-0001-payment-api-down");
  }, 120_000);

  it("a destination whose platform or sender is not configured fails at once with the reason, reported in the war room", async () => {
    const p = parsePolicy({ stakeholders: { destinations: { news: { discord: ANNOUNCEMENTS_ID }, list: { email: ["ops@acme.example", "cto@acme.example"] } }, rules: [{ to: ["news", "list"] }] } });
    h = await slackHarness(database, { policy: p }); // Slack only, no SMTP
    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2'));
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.filter((r) => r.action !== "post" || r.target !== "warroom").map((r) => [r.target, r.status, r.lastError])).toEqual([
      [ANNOUNCEMENTS_ID, "failed", 'discord is not configured (destination "news"); configure it or change stakeholders in the policy file'],
      ["ops@acme.example", "failed", "e-mail is not configured (set SMTP_URL)"],
      ["cto@acme.example", "failed", "e-mail is not configured (set SMTP_URL)"],
    ]);
    const room = h.api.channelByName("inc-20261123-0001-payment-api-down")!;
    const said = h.api.posted.filter((x) => x.channel === room && x.text.startsWith("Could not deliver")).map((x) => x.text);
    // One report for the list, not one per address (whichever address failed first is named).
    expect(said.sort().map((t) => t.replace(/first to fail: (ops|cto)@/, "first to fail: someone@"))).toEqual([
      'Could not deliver the e-mail to list list (first to fail: someone@acme.example; /incident comms lists every address) for INC-2026-0001 after 1 attempt (e-mail is not configured (set SMTP_URL)); send it by hand.',
      'Could not deliver the message to destination news for INC-2026-0001 after 1 attempt (discord is not configured (destination "news"); configure it or change stakeholders in the policy file); post it by hand.',
    ]);
    expect(discord.calls).toEqual([]);
  }, 120_000);
});
