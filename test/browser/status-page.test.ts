/**
 * The status page in a real browser: Debian's headless Chromium driven by puppeteer-core, on a phone-
 * sized viewport with JavaScript off, during an incident and after it; axe-core checks accessibility.
 * One browser launch for the file (~1 s), a database and bot per test; screenshots go to
 * test-output/status-*.png (gitignored).
 *
 * Chromium is found at CHROMIUM_PATH, else /usr/bin/chromium (`.ci/run` installs Debian's `chromium`
 * when it can); without one the file is skipped with the reason printed.
 */
import { existsSync, mkdirSync } from "node:fs";
import axe from "axe-core";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends, type TestDatabase } from "../support/databases.js";
import { PUBLIC_UPDATE, statusBed, XSS_TITLE } from "../support/status-fixture.js";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => !!p);
const chromium = CANDIDATES.find((p) => existsSync(p));
if (!chromium) console.log(`status page browser test skipped: no Chromium at ${CANDIDATES.join(", ")} (install Debian's chromium or set CHROMIUM_PATH)`);

const OUT = "test-output";
const TITLE = XSS_TITLE.replace(/"/g, "'");

describe.skipIf(!chromium)("the status page in Chromium", () => {
  let browser: Browser;
  let database: TestDatabase;
  let bed: Awaited<ReturnType<typeof statusBed>>;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  // Each test its own database and bot: either runs alone (`-t`), in any order.
  beforeEach(async () => {
    database = await backends[0]!.open();
    bed = await statusBed(database);
  });
  afterEach(async () => {
    await bed?.close();
    await database?.destroy();
  });

  /** The incidents of both tests: the public one (with a public update), a private service's, an internal nature's. */
  async function declareIncidents(): Promise<void> {
    await bed.type(`/incident declare "${TITLE}" --impact I1 --urgency U1 --service checkout`);
    await bed.type(`/incident update "${PUBLIC_UPDATE}" --incident INC-2026-0001`);
    await bed.type(`/incident declare "Ledger export stuck" --impact I1 --urgency U1 --service ledger`);
    await bed.type(`/incident declare "Leaked credential rotated" --impact I1 --urgency U1 --service payments --nature security`);
  }

  /** A phone (390 × 844) with JavaScript off: the page must work without it. */
  async function visit(): Promise<{ page: Page; text: string }> {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    const res = await page.goto(`${bed.base}/status`, { waitUntil: "load" });
    expect(res?.status()).toBe(200);
    // Expressions as strings: this project's TypeScript has no DOM types.
    const text = (await page.evaluate("document.body.innerText")) as string;
    const overflow = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
    expect(overflow, "no horizontal scrolling on a phone").toBeLessThanOrEqual(0);
    expect(await page.$$eval("script", (s) => s.length)).toBe(0);
    return { page, text };
  }

  async function axeViolations(): Promise<string[]> {
    const page = await browser.newPage();
    await page.goto(`${bed.base}/status`, { waitUntil: "load" });
    await page.evaluate(axe.source);
    const result = (await page.evaluate("axe.run(document)")) as axe.AxeResults;
    await page.close();
    expect(result.passes.length, "axe ran its rules").toBeGreaterThan(10);
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  }

  it("shows the outage, the incident and its public update during the incident, and nothing internal", async () => {
    await declareIncidents();
    const { page, text } = await visit();
    expect(await page.title()).toBe("Acme status");
    expect(text).toContain("Some services are down");
    expect(text).toMatch(/Checkout\s*Outage/);
    expect(text).toMatch(/Payments\s*Operational/);
    expect(text).toContain(TITLE); // shown as text, not run
    expect(text).toContain(PUBLIC_UPDATE);
    expect(text).toContain("We are aware of this incident and are investigating.");
    for (const hidden of ["Ledger", "Leaked credential", "alice", "P1", "Critical", "respond", "level 1", "desk"]) expect(text, hidden).not.toContain(hidden);
    expect(await page.$eval(".bars", (b) => b.getAttribute("aria-label"))).toBe("Checkout, last 90 days: 89 operational, 0 degraded, 1 with an outage");
    await page.screenshot({ path: `${OUT}/status-during.png`, fullPage: true });
    await page.close();
    expect(await axeViolations()).toEqual([]);
  });

  it("shows every service operational and the incident with its all-clear once resolved", async () => {
    await declareIncidents();
    await bed.type(`/incident resolve "Release 2026.12.1 rolled back; card payments work again" --incident INC-2026-0001`);
    bed.clock.advance(3_600_000);
    const { page, text } = await visit();
    expect(text).toContain("All systems operational");
    expect(text).toMatch(/Checkout\s*Operational/);
    expect(text).toContain("No open incidents.");
    const past = (await page.evaluate(`document.getElementById("h-recent").parentElement.innerText`)) as string;
    expect(past).toContain(TITLE);
    expect(past).toContain("How it was fixed: Release 2026.12.1 rolled back; card payments work again");
    expect(past).toContain(PUBLIC_UPDATE);
    await page.screenshot({ path: `${OUT}/status-after.png`, fullPage: true });
    await page.close();
    expect(await axeViolations()).toEqual([]);
  });
});
