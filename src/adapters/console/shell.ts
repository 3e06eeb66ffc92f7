/**
 * The console shell, like Hubot's: each line runs as the current user in the current channel.
 * `:as <user>`, `:in <#channel>` switch them, `:advance <30m|2h>` moves the clock so timers fire.
 * After every line the scheduler is drained, so what the bot posts appears before the next prompt.
 */
import type { AppContext, Invocation } from "../../app/context.js";
import { dispatch, declareWith } from "../../commands/dispatch.js";
import type { ClassificationPrompt, Reply } from "../../commands/reply.js";
import { levelDefinitions } from "../../domain/classification.js";
import { formatDuration, parseDuration } from "../../domain/duration.js";
import { formatTime } from "../../domain/views.js";
import { shiftTo } from "./set-time.js";
import type { Output } from "./console-chat.js";

export interface ShellDeps {
  ctx: AppContext;
  out: Output;
  advance(ms: number): void;
  drain(): Promise<unknown>;
}

const SHELL_HELP = [
  "Console commands:",
  "  /incident <subcommand> …   run a bot command (/incident help lists them)",
  "  :as <user>                 act as another user",
  "  :in <#channel>             move to another channel (war rooms are channels)",
  "  :advance <30m|2h|1d>       move the clock forward; due timers fire",
  "  :at <YYYY-MM-DD HH:MM>     set the clock to a local time (e.g. 03:00 to see off-hours paging)",
  "  :now                       show the bot's clock",
  "  :cancel                    abandon a question the bot asked",
  "  :quit                      leave",
].join("\n");

export class ConsoleShell {
  user: string;
  channel: string;
  private pending: ClassificationPrompt | null = null;

  constructor(
    private readonly deps: ShellDeps,
    start: { user: string; channel: string },
  ) {
    this.user = start.user;
    this.channel = start.channel;
  }

  get prompt(): string {
    return `${this.user}@#${this.channel}> `;
  }

  /** Handles one input line; returns false when the user asked to quit. */
  async handle(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (line === "") return true;
    if (line.startsWith(":")) {
      const keepGoing = this.shellCommand(line);
      await this.deps.drain();
      return keepGoing;
    }
    const inv: Invocation = { platform: "console", channelId: this.channel, userId: this.user };
    if (this.pending && !line.startsWith("/")) await this.answer(inv, line);
    else if (/^\/incident(\s|$)/i.test(line)) {
      this.pending = null;
      this.show(await dispatch(this.deps.ctx, inv, line.replace(/^\/incident/i, "")));
    } else if (line.startsWith("/")) {
      this.say(`Unknown command ${line.split(/\s/)[0]}: the bot answers /incident (try /incident help).`);
    }
    await this.deps.drain();
    return true;
  }

  private shellCommand(line: string): boolean {
    const [cmd, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ").trim();
    switch (cmd) {
      case ":quit":
      case ":exit":
        return false;
      case ":as":
        if (!arg) this.say("Usage: :as <user>");
        else this.user = arg.replace(/^@/, "");
        return true;
      case ":in":
        if (!arg) this.say("Usage: :in <#channel>");
        else this.channel = arg.replace(/^#/, "");
        return true;
      case ":advance": {
        const ms = parseDuration(arg);
        if (ms === null) this.say("Usage: :advance <duration>, e.g. :advance 30m, :advance 2h, :advance 1d");
        else {
          this.deps.advance(ms);
          this.say(`Clock moved forward ${formatDuration(ms)}: it is now ${this.now()}.`);
        }
        return true;
      }
      case ":at": {
        const ms = shiftTo(arg, this.deps.ctx.clock.now(), this.deps.ctx.policy.businessHours.timezone);
        if (ms === null) this.say("Usage: :at <YYYY-MM-DD HH:MM>, a local time in the policy's timezone");
        else this.deps.advance(ms);
        if (ms !== null) this.say(`Clock set: it is now ${this.now()}.`);
        return true;
      }
      case ":now":
        this.say(`It is ${this.now()}.`);
        return true;
      case ":cancel":
        this.say(this.pending ? "Declaration abandoned." : "Nothing to cancel.");
        this.pending = null;
        return true;
      case ":help":
        this.say(SHELL_HELP);
        return true;
      default:
        this.say(`Unknown console command ${cmd}.\n${SHELL_HELP}`);
        return true;
    }
  }

  /** An answer to "Impact?" / "Urgency?": a level id, checked against the policy's matrix. */
  private async answer(inv: Invocation, line: string): Promise<void> {
    const p = this.pending!;
    const field = p.missing[0]!;
    const levels = field === "impact" ? p.impacts : p.urgencies;
    const level = levels.find((l) => l.id.toUpperCase() === line.toUpperCase());
    if (!level) {
      this.say(`${field === "impact" ? "Impact" : "Urgency"} must be one of ${levels.map((l) => l.id).join(", ")} (got "${line}"). Answer again, or :cancel.`);
      return;
    }
    p.draft[field] = level.id;
    p.missing.shift();
    if (p.missing.length > 0) return this.ask(p);
    this.pending = null;
    this.show(await declareWith(this.deps.ctx, inv, { ...p.draft, impact: p.draft.impact!, urgency: p.draft.urgency! }));
  }

  private ask(p: ClassificationPrompt): void {
    this.pending = p;
    const field = p.missing[0]!;
    const levels = field === "impact" ? p.impacts : p.urgencies;
    const title = field === "impact" ? "Impact? How much of production is affected:" : "Urgency? How critical is the affected system:";
    this.say([title, ...levelDefinitions(levels).map((l) => `  ${l}`), `Answer ${levels.map((l) => l.id).join(" / ")} (or :cancel).`].join("\n"));
  }

  private show(reply: Reply): void {
    if (reply.prompt) return this.ask(reply.prompt);
    const who = reply.ephemeral ? `(only @${this.user})` : "";
    this.deps.out(
      reply.text
        .split("\n")
        .map((l, i) => (i === 0 ? `[#${this.channel}] bot${who ? " " + who : ""}: ${l}` : `[#${this.channel}]      ${l}`))
        .join("\n"),
    );
  }

  private say(text: string): void {
    this.deps.out(text.split("\n").map((l) => `  ${l}`).join("\n"));
  }

  private now(): string {
    return formatTime(this.deps.ctx.clock.now(), this.deps.ctx.policy.businessHours.timezone);
  }
}
