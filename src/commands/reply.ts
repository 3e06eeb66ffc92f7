/** What a command answers. Every adapter renders a Reply; refusals carry their stable code. */
import type { DeclareInput } from "../app/declare.js";
import type { Level } from "../domain/policy.js";
import type { Refusal } from "../domain/refusal.js";
import type { ChatMessage } from "../domain/views.js";

/** `declare` without impact or urgency: the adapter asks for what is missing (modal, menus, prompt). */
export interface ClassificationPrompt {
  draft: Omit<DeclareInput, "impact" | "urgency"> & { impact?: string; urgency?: string };
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
