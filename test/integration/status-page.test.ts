/**
 * The status page over HTTP, on every backend: states from impact, public text only, private
 * services and internal incidents absent, escaping, the 90-day bars, the Atom feed parsed back, the
 * token, HEAD.
 */
import { XMLParser } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends, type TestDatabase } from "../support/databases.js";
import { PUBLIC_UPDATE, statusBed, XSS_TITLE } from "../support/status-fixture.js";

const HOUR = 3_600_000;

describe.each(backends)("status page on $name", (backend) => {
  let database: TestDatabase;
  let bed: Awaited<ReturnType<typeof statusBed>>;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await bed?.close();
    await database.destroy();
  });

  /** INC-1 checkout I1 (public, with an update), INC-2 payments I2, INC-3 ledger (private), INC-4 security, INC-5 a P3. */
  async function scenario() {
    const t = (l: string) => bed.type(l);
    await t(`/incident declare "${XSS_TITLE.replace(/"/g, "'")}" --impact I1 --urgency U1 --service checkout --nature application`);
    await t(`/incident update "${PUBLIC_UPDATE}" --incident INC-2026-0001`);
    await t(`/incident declare "Payments are slow" --impact I2 --urgency U2 --service payments`);
    await t(`/incident declare "Ledger export stuck" --impact I1 --urgency U1 --service ledger`);
    await t(`/incident declare "Leaked credential rotated" --impact I1 --urgency U1 --service checkout --nature security`);
    await t(`/incident declare "Typo on the receipt" --impact I2 --urgency U3 --service payments`);
  }

  it("shows each public service's state from its open incidents' impact, with the public text only", async () => {
    bed = await statusBed(database);
    const empty = await bed.json();
    expect(empty.status).toBe("operational");
    expect(empty.services.map((s) => [s.id, s.name, s.status])).toEqual([["checkout", "Checkout", "operational"], ["payments", "Payments", "operational"]]);
    expect(empty.incidents).toEqual([]);

    await scenario();
    const j = await bed.json();
    expect(j.title).toBe("Acme status");
    expect(j.internal).toBe(false);
    expect(j.status).toBe("outage");
    expect(j.services.map((s) => [s.id, s.status])).toEqual([["checkout", "outage"], ["payments", "degraded"]]);
    expect(j.incidents.map((i) => [i.reference, i.service, i.state, i.status])).toEqual([
      ["INC-2026-0002", "Payments", "degraded", "Investigating"],
      ["INC-2026-0001", "Checkout", "outage", "Investigating"],
    ]);
    const one = j.incidents.find((i) => i.reference === "INC-2026-0001")!;
    expect(one.title).toBe(XSS_TITLE.replace(/"/g, "'"));
    expect(one.updates.map((u) => [u.label, u.text])).toEqual([
      ["Investigating", "We are aware of this incident and are investigating."],
      ["Update", PUBLIC_UPDATE],
    ]);
    // Nothing internal: no responder, priority, SLA, ladder or the hidden incidents.
    const text = JSON.stringify(j);
    for (const hidden of ["alice", "P1", "Critical", "respond", "resolveBy", "ladder", "Ledger", "ledger", "Leaked credential", "Typo on the receipt", "I1", "U1"]) {
      expect(text, hidden).not.toContain(hidden);
    }

    // A workaround in place leaves the service degraded, not down.
    await bed.type(`/incident mitigated "Traffic moved to the standby region" --incident INC-2026-0001`);
    const m = await bed.json();
    expect(m.services.find((s) => s.id === "checkout")!.status).toBe("degraded");
    expect(m.incidents.find((i) => i.reference === "INC-2026-0001")!.updates.at(-1)!.text).toBe("A workaround is in place. Traffic moved to the standby region");
  });

  it("escapes every text in the HTML, has no script and reads on a phone", async () => {
    bed = await statusBed(database);
    await scenario();
    const page = await bed.get("/status");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.body).not.toMatch(/<script|<img|javascript:/i);
    expect(page.body).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i); // no event-handler attribute anywhere
    expect(page.body).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Checkout &amp; card payments failing");
    expect(page.body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(page.body).not.toContain("Ledger export stuck");
    expect(page.body).not.toContain("Leaked credential");
  });

  it("keeps 90 days of bars: the incident's days show its worst state, after it is resolved too", async () => {
    bed = await statusBed(database, { start: "2026-10-01T08:00:00Z" });
    await bed.type(`/incident declare "Checkout down" --impact I1 --urgency U1 --service checkout`);
    bed.clock.advance(20 * HOUR); // across local midnight: 1 and 2 October (Europe/Paris)
    await bed.type(`/incident resolve "Rolled back" --incident INC-2026-0001`);
    bed.clock.advance(30 * 24 * HOUR); // 2026-11-01 05:00 local
    await bed.type(`/incident declare "Payments slow" --impact I2 --urgency U1 --service payments`);
    bed.clock.advance(2 * HOUR);
    await bed.type(`/incident resolve "Cache warmed" --incident INC-2026-0002`);
    bed.clock.advance(10 * 24 * HOUR); // now 2026-11-11 07:00, local

    const j = await bed.json();
    expect(j.incidents).toEqual([]);
    const checkout = j.services.find((s) => s.id === "checkout")!.history;
    const payments = j.services.find((s) => s.id === "payments")!.history;
    expect(checkout).toHaveLength(90);
    expect(checkout.at(-1)!.date).toBe("2026-11-11");
    expect(checkout[0]!.date).toBe("2026-08-14");
    const bad = (h: typeof checkout) => h.filter((d) => d.status !== "operational").map((d) => [d.date, d.status, d.incidents]);
    expect(bad(checkout)).toEqual([["2026-10-01", "outage", 1], ["2026-10-02", "outage", 1]]);
    expect(bad(payments)).toEqual([["2026-11-01", "degraded", 1]]);
    expect(j.recent).toEqual([]); // resolved more than 7 days ago

    const html = (await bed.get("/status")).body;
    expect(html).toContain('title="2026-10-01: outage, 1 incident"');
    expect(html).toContain('aria-label="Checkout, last 90 days: 88 operational, 0 degraded, 2 with an outage"');
    // 91 days later the first incident has left the window.
    bed.clock.advance(60 * 24 * HOUR);
    expect(bad((await bed.json()).services[0]!.history)).toEqual([]);
  });

  it("serves an Atom 1.0 feed with one entry per public update, newest first", async () => {
    bed = await statusBed(database, { publicUrl: "https://status.example.com" });
    await scenario();
    await bed.type(`/incident resolve "Release rolled back for good" --incident INC-2026-0001`);
    // The feed's ids and links come from PUBLIC_URL, whatever a client says in X-Forwarded-*.
    const res = await bed.get("/status/feed.atom", { headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "http" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", htmlEntities: true, isArray: (name) => name === "entry" || name === "link" });
    const doc = parser.parse(res.body);
    const feed = doc.feed;
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed.id).toBe("https://status.example.com/status");
    expect(feed.title).toBe("Acme status");
    expect(feed.author.name).toBe("Acme status");
    expect(feed.link.map((l: Record<string, string>) => [l["@rel"], l["@href"]])).toEqual([
      ["alternate", "https://status.example.com/status"],
      ["self", "https://status.example.com/status/feed.atom"],
    ]);
    // notice + update + all-clear of INC-1, notice of INC-2; none of the private or internal ones.
    const entries = feed.entry as { id: string; title: string; updated: string; content: { "#text": string; "@type": string }; link: { "@href": string }[] }[];
    expect(entries.map((e) => e.title)).toEqual([
      `INC-2026-0001 · ${XSS_TITLE.replace(/"/g, "'")}: Resolved`,
      "INC-2026-0002 · Payments are slow: Investigating",
      `INC-2026-0001 · ${XSS_TITLE.replace(/"/g, "'")}: Update`,
      `INC-2026-0001 · ${XSS_TITLE.replace(/"/g, "'")}: Investigating`,
    ]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(4);
    expect(entries[2]!.content["#text"]).toBe(PUBLIC_UPDATE);
    expect(entries[0]!.content["#text"]).toContain("How it was fixed: Release rolled back for good");
    expect(feed.updated).toBe(entries[0]!.updated);
    for (const e of entries) expect(new Date(e.updated).toISOString()).toBe(e.updated);
    expect(entries[0]!.link[0]!["@href"]).toBe("https://status.example.com/status#INC-2026-0001");
    expect(res.body).not.toContain("<script");

    // The resolved incident is past, the service operational again.
    const j = await bed.json();
    expect(j.services[0]!.status).toBe("operational");
    expect(j.recent.map((i) => [i.reference, i.status, i.state])).toEqual([["INC-2026-0001", "Resolved", "outage"]]);
  });

  it("answers HEAD like GET without a body, and 503 before the bot is ready", async () => {
    bed = await statusBed(database);
    await scenario();
    for (const path of ["/status", "/status.json", "/status/feed.atom"]) {
      const get = await bed.get(path);
      const head = await bed.get(path, { method: "HEAD" });
      expect([head.status, head.body]).toEqual([200, ""]);
      expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(get.body)));
    }
    expect((await bed.get("/status", { method: "POST" })).status).toBe(405);
  });

  it("shows only what was public when written: not an update of the time an incident was P3, once it is raised", async () => {
    bed = await statusBed(database);
    const t = (l: string) => bed.type(l);
    await t('/incident declare "Receipts show the wrong total" --impact I2 --urgency U3 --service payments');
    await t('/incident update "Finance thinks the Henderson refund caused it" --incident INC-2026-0001');
    await t(":advance 1m");
    await t("/incident classify --impact I1 --urgency U1 --incident INC-2026-0001");
    await t(":advance 1m");
    await t('/incident update "A fix is being deployed" --incident INC-2026-0001');

    const j = await bed.json();
    expect(j.incidents.map((i) => [i.reference, i.updates.map((u) => [u.label, u.text])])).toEqual([
      ["INC-2026-0001", [["Investigating", "We are aware of this incident and are investigating."], ["Update", "A fix is being deployed"]]],
    ]);
    for (const path of ["/status", "/status/feed.atom"]) {
      const page = await bed.get(path);
      expect(page.body).toContain("A fix is being deployed");
      expect(page.body).not.toContain("Henderson");
    }

    // The internal page (STATUS_PAGE_TOKEN) still shows the team's P3-time update.
    const internal = await statusBed(database, { token: "s3cret-token", start: "2026-12-01T09:05:00Z" });
    try {
      const [one] = (await internal.json("/status.json?token=s3cret-token")).incidents;
      expect(one!.updates.map((u) => u.text)).toEqual(["Finance thinks the Henderson refund caused it", "We are aware of this incident and are investigating.", "A fix is being deployed"]);
    } finally {
      await internal.close();
      await internal.bot.stop();
    }
  });

  it("does not name the incident's customer, in the all-clear either", async () => {
    bed = await statusBed(database);
    await bed.type('/incident declare "Card payments fail" --impact I1 --urgency U1 --service payments --customer henderson');
    await bed.type('/incident resolve "Rolled back release 42" --incident INC-2026-0001');
    const [resolved] = (await bed.json()).recent;
    expect(resolved!.updates.map((u) => u.label)).toEqual(["Investigating", "Resolved"]);
    expect(resolved!.updates[1]!.text).toContain("What happened: Card payments fail (affecting service payments).");
    for (const path of ["/status", "/status.json", "/status/feed.atom"]) expect((await bed.get(path)).body.toLowerCase()).not.toContain("henderson");
  });

  it("with STATUS_PAGE_TOKEN, asks for the token and shows the internal page", async () => {
    bed = await statusBed(database, { token: "s3cret-token" });
    await scenario();
    const refused = await bed.get("/status");
    expect(refused.status).toBe(401);
    expect(refused.body).toBe("This status page is private: add ?token=<STATUS_PAGE_TOKEN> to the URL or send Authorization: Bearer <token>.\n");
    expect((await bed.get("/status.json?token=wrong")).status).toBe(401);
    expect((await bed.get("/status/feed.atom", { headers: { authorization: "Bearer nope" } })).status).toBe(401);

    const j = JSON.parse((await bed.get("/status.json", { headers: { authorization: "Bearer s3cret-token" } })).body);
    expect(j.internal).toBe(true);
    expect(j.services.map((s: { id: string; private: boolean; status: string }) => [s.id, s.private, s.status])).toEqual([
      ["checkout", false, "outage"],
      ["payments", false, "degraded"],
      ["ledger", true, "outage"],
    ]);
    expect(j.incidents.map((i: { title: string }) => i.title)).toEqual(["Typo on the receipt", "Leaked credential rotated", "Ledger export stuck", "Payments are slow", XSS_TITLE.replace(/"/g, "'")]);
    expect(JSON.stringify(j)).not.toContain("alice");

    const html = await bed.get("/status?token=s3cret-token");
    expect(html.status).toBe(200);
    expect(html.headers.get("cache-control")).toBe("private, no-cache");
    expect(html.body).toContain("Acme status (internal)");
    expect(html.body).toContain('href="/status/feed.atom?token=s3cret-token"');
  });
});

describe("status page before the bot is ready", () => {
  it("answers 503", async () => {
    const { startHttpServer } = await import("../../src/adapters/http/server.js");
    const { statusPageRoutes } = await import("../../src/adapters/http/status-page.js");
    const { silentLogger } = await import("../../src/log.js");
    const { server, port } = await startHttpServer(0, statusPageRoutes({ app: () => null, log: silentLogger }));
    const res = await fetch(`http://127.0.0.1:${port}/status`);
    expect([res.status, await res.text()]).toEqual([503, "The bot is starting; try again in a few seconds.\n"]);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
