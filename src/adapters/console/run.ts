/**
 * Runs the console on standard input. On a terminal it prompts; when input is piped it handles the
 * lines in order, echoing each, and exits at end of input once the pending work is done.
 */
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
  const shell = new ConsoleShell(
    { ctx: bot.ctx, out, advance: (ms) => o.clock.advance(ms), drain: () => bot.scheduler.drain() },
    { user: o.env.console.user, channel: "general" },
  );
  await bot.start();
  await bot.scheduler.drain(); // overdue timers from an earlier run fire now
  if (interactive) out(`Incident bot console (${o.database.where}). Type /incident help, or :help for console commands.`);
  const rl = createInterface({ input, terminal: interactive });
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
