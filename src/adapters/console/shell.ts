/**
 * The console shell, like Hubot's: each line runs as the current user in the current channel.
 * `:as <user>`, `:in <#channel>` switch them, `:advance <30m|2h>` moves the clock so timers fire.
 * After every line the scheduler is drained, so what the bot posts appears before the next prompt.
 */
import { BUTTONS, dispatch, excerpt, pressButton, submitForm, type AppContext, type FormField, type FormView, type Invocation, type Reply } from "../../commands/index.js";
import { formatDuration, parseDuration } from "../../domain/duration.js";
import { formatTime } from "../../domain/views.js";
import { shiftTo } from "./set-time.js";
import type { Output } from "./console-chat.js";

export interface ShellDeps {
  ctx: AppContext;
  out: Output;
  /** The channels the console knows (general, announcements, the war rooms it opened). */
  channels?: () => string[];
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
  "  :press <ack|update|resolve|rca> [INC-…]   press a button of an incident's message",
  "  :press cover <n>           accept cover request n (its Accept button)",
  "  :cancel                    abandon a question the bot asked",
  "  :quit                      leave",
].join("\n");

export class ConsoleShell {
  user: string;
  channel: string;
  /** A form being filled in, field by field: what is answered so far and the fields still to ask. */
  private pending: { form: FormView; values: Record<string, string>; ask: FormField[] } | null = null;

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
      await this.pressing;
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
        if (!/^@?[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(arg)) this.say("Usage: :as <user>, a name such as bob");
        else {
          this.user = arg.replace(/^@/, "");
          this.say(`You are now @${this.user}.`);
        }
        return true;
      case ":in": {
        const name = arg.replace(/^#/, "");
        if (!/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(name)) {
          this.say("Usage: :in <#channel>, e.g. :in #general");
          return true;
        }
        this.channel = name;
        const known = this.deps.channels?.();
        if (known && !known.includes(name)) {
          this.say(`You are now in #${name}, a channel the bot has not opened (channels: ${known.map((c) => `#${c}`).join(", ")}); incident commands here need --incident.`);
        } else this.say(`You are now in #${name}.`);
        return true;
      }
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
        this.say(this.pending ? `${this.pending.form.title}: abandoned.` : "Nothing to cancel.");
        this.pending = null;
        return true;
      case ":press":
        return this.press(rest), true;
      case ":help":
        this.say(SHELL_HELP);
        return true;
      default:
        this.say(`Unknown console command ${cmd}.\n${SHELL_HELP}`);
        return true;
    }
  }

  private pressing: Promise<void> = Promise.resolve();

  /** `:press resolve INC-2026-0001`: the button of an incident message (the war room's when no reference). */
  private press(args: string[]): void {
    const [button = "", reference = ""] = args;
    if (!(BUTTONS as readonly string[]).includes(button)) {
      this.say(`Usage: :press <${BUTTONS.join("|")}> [INC-YYYY-NNNN]`);
      return;
    }
    const inv: Invocation = { platform: "console", channelId: this.channel, userId: this.user };
    this.pressing = pressButton(this.deps.ctx, inv, button, reference).then((r) => this.show(r));
  }

  /** An answer to the form's current question; once every question is answered the form is submitted. */
  private async answer(inv: Invocation, line: string): Promise<void> {
    const p = this.pending!;
    const field = p.ask[0]!;
    if (field.options) {
      const hit = field.options.find((o) => o.value.toLowerCase() === line.toLowerCase());
      if (!hit) {
        this.say(`${field.label} must be one of ${field.options.map((o) => o.value).join(", ")} (got ${excerpt(line)}). Answer again, or :cancel.`);
        return;
      }
      p.values[field.name] = hit.value;
    } else p.values[field.name] = line;
    p.ask.shift();
    if (p.ask.length > 0) return this.ask();
    this.pending = null;
    const reply = await submitForm(this.deps.ctx, inv, p.form.draftKey, p.values);
    const wrong = Object.keys(reply.fieldErrors ?? {});
    if (wrong.length > 0) {
      this.say(reply.text);
      this.pending = { ...p, ask: p.form.fields.filter((f) => wrong.includes(f.name)) };
      return this.ask();
    }
    this.show(reply);
  }

  /** Asks the first open question of the pending form, showing the choices and their definitions. */
  private ask(): void {
    const field = this.pending!.ask[0]!;
    const lines = [`${field.label}? ${field.hint}:`];
    if (field.options) {
      for (const o of field.options) lines.push(`  ${o.value}${o.name !== o.value ? ` — ${o.name.replace(/^\S+ — /, "")}` : ""}${o.description ? `: ${o.description}` : ""}`);
      lines.push(`Answer ${field.options.map((o) => o.value).join(" / ")} (or :cancel).`);
    } else lines.push("(or :cancel)");
    this.say(lines.join("\n"));
  }

  private show(reply: Reply): void {
    if (reply.form) {
      // The console asks for the required fields not given; the others keep what was typed inline.
      const ask = reply.form.fields.filter((f) => f.required && !f.value);
      this.pending = { form: reply.form, values: {}, ask };
      if (ask.length > 0) return this.ask();
    }
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
