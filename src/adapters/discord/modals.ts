/**
 * The modals: declare (title, impact and urgency selects whose options show the level definitions,
 * nature, description) and resolve (what happened). Discord modals hold five inputs, so the draft's
 * other fields given inline (service, customer, detected-by, IM) wait in memory for the submission.
 */
import { ComponentType, TextInputStyle, type ModalSubmitInteraction } from "discord.js";
import type { ClassificationPrompt } from "../../commands/reply.js";
import type { DeclareFields } from "../../commands/parser.js";
import { TEXT_MAX, TITLE_MAX } from "../../commands/parser.js";
import type { Level, Policy } from "../../domain/policy.js";
import { customId } from "./embeds.js";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const label = (text: string, component: Record<string, unknown>, description?: string) => ({
  type: ComponentType.Label,
  label: clip(text, 45),
  ...(description ? { description: clip(description, 100) } : {}),
  component,
});

const textInput = (id: string, max: number, opts: { value?: string | undefined; paragraph?: boolean; required?: boolean } = {}) => ({
  type: ComponentType.TextInput,
  custom_id: id,
  style: opts.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
  max_length: Math.min(max, 4000),
  required: opts.required ?? true,
  ...(opts.value ? { value: opts.value.slice(0, max) } : {}),
});

const select = (id: string, options: { label: string; value: string; description?: string }[], chosen: string | undefined, required: boolean) => ({
  type: ComponentType.StringSelect,
  custom_id: id,
  required,
  min_values: required ? 1 : 0,
  max_values: 1,
  options: options.slice(0, 25).map((o) => ({ ...o, label: clip(o.label, 100), ...(o.value === chosen ? { default: true } : {}) })),
});

const levelOptions = (levels: Level[]) => levels.map((l) => ({ label: `${l.id} — ${l.label}`, value: l.id, description: clip(l.description, 100) }));

/** `key` finds the draft again when the modal is submitted (the command interaction's id). */
export function declareModal(policy: Policy, prompt: ClassificationPrompt, key: string) {
  const d = prompt.draft;
  return {
    custom_id: customId("declare", key),
    title: "Declare an incident",
    components: [
      label("Title", textInput("title", TITLE_MAX, { value: d.title })),
      label("Impact", select("impact", levelOptions(policy.matrix.impacts), d.impact, true), "How much of production is affected"),
      label("Urgency", select("urgency", levelOptions(policy.matrix.urgencies), d.urgency, true), "How critical the affected system is"),
      label("Nature", select("nature", policy.natures.map((n) => ({ label: n, value: n })), d.nature, false)),
      label("Description", textInput("description", TEXT_MAX, { value: d.description, paragraph: true, required: false })),
    ],
  };
}

export function resolveModal(reference: string) {
  return {
    custom_id: customId("resolve", reference),
    title: clip(`Resolve ${reference}`, 45),
    components: [label("What happened, and how was it fixed?", textInput("summary", TEXT_MAX, { paragraph: true }))],
  };
}

export function updateModal(reference: string) {
  return {
    custom_id: customId("update", reference),
    title: clip(`Update on ${reference}`, 45),
    components: [
      label("What is being done? (for stakeholders)", textInput("text", TEXT_MAX, { paragraph: true })),
      label("Next update in", textInput("next", 10, { required: false }), "e.g. 30m or 1h; the priority's cadence if empty"),
    ],
  };
}

/**
 * The RCA form: a Discord modal holds five inputs, so it shows the required sections still empty
 * first, then the others, five at a time (submit, press again for the next ones).
 */
export function rcaModal(policy: Policy, reference: string, texts: Record<string, string>) {
  const sections = policy.rca.sections;
  const order = [...sections.filter((s) => s.required && !texts[s.id]), ...sections.filter((s) => !(s.required && !texts[s.id]))].slice(0, 5);
  return {
    custom_id: customId("rca", reference),
    title: clip(`RCA ${reference}`, 45),
    components: order.map((s) => label(s.required ? s.label : `${s.label} (optional)`, textInput(s.id, TEXT_MAX, { value: texts[s.id], paragraph: true, required: false }))),
  };
}

/** A submitted field (text input or select), or undefined when absent or left empty. */
export function fieldValue(i: ModalSubmitInteraction, id: string): string | undefined {
  const f = i.fields.fields.get(id) as { value?: string; values?: readonly string[] } | undefined;
  const v = f?.values ? f.values[0] : f?.value;
  return v === undefined || v.trim() === "" ? undefined : v;
}

export function declareFields(i: ModalSubmitInteraction): DeclareFields {
  const v = (id: string) => fieldValue(i, id);
  return { title: v("title") ?? "", impact: v("impact"), urgency: v("urgency"), nature: v("nature"), description: v("description"), service: undefined, customer: undefined };
}
