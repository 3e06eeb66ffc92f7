/**
 * Shared by the process-level ops tests: makes sure dist/ is built from the current src/ (CI builds
 * it at `npm ci` through `prepare`; a stale local build is rebuilt), and spawns the compiled bot.
 */
import { execFileSync, spawn, type ChildProcessByStdio } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Readable } from "node:stream";

export const root = new URL("../..", import.meta.url).pathname;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const main = join(root, "dist", "main.js");
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(root, "src"))) return;
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** The environment without anything a developer's shell may set for the bot. */
export const cleanEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_|SMTP_|LOG_LEVEL|PORT$)/.test(k))) as Record<string, string>;

export interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function run(command: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `pid` and all its descendants with their command lines (Linux /proc). */
export function processTree(pid: number): { pid: number; cmd: string }[] {
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) => {
        try {
          return readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
        } catch {
          return [];
        }
      });
    } catch {
      return [];
    }
  };
  const out: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => {
    try {
      out.push({ pid: p, cmd: readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ") });
    } catch {
      return;
    }
    for (const c of children(p)) walk(c);
  };
  walk(pid);
  return out;
}
