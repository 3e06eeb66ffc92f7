/** What a command answers. Every adapter renders a Reply; refusals carry their stable code. */
import type { DeclareDraft } from "./types.js";
import type { Level } from "../domain/policy.js";
import { RefusalError, type Refusal } from "../domain/refusal.js";
import type { ChatMessage } from "../domain/views.js";

/** `declare` without impact or urgency: the adapter asks for what is missing (modal, menus, prompt). */
export interface ClassificationPrompt {
  draft: DeclareDraft;
  missing: ("impact" | "urgency")[];
  impacts: Level[];
  urgencies: Level[];
}

export interface Reply {
  /** Shown only to the user who ran the command (refusals, help, lists). */
  ephemeral: boolean;
  text: string;
  /** A view to render richly where the platform can (Block Kit, embed). */
  view?: ChatMessage;
  refusal?: Refusal;
  prompt?: ClassificationPrompt;
}

export function refusalReply(r: Refusal): Reply {
  const text = r.usage ? `${r.message}\nUsage: ${r.usage}` : r.message;
  return { ephemeral: true, text, refusal: r };
}

/** Runs work whose use case may throw a refusal; the refusal becomes its Reply (one sentence, ephemeral). */
export async function guarded(fn: () => Promise<Reply>): Promise<Reply> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RefusalError) return refusalReply(e.refusal);
    throw e;
  }
}
