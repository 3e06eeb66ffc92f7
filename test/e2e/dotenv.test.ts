/** `.env` is read at start-up (issue 14 point 12); a variable already set in the environment wins. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { seedDataDir } from "../support/data-dir.js";

const main = resolve("dist/main.js");

describe(".env", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const run = (file: string, env: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), "dotenv-"));
    dirs.push(dir);
    writeFileSync(join(dir, ".env"), file);
    seedDataDir(join(dir, "data")); // DATA_DIR defaults to ./data
    const { LOG_LEVEL: _, ...parent } = process.env;
    return spawnSync(process.execPath, [main], { cwd: dir, env: { ...parent, ...env }, input: "", encoding: "utf8", timeout: 30_000 });
  };

  it("is read: a bad value in it stops start-up naming the variable", () => {
    const r = run("LOG_LEVEL=chatty\n");
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('LOG_LEVEL must be one of "debug", "info", "warn", "error" (got "chatty")');
  });

  it("does not override what the environment already sets", () => {
    const r = run("LOG_LEVEL=chatty\n", { LOG_LEVEL: "warn" });
    expect(r.stderr).not.toContain("LOG_LEVEL must be one of");
    expect(r.status).toBe(0);
  });
});
