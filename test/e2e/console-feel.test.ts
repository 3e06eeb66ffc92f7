/**
 * The console as a person uses it (issue 14 point 1): every `:` command answers, an edit of the pinned
 * summary prints what changed rather than the whole summary, and the console clock's offset survives a
 * restart of `npm start`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";

describe.each(backends.filter((b) => b.name === "pglite"))("the console on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  it("answers :as and :in, and prints only what changed when the summary is edited", async () => {
    const h = consoleHarness(database);
    expect(await h.type(":as bob")).toBe("  You are now @bob.");
    expect(await h.type(":as <!channel>")).toContain("Usage: :as <user>");
    expect(await h.type(":as alice")).toBe("  You are now @alice.");
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    expect(await h.type(`:in #${ROOM}`)).toBe(`  You are now in #${ROOM}.`);
    const acked = await h.type("/incident ack");
    const edit = acked.split("\n").filter((l) => l.includes("(summary") || /^\[#inc[^\]]*\]\s{2,}/.test(l));
    expect(acked).toMatch(/\(summary m\d+ updated\) 📌 INC-2026-0001/);
    expect(acked).toContain("Acknowledged: 2026-11-23 11:00 UTC+01:00 by @alice");
    expect(acked).not.toContain("Priority: P1 Critical"); // unchanged lines are not printed again
    expect(edit.length).toBeLessThan(5);
    // Acknowledged: the summary's Acknowledge button goes (point 5).
    expect(acked).toContain("[Post update] [Resolve]");
    expect(acked).not.toContain("[Acknowledge]");
    // A moved update promise refreshes the summary's "Next update" (point 3).
    const updated = await h.type('/incident update "Failing over" --next 20m');
    expect(updated).toMatch(/\(summary m\d+ updated\) 📌 INC-2026-0001[^\n]*\n[^\n]*Next update: 2026-11-23 11:20 UTC\+01:00/);
    expect(await h.type(":press ack")).toContain("INC-2026-0001 was already acknowledged by @alice");
    expect(await h.type(":press fly")).toContain("Usage: :press <ack|update|resolve|rca|cover|declare>");
  });
});

describe("the console clock across restarts", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "console-clock-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (input: string) =>
    spawnSync(process.execPath, [resolve("dist/main.js")], { input, encoding: "utf8", env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "" }, timeout: 60_000 });
  const clock = (out: string) => {
    const m = /It is (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC([+-]\d{2}:\d{2})\./.exec(out);
    return m ? new Date(`${m[1]}T${m[2]}:00${m[3]}`).getTime() : NaN;
  };

  it("keeps the offset moved with :advance", () => {
    const first = run(":now\n:advance 2h\n");
    expect(first.status).toBe(0);
    const second = run(":now\n");
    expect(second.status).toBe(0);
    expect(clock(second.stdout) - clock(first.stdout)).toBeGreaterThanOrEqual(2 * 3_600_000 - 60_000);
  }, 120_000);
});
