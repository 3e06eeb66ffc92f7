/**
 * `npm run report` as a person runs it: `--chart` without a file says what to give, a path that cannot
 * be written gives one sentence (no stack trace), and a good path gets a readable PNG.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { seedDataDir } from "../support/data-dir.js";

const root = new URL("../..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "report-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
seedDataDir(join(dir, "data"));

function report(...args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_)/.test(k)));
  return spawnSync(process.execPath, ["dist/report-cli.js", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...clean, DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" },
  });
}

describe("npm run report", () => {
  it("--chart without a file name says what to give", () => {
    const r = report("--month", "2026-11", "--chart");
    expect(r.status).toBe(64);
    expect(r.stderr).toBe("--chart needs the PNG file to write, such as --chart incidents-2026-10.png. Usage: npm run report -- --month YYYY-MM [--chart FILE.png]\n");
  });

  it("a chart path that cannot be written gives one sentence, not a stack trace", () => {
    const r = report("--month", "2026-11", "--chart", join(dir, "no-such-folder", "chart.png"));
    expect(r.status).toBe(73);
    expect(r.stdout).toBe(""); // checked before any work: no half-printed report
    expect(r.stderr).toBe(`Cannot write the chart to ${join(dir, "no-such-folder", "chart.png")}: its folder does not exist.\n`);
    const folder = report("--month", "2026-11", "--chart", dir);
    expect(folder.stderr).toBe(`Cannot write the chart to ${dir}: it is a folder.\n`);
  });

  it("writes the month's chart as an 880×440 PNG", { timeout: 120_000 }, () => {
    const file = join(dir, "chart.png");
    const r = report("--month", "2026-11", "--chart", file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("# Monthly incident report 2026-11");
    expect(r.stderr).toBe(`Chart of incidents per week by priority written to ${file}\n`);
    const png = PNG.sync.read(readFileSync(file));
    expect([png.width, png.height]).toEqual([880, 440]);
  });
});
