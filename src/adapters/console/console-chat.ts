/**
 * The console's ChatPort: channels are names in memory, messages are printed with their channel, so
 * a local run shows what Slack or Discord would get. War rooms appear as new channels.
 */
import type { ChatPort } from "../../app/ports.js";
import type { ChatMessage } from "../../domain/views.js";
import { renderText } from "./render.js";

export type Output = (line: string) => void;

export class ConsoleChat implements ChatPort {
  readonly platform = "console";
  /** The printed "channel created" line shows the topic and members. */
  readonly setsUpAtCreation = true;
  private readonly channelsByKey = new Map<string, string>();
  private readonly channels = new Set<string>(["general"]);
  private readonly archived = new Set<string>();
  private seq = 0;
  private dmSeq = 0;
  /** The last text of each posted message, so an edit prints only what changed. */
  private readonly shown = new Map<string, string[]>();
  private readonly pinned = new Set<string>();

  constructor(
    private readonly out: Output,
    private readonly announcements: string,
  ) {
    this.channels.add(announcements);
  }

  async createChannel(req: { name: string; key: string; topic: string; members: string[] }) {
    const existing = this.channelsByKey.get(req.key);
    if (existing) return { channelId: existing, name: existing };
    let name = req.name;
    for (let n = 2; this.channels.has(name); n++) name = `${req.name}-${n}`;
    this.channels.add(name);
    this.channelsByKey.set(req.key, name);
    this.out(`[#${name}] * channel created · topic: ${req.topic} · members: ${req.members.map((m) => `@${m}`).join(", ")}`);
    return { channelId: name, name };
  }

  async post(channelId: string, message: ChatMessage) {
    const text = renderText(message);
    this.out(prefixed(`#${channelId}`, text));
    const messageId = `m${++this.seq}`;
    this.shown.set(messageId, text.split("\n"));
    return { messageId };
  }

  /** An edit in place prints what changed (the lines that are new), not the whole message again. */
  async update(channelId: string, messageId: string, message: ChatMessage) {
    const lines = renderText(message).split("\n");
    const before = new Set(this.shown.get(messageId) ?? []);
    this.shown.set(messageId, lines);
    const changed = lines.filter((l, i) => i > 0 && !before.has(l)).map((l) => l.trim());
    if (before.size > 0 && changed.length === 0 && before.has(lines[0]!)) return;
    const what = before.size === 0 ? lines.join("\n") : [lines[0]!, ...changed.map((l) => `  ${l}`)].join("\n");
    // The pinned summary is what gets edited most; any other message (a cover request) is said as such.
    const which = this.pinned.has(messageId) ? `summary ${messageId} updated` : `message ${messageId} edited`;
    this.out(prefixed(`#${channelId}`, `(${which}) ${what}`));
  }

  async pin(channelId: string, messageId: string) {
    this.pinned.add(messageId);
    this.out(`[#${channelId}] * pinned ${messageId}`);
  }

  /** A file is printed whole, under its name, as the chat would show an attachment. */
  async postFile(channelId: string, filename: string, content: string | Uint8Array, title: string) {
    const text = typeof content === "string" ? content : /\.(md|txt|csv|json)$/i.test(filename) ? Buffer.from(content).toString("utf8") : null;
    const shown = text !== null ? text.replace(/\n$/, "") : `(${content.length} bytes)`;
    this.out(prefixed(`#${channelId}`, `📎 ${filename} (${title})\n${shown}`));
    return { messageId: `m${++this.seq}` };
  }

  async archive(channelId: string) {
    this.archived.add(channelId);
    this.out(`[#${channelId}] * channel archived`);
  }

  isArchived(name: string): boolean {
    return this.archived.has(name);
  }

  async dm(userId: string, message: ChatMessage) {
    this.out(prefixed(`DM @${userId}`, renderText(message)));
    return { messageId: `dm${++this.dmSeq}` }; // own sequence: channel message ids do not depend on pages
  }

  async invite(channelId: string, userIds: string[]) {
    this.out(`[#${channelId}] * invited ${userIds.map((u) => `@${u}`).join(", ")}`);
  }

  announcementsChannel() {
    return this.announcements;
  }

  hasChannel(name: string): boolean {
    return this.channels.has(name);
  }

  channelNames(): string[] {
    return [...this.channels];
  }
}

function prefixed(where: string, text: string): string {
  return text
    .split("\n")
    .map((l, i) => (i === 0 ? `[${where}] bot: ${l}` : `[${where}]      ${l}`))
    .join("\n");
}
