/**
 * One small driver per surface — the console, Slack at the wire, Discord at the wire — so the
 * behaviour suite's scenarios are written once, as hono runs one suite on every runtime. A scenario
 * speaks of people by name (alice, bob, carol) and of places as "general" or "warroom"; each driver
 * turns that into its platform's ids, requests and fakes, and turns what the person sees back into
 * plain text with `@name` for every mention.
 */
import { quote } from "../../src/commands/lexer.js";
import { argsOf, specOf } from "../../src/commands/table.js";
import type { Database } from "../../src/db/client.js";
import type { Policy } from "../../src/domain/policy.js";
import { consoleHarness } from "./console-harness.js";
import { discordHarness, buttonPress as discordButton, modalSubmit, slashCommand as discordCommand } from "./discord-harness.js";
import { APP_ID, GENERAL_ID } from "./fake-discord-api.js";
import { GENERAL } from "./fake-slack-api.js";
import { buttonPress as slackButton, slackHarness, slashCommand as slackCommand, viewSubmission } from "./slack-harness.js";

export type Person = "alice" | "bob" | "carol";
export type Where = "general" | "warroom";
type Json = Record<string, any>;

/** What the person who acted sees: the answer's text, whether only they see it, and any form opened. */
export interface Seen {
  text: string;
  private: boolean;
  /** The fields of the form that opened (Discord shows its first five), or null. */
  form: string[] | null;
}

export interface Surface {
  name: string;
  /** `/incident <sub>` with arguments by the table's names; `@bob` in a value names a person. */
  command(as: Person, sub: string, args?: Record<string, string | boolean>, where?: Where): Promise<Seen>;
  /** A button of the incident's pinned summary (ack, update, resolve, rca). */
  press(as: Person, button: string, reference?: string): Promise<Seen>;
  /** Submits the last form opened for `as`, with these values by field name. */
  submit(as: Person, values: Record<string, string>): Promise<Seen>;
  /** The text of everything the bot posted in the war room, and sent `to` by direct message. */
  warRoom(): string;
  dms(to: Person): string;
  close(): Promise<void>;
}

const names = (ids: Record<Person, string>) => (text: string) =>
  (Object.entries(ids) as [Person, string][]).reduce((t, [name, id]) => t.replace(new RegExp(`<@!?${id}(\\|[^>]*)?>|@${id}\\b`, "g"), `@${name}`), text);

/** Every string inside a payload (blocks, embeds, components), one per line. */
function texts(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(texts).join("\n");
  if (v && typeof v === "object") return Object.entries(v).filter(([k]) => k !== "custom_id" && k !== "action_id" && k !== "block_id").map(([, x]) => texts(x)).join("\n");
  return "";
}

/** A line of the grammar from arguments by name: positional ones in the table's order, the rest as flags. */
function line(sub: string, args: Record<string, string | boolean>, mention: (v: string) => string): string {
  const spec = specOf(sub)!;
  const words = [sub];
  for (const a of argsOf(spec)) {
    const v = args[a.name];
    if (v === undefined) continue;
    if (v === true) words.push(`--${a.name}`);
    else if (typeof v === "string") words.push(...(a.positional ? [] : [`--${a.name}`]), quote(mention(v)));
  }
  return words.join(" ");
}

