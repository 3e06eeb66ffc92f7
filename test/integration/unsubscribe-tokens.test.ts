/**
 * Unsubscribe links: the database keeps only a SHA-256 digest of each token, never the token the mail
 * carries. The link of a sent mail still unsubscribes (GET shows the page, POST records it); a wrong
 * token is unknown. Tokens stored in clear by an older version are hashed by the migration, so the
 * links already mailed keep working.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unsubscribeRoutes } from "../../src/adapters/http/unsubscribe.js";
import type { OutgoingMail } from "../../src/app/ports.js";
import { parsePolicy } from "../../src/config/policy-file.js";
import { DrizzleMailRepo } from "../../src/db/mail-repo.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { everyRow, migratedBefore } from "../support/migrations.js";
import { slackHarness, slashCommand, type SlackHarness } from "../support/slack-harness.js";

const policy = parsePolicy({
  stakeholders: {
    destinations: { customers: { email: ["ops@acme.example", "cto@acme.example"] } },
    rules: [{ priorities: ["P1"], to: ["customers"] }],
  },
});

describe.each(backends)("unsubscribe tokens on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  const mails: OutgoingMail[] = [];

  beforeEach(async () => {
    mails.length = 0;
    database = await backend.open();
    const mail = { send: async (m: OutgoingMail) => void mails.push(m) };
    h = await slackHarness(database, { policy, paging: { mail }, publicUrl: "http://bot.example/", routes: (app) => unsubscribeRoutes({ app }) });
  });

  afterEach(async () => {
    await h.close();
    await database.destroy().catch(() => {});
  });

  it("stores only the token's digest; the mailed link unsubscribes, a wrong token does not", async () => {
    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2 --service payments'));
    await h.advance(5_000);
    const toCto = mails.filter((m) => m.to === "cto@acme.example");
    expect(toCto).toHaveLength(1);
    const url = toCto[0]!.unsubscribeUrl!;
    expect(url).toMatch(/^http:\/\/bot\.example\/unsubscribe\/[A-Za-z0-9_-]{24}$/);
    const token = url.split("/").pop()!;

    // Nowhere in the database: not the recipients' rows, not the outbox row the mail was sent from.
    const stored = await everyRow(database.db as never);
    expect(stored).toContain("cto@acme.example");
    expect(stored).not.toContain(token);

    const wrong = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const method of ["GET", "POST"]) {
      const res = await fetch(`${h.base}/unsubscribe/${wrong}`, { method, ...(method === "POST" ? { body: "List-Unsubscribe=One-Click" } : {}) });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("This unsubscribe link is not known");
    }
    const page = await fetch(`${h.base}/unsubscribe/${token}`);
    expect(await page.text()).toContain("Stop the incident e-mails of the list “customers” to cto@acme.example?");
    const posted = await fetch(`${h.base}/unsubscribe/${token}`, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("cto@acme.example no longer receives the incident e-mails of the list “customers”");

    // The next communication reaches ops@ only, with a link of its own that works as well.
    await h.post(slashCommand('update "Rolled back release 42"', { channel: h.api.channelByName("inc-20261123-0001-payment-api-down")! }));
    await h.advance(5_000);
    const later = mails.slice(2);
    expect(later.map((m) => m.to)).toEqual(["ops@acme.example"]);
    const opsFirst = mails.find((m) => m.to === "ops@acme.example")!.unsubscribeUrl!;
    expect(later[0]!.unsubscribeUrl).not.toBe(opsFirst);
    for (const link of [opsFirst, later[0]!.unsubscribeUrl!]) {
      expect(await (await fetch(`${h.base}${new URL(link).pathname}`)).text()).toContain("to ops@acme.example?");
    }
  });
});

describe("unsubscribe tokens stored in clear before", () => {
  it("are hashed by the migration, and the links already mailed still work", async () => {
    const old = await migratedBefore("0015_hashed_unsubscribe_tokens");
    try {
      const token = "Legacy_token-0123456789ab";
      await old.client.exec(`insert into mail_recipients (destination, address, token, created_at) values ('customers', 'cto@acme.example', '${token}', now())`);
      await old.client.exec(`insert into outbox (key, platform, target, action, payload, created_at) values ('comms:1:email:customers:cto', 'email', 'cto@acme.example', 'email',
        '{"text":"Payments are slow","stakeholder":{"destination":"customers","mail":{"timezone":"UTC","messageKey":"k","rootKey":null,"token":"${token}"}}}', now())`);

      await old.finish();

      const stored = await old.everyRow();
      expect(stored).toContain("cto@acme.example");
      expect(stored).toContain("Payments are slow");
      expect(stored).not.toContain(token);
      const mail = new DrizzleMailRepo(old.db as never);
      expect(await mail.recipient("Legacy_token-0123456789aB")).toBeNull();
      expect(await mail.recipient(token)).toEqual({ destination: "customers", address: "cto@acme.example", done: false });
      expect(await mail.unsubscribe(token, new Date("2026-11-23T10:00:00Z"))).toEqual({ destination: "customers", address: "cto@acme.example", already: false });
      expect(await mail.unsubscribed("customers", "cto@acme.example")).toBe(true);
    } finally {
      await old.close();
    }
  }, 120_000); // a new PGlite and every migration: seconds on a busy machine
});
