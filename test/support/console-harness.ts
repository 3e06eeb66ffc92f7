/**
 * A console bot on a test database with a manual clock: type lines as a user would and read what the
 * bot printed. The wiring is `createBot`, the same as `npm start`; the scheduler is drained after
 * every line (as the console does) instead of polled.
 */
import { ConsoleChat } from "../../src/adapters/console/console-chat.js";
import { ConsoleShell } from "../../src/adapters/console/shell.js";
import { createBot } from "../../src/bot.js";
import { ManualClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";
import type { ChatPort, PagingPorts } from "../../src/app/ports.js";
import type { SchedulerOptions } from "../../src/scheduler/scheduler.js";

export interface HarnessOptions {
  start?: string;
  policy?: Policy;
  /** Wrap the console chat port, e.g. to make it fail. */
  wrapChat?: (chat: ConsoleChat) => ChatPort;
  scheduler?: SchedulerOptions;
  /** Webhook / e-mail senders for paging. */
  paging?: PagingPorts;
  /** PUBLIC_URL: links in e-mails (unsubscribe). */
  publicUrl?: string;
}

export function consoleHarness(database: Database, opts: HarnessOptions = {}) {
  const clock = new ManualClock(opts.start ?? "2026-11-23T10:00:00Z");
  const lines: string[] = [];
  const out = (l: string) => void lines.push(l);
  const chat = new ConsoleChat(out, "announcements");
  const bot = createBot({
    database,
    clock,
    policy: opts.policy ?? DEFAULT_POLICY,
    chats: [opts.wrapChat ? opts.wrapChat(chat) : chat],
    scheduler: { workerId: "test", ...opts.scheduler },
    ...(opts.paging ? { paging: opts.paging } : {}),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  });
  const shell = new ConsoleShell(
    { ctx: bot.ctx, out, advance: (ms) => clock.advance(ms), drain: () => bot.scheduler.drain() },
    { user: "alice", channel: "general" },
  );
  return {
    clock,
    lines,
    bot,
    shell,
    chat,
    /** Runs one line; returns what was printed because of it. */
    async type(line: string): Promise<string> {
      const from = lines.length;
      await shell.handle(line);
      return lines.slice(from).join("\n");
    },
  };
}