export async function consoleSurface(database: Database, policy?: Policy): Promise<Surface> {
  const h = consoleHarness(database, policy ? { policy } : {});
  const ROOM = /^inc-/;
  let asked: string[] = [];
  const room = () => h.lines.map((l) => /^\[#(inc-[^\]]+)\] \* channel created/.exec(l)?.[1]).find((c) => c && ROOM.test(c));
  const go = async (as: Person, where: Where) => {
    await h.type(`:as ${as}`);
    await h.type(`:in #${where === "warroom" ? (room() ?? "general") : "general"}`);
  };
  const seen = (out: string): Seen => {
    const questions = [...out.matchAll(/^ {2}(.+?)\? /gm)].map((m) => m[1]!);
    const form = out.includes("(or :cancel)") ? questions : null;
    if (form) asked = form;
    return { text: out, private: /\(only @\w+\)/.test(out) || !!form, form: form && form.map(fieldOf) };
  };
  return {
    name: "console",
    async command(as, sub, args = {}, where = "general") {
      await go(as, where);
      return seen(await h.type(`/incident ${line(sub, args, (v) => v)}`));
    },
    async press(as, button, reference = "") {
      await go(as, "warroom");
      return seen(await h.type(`:press ${button} ${reference}`));
    },
    async submit(as, values) {
      await h.type(`:as ${as}`);
      // The console asks one field at a time: answer each question until none is left.
      let out = "";
      for (let n = 0; n < 10 && asked.length > 0; n++) {
        const field = fieldOf(asked[0]!);
        asked = [];
        out = await h.type(values[field] ?? "");
        seen(out);
      }
      return seen(out);
    },
    warRoom: () => h.lines.filter((l) => l.startsWith(`[#${room()}]`)).join("\n"),
    dms: (to) => h.lines.filter((l) => l.startsWith(`[DM @${to}]`)).join("\n"),
    close: async () => h.bot.stop(),
  };
}

/** The console asks "Impact? …": the question's words → the field's name. */
function fieldOf(question: string): string {
  const q = question.toLowerCase();
  const known: Record<string, string> = { impact: "impact", urgency: "urgency", "the title": "title", "the resolution summary": "summary", "the update": "text", "what was done": "text", "the reason": "reason" };
  return known[q] ?? q;
}

export async function slackSurface(database: Database, policy?: Policy): Promise<Surface> {
  const h = await slackHarness(database, policy ? { policy } : {});
  const ids: Record<Person, string> = { alice: "UALICE0001", bob: "UBOB000002", carol: "UCAROL0003" };
  const plain = names(ids);
  const mention = (v: string) => v.replace(/@(alice|bob|carol)\b/g, (_, n: Person) => `<@${ids[n]}>`);
  const forms = new Map<Person, string>();
  const roomId = () => h.api.callsTo("conversations.setTopic")[0]?.channel ?? GENERAL;
  /** What the request's sender sees: the ack's body, a response_url answer, an ephemeral or channel post, a modal. */
  async function observe(as: Person, channel: string, post: () => Promise<{ body: string }>): Promise<Seen> {
    const from = h.api.calls.length;
    const res = await post();
    const calls = h.api.calls.slice(from);
    const opened = calls.find((c) => c.method === "views.open");
    if (opened) {
      const v = opened.body.view;
      forms.set(as, JSON.parse(v.private_metadata).draftKey);
      return { text: texts(v), private: true, form: v.blocks.map((b: Json) => b.block_id) };
    }
    let body: Json = {};
    try {
      body = res.body ? JSON.parse(res.body) : {};
    } catch {
      body = {};
    }
    if (body.response_action === "errors") return { text: plain(Object.values(body.errors).join("\n")), private: true, form: null };
    if (body.response_action === "update") return { text: plain(texts(body.view.blocks)), private: true, form: null };
    if (body.text) return { text: plain(body.text), private: body.response_type !== "in_channel", form: null };
    // The answer after the ack: by response_url, ephemerally, or in the channel where the person acted.
    const answers = calls.filter((c) => c.method === "response_url" || c.method === "chat.postEphemeral" || (c.method === "chat.postMessage" && (c.body.channel === channel || (channel === "*" && [GENERAL, roomId()].includes(c.body.channel)))));
    const isPublic = answers.some((c) => c.method === "chat.postMessage" || (c.method === "response_url" && c.body.response_type === "in_channel"));
    return { text: plain(answers.map((c) => texts(c.body.text ?? c.body)).join("\n")), private: !isPublic, form: null };
  }
  return {
    name: "slack",
    command: (as, sub, args = {}, where = "general") => {
      const channel = where === "warroom" ? roomId() : GENERAL;
      return observe(as, channel, () => h.post(slackCommand(line(sub, args, mention), { user: ids[as], channel, responseUrl: h.api.responseUrl(`r${Math.random()}`) })));
    },
    press: (as, button, reference = "INC-2026-0001") => observe(as, roomId(), () => h.post(slackButton(`incident_${button}`, reference, { user: ids[as], channel: roomId() }))),
    submit: (as, values) => observe(as, "*", () => h.post(viewSubmission("incident_form", { draftKey: forms.get(as) }, values, { user: ids[as] }))),
    warRoom: () => plain(h.api.callsTo("chat.postMessage").filter((m) => m.channel === roomId()).map(texts).join("\n")),
    dms: (to) => plain(h.api.callsTo("chat.postMessage").filter((m) => m.channel === ids[to]).map(texts).join("\n")),
    close: () => h.close(),
  };
}

export async function discordSurface(database: Database, policy?: Policy): Promise<Surface> {
  const h = await discordHarness(database, policy ? { policy } : {});
  const ids: Record<Person, string> = { alice: "1200000000000000001", bob: "1200000000000000002", carol: "1200000000000000003" };
  const plain = names(ids);
  const forms = new Map<Person, string>();
  const roomId = () => [...h.api.channels.values()].find((c) => c.name?.startsWith("inc-"))?.id ?? GENERAL_ID;
  const summary = () => [...h.api.messages.values()].find((m) => m.channel_id === roomId() && m.embeds?.length);
  async function observe(as: Person, packet: Json): Promise<Seen> {
    const from = h.api.calls.length;
    await h.send(packet);
    const [callback] = h.api.callbacks(packet.id);
    // A deferred update: the answer is the confirmation the outbox posted where the person clicked.
    if (callback?.type === 6) {
      const posts = h.api.calls.slice(from).filter((c) => c.method === "POST" && c.path === `/channels/${packet.channel_id}/messages`);
      return { text: plain(posts.map((c) => texts(c.body.content ?? "")).join("\n")), private: false, form: null };
    }
    if (callback?.type === 9) {
      forms.set(as, String(callback.data.custom_id).replace(/^incident:form:/, ""));
      return { text: texts(callback.data), private: true, form: callback.data.components.map((c: Json) => c.component.custom_id) };
    }
    const edits = h.api.calls.filter((c) => c.path.startsWith(`/webhooks/${APP_ID}/${packet.token}`) && c.method !== "DELETE").map((c) => c.body);
    const body = edits.at(-1) ?? callback?.data ?? {};
    const isPrivate = ((body.flags ?? callback?.data?.flags ?? 0) & 64) === 64;
    return { text: plain(texts(body.content ?? "")), private: isPrivate, form: null };
  }
  const userArgs = (args: Record<string, string | boolean>) =>
    Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "string" ? v.replace(/^@(alice|bob|carol)$/, (_, n: Person) => ids[n]) : v]));
  return {
    name: "discord",
    command: (as, sub, args = {}, where = "general") => observe(as, discordCommand(sub, userArgs(args), { user: ids[as], channel: where === "warroom" ? roomId() : GENERAL_ID })),
    press: (as, button, reference = "INC-2026-0001") => observe(as, discordButton(`incident:${button}:${reference}`, summary() ?? { channel_id: roomId(), id: "1" }, { user: ids[as] })),
    submit: (as, values) => observe(as, modalSubmit(`incident:form:${forms.get(as)}`, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, ["impact", "urgency", "nature"].includes(k) ? [v] : v])), { user: ids[as], channel: roomId() })),
    warRoom: () => plain([...h.api.messages.values()].filter((m) => m.channel_id === roomId()).map((m) => texts([m.content, m.embeds])).join("\n")),
    dms: (to) => {
      const dmChannels = [...h.api.channels.values()].filter((c) => c.type === 1 && c.recipients?.[0]?.id === ids[to]).map((c) => c.id);
      return plain([...h.api.messages.values()].filter((m) => dmChannels.includes(m.channel_id)).map((m) => texts([m.content, m.embeds])).join("\n"));
    },
    close: () => h.close(),
  };
}

export const SURFACES = [
  { name: "console", open: consoleSurface },
  { name: "slack", open: slackSurface },
  { name: "discord", open: discordSurface },
] as const;
