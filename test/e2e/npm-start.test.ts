/**
 * The README's promise, as a user runs it: `printf … | npm start` on a fresh data directory prints
 * the P1 with its war room and exits by itself; a bad policy stops start-up naming the key.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function start(input: string, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "incident-bot-"));
  dirs.push(dataDir);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_)/.test(k)));
  return spawnSync(process.execPath, ["dist/main.js"], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...clean, DATA_DIR: dataDir, LOG_LEVEL: "warn", ...env },
  });
}

describe("npm start with piped input", () => {
  it("declares a P1, shows its war room in the list, and exits when the input ends", () => {
    const r = start('/incident declare "Payment API down" --impact I1 --urgency U2\n/incident list\n/incident frobnicate\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Declared INC-");
    expect(r.stdout).toContain("· P1 Critical · Payment API down.");
    expect(r.stdout).toMatch(/War room: #inc-\d{8}-0001-payment-api-down/);
    expect(r.stdout).toMatch(/\[#announcements\] bot: Incident declared: INC-\d{4}-0001 · P1 Critical/);
    expect(r.stdout).toMatch(/Open incidents:\n.*INC-\d{4}-0001 · P1 Critical · declared · Payment API down · #inc-\d{8}-0001-payment-api-down/);
    expect(r.stdout).toContain('Unknown subcommand "frobnicate". Try /incident help.');
    expect(r.stdout).toContain("Usage: /incident <subcommand> [arguments]");
  });

  it("stops start-up on a bad policy value, naming the key and the allowed values", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-"));
    dirs.push(dir);
    const file = join(dir, "policy.yaml");
    writeFileSync(file, "sla:\n  P1:\n    clock: always\n");
    const r = start("/incident list\n", { POLICY_FILE: file });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('sla.P1.clock must be one of "24x7", "business" (got "always")');
  });
});
