/**
 * Answering an interaction within Discord's 3 s: the work starts at once; if it has not finished
 * after `deferAfterMs` the interaction is deferred (a "thinking…" reply) and the answer edits it.
 * Refusals are ephemeral, in the shared sentences; a retried interaction (same id) answers nothing.
 * These answers are direct calls, not outbox rows: an interaction's answer must come within 3 s on its
 * own token, and what they say changes nothing (refusals, private copies, reads); a public confirmation
 * of a button is posted through the outbox instead (see handlers.ts).
 */
import { MessageFlags, type RepliableInteraction } from "discord.js";
import { fit, type Reply } from "../../commands/index.js";
import { replyText } from "./embeds.js";

export interface AnswerOptions {
  /** When deferring, whether the eventual answer is likely private (help, list, status). */
  deferEphemeral: boolean;
  deferAfterMs: number;
  /** Shown instead of a text reply when the work asks for it (e.g. the declare modal); needs no deferral. */
  modal?: (reply: Reply) => Record<string, unknown> | null;
}


/** Discord messages hold 2,000 characters; longer answers are cut at a line. */
export const DISCORD_CONTENT_MAX = 2000;
const message = (reply: Reply) => ({ content: fit(replyText(reply.text), DISCORD_CONTENT_MAX) || "…", allowedMentions: { parse: [] } });

export async function answer(i: RepliableInteraction, work: () => Promise<Reply>, o: AnswerOptions): Promise<void> {
  const state: { deferring: Promise<unknown> | null } = { deferring: null };
  const defer = () => (state.deferring = i.deferReply(o.deferEphemeral ? { flags: MessageFlags.Ephemeral } : {}));
  // 0 defers before any work (then a form cannot be shown: the prompt's text is answered instead).
  if (o.deferAfterMs <= 0) defer();
  const timer = o.deferAfterMs > 0 ? setTimeout(defer, o.deferAfterMs) : undefined;
  let reply: Reply;
  try {
    reply = await work();
  } finally {
    clearTimeout(timer);
  }
  const deferred = state.deferring !== null;
  if (state.deferring) await state.deferring;
  // Seen before: the first delivery answered it, and Discord takes one answer per interaction. (Over
  // HTTP, a repeat that waited over 2 s on the first's transaction has deferred meanwhile; if a load
  // balancer retried because the first's answer was lost, that deferral is left "thinking…". Known gap.)
  if (reply.refusal?.code === "E_DUPLICATE_REQUEST") return;
  // Posted through the outbox with the change (buttons): the interaction only needs acknowledging.
  if (reply.posted && !reply.ephemeral && "deferUpdate" in i) {
    if (deferred) await i.deleteReply();
    else await i.deferUpdate();
    return;
  }
  const modal = o.modal?.(reply);
  if (modal && !deferred && "showModal" in i) {
    await i.showModal(modal as never);
    return;
  }
  if (!deferred) {
    await i.reply({ ...message(reply), ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  } else if (reply.ephemeral === o.deferEphemeral) {
    await i.editReply(message(reply));
  } else {
    // Deferred in public but the answer is private (a refusal): drop the placeholder, answer privately.
    await i.deleteReply();
    await i.followUp({ ...message(reply), ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  }
}
