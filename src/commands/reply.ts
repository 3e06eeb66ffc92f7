/** What a command answers. Every adapter renders a Reply; refusals carry their stable code. */
import { RefusalError, type Refusal } from "../domain/refusal.js";
import type { ChatMessage } from "../domain/views.js";
import type { Incident } from "../domain/incident.js";
import type { Choice } from "./table.js";

/** One field of a form, platform-neutral: the Slack modal, the Discord modal and the console render it. */
export interface FormField {
  name: string;
  label: string;
  hint: string;
  kind: "text" | "choice";
  required: boolean;
  paragraph: boolean;
  max: number;
  options?: Choice[];
  /** Required and still empty: platforms that show only some fields (Discord: five) show these first. */
  missing: boolean;
  /** What is already known (given inline, or written before). */
  value?: string | undefined;
}

/** A form to show: submitted with `submitForm(draftKey, values)`. */
export interface FormView {
  draftKey: string;
  title: string;
  submit: string;
  /** In the table's (or the policy's) order. */
  fields: FormField[];
}

export interface Reply {
  /** Shown only to the user who ran the command (refusals, help, lists). */
  ephemeral: boolean;
  text: string;
  /** A view to render richly where the platform can (Block Kit, embed). */
  view?: ChatMessage;
  refusal?: Refusal;
  /** Show this form instead of answering (declare with parts missing, the Resolve button…). */
  form?: FormView;
  /** A form submission's problems, by field, for platforms that show them beside the input. */
  fieldErrors?: Record<string, string>;
  /** The incident the command acted on (where its public answer belongs). */
  about?: Pick<Incident, "id" | "reference" | "platform" | "originChannel" | "status" | "declaredBy" | "roles" | "acknowledgedBy">;
  /** The public answer was posted through the outbox, with the change: the adapter says nothing more. */
  posted?: boolean;
  /** The people the answer may mention (who ran it, the incident's declarer and role holders). */
  people?: string[];
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
