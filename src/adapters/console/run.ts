/**
 * Runs the console on standard input. On a terminal it prompts; when input is piped it handles the
 * lines in order, echoing each, and exits at end of input once the pending work is done.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { OffsetClock } from "../../clock.js";
import type { Env } from "../../config.js";
import type { Database } from "../../db/client.js";
import type { Policy } from "../../domain/policy.js";
import type { Logger } from "../../log.js";
import type { createBot as CreateBot } from "../../bot.js";
import { ConsoleChat } from "./console-chat.js";
import { ConsoleShell } from "./shell.js";

export interface ConsoleOptions {
  env: Env;
  policy: Policy;
  database: Database;
  clock: OffsetClock;
  log: Logger;
  createBot: typeof CreateBot;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: (line: string) => void;
  /** Called with the bot's context once it exists (the HTTP routes read it). */
  onBot?: (ctx: ReturnType<typeof CreateBot>["ctx"]) => void;
}

export async function runConsole(o: ConsoleOptions): Promise<number> {
  const input = o.input ?? process.stdin;
  const out = o.output ?? ((line: string) => process.stdout.write(line + "\n"));
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const chat = new ConsoleChat(out, o.env.console.announcementsChannel);
  const bot = o.createBot({
    database: o.database,
    clock: o.clock,
    policy: o.policy,
    chats: [chat],
    log: o.log,
    scheduler: { pollSeconds: o.env.schedulerPollSeconds },
  });
  o.onBot?.(bot.ctx);
  const saved = loadClockOffset(o.env.dataDir);
  if (saved) o.clock.advance(saved);
  let offset = saved;
  const advance = (ms: number) => {
    o.clock.advance(ms);
    offset += ms;
    saveClockOffset(o.env.dataDir, offset, o.log);
  };
  const shell = new ConsoleShell(
    { ctx: bot.ctx, out, advance, drain: () => bot.scheduler.drain(), channels: () => chat.channelNames() },
    { user: o.env.console.user, channel: "general" },
  );
  await bot.start();
  await bot.scheduler.drain(); // overdue timers from an earlier run fire now
  if (interactive) out(`Incident bot console (${o.database.where}). Type /incident help, or :help for console commands.`);
  if (saved) out(`  The console clock is ${Math.round(saved / 60_000)} min ahead of real time (moved with :advance / :at in an earlier run).`);
  // On a terminal readline echoes what is typed and shows the prompt: it needs the output stream.
  const rl = createInterface({ input, terminal: interactive, ...(interactive ? { output: process.stdout } : {}) });
  if (interactive) {
    rl.setPrompt(shell.prompt);
    rl.prompt();
  }
  for await (const line of rl) {
    if (!interactive && line.trim() !== "") out(`${shell.prompt}${line}`);
    let keepGoing = true;
    try {
      keepGoing = await shell.handle(line);
    } catch (e) {
      o.log.error("command failed", { line, error: e instanceof Error ? e.message : String(e) });
      out(`  Something went wrong handling that line (${e instanceof Error ? e.message : String(e)}); nothing was half-done.`);
    }
    if (!keepGoing) break;
    if (interactive) {
      rl.setPrompt(shell.prompt);
      rl.prompt();
    }
  }
  rl.close();
  await bot.scheduler.drain();
  await bot.stop();
  return 0;
}

/**
 * The console clock's offset from real time (`:advance`, `:at`) is kept in the data directory, so a
 * restart does not silently jump back to real time while timers were armed on the moved clock.
 */
const CLOCK_FILE = "console-clock.json";

function loadClockOffset(dataDir: string): number {
  try {
    const { offsetMs } = JSON.parse(readFileSync(join(dataDir, CLOCK_FILE), "utf8")) as { offsetMs?: unknown };
    return typeof offsetMs === "number" && Number.isFinite(offsetMs) ? offsetMs : 0;
  } catch {
    return 0;
  }
}

function saveClockOffset(dataDir: string, offsetMs: number, log: Logger): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, CLOCK_FILE), JSON.stringify({ offsetMs }));
  } catch (e) {
    log.warn("could not keep the console clock offset", { error: e instanceof Error ? e.message : String(e) });
  }
}
