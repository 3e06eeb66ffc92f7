/**
 * The one Discord modal: any form the commands ask for, rendered from its FormView. A Discord modal
 * holds five inputs, so it shows the first five fields (the missing required ones come first); the
 * rest of what was given inline is in the commands' stored draft, found again at submission.
 */
import { ComponentType, TextInputStyle, type ModalSubmitInteraction } from "discord.js";
import type { FormField, FormView } from "../../commands/index.js";
import { customId } from "./embeds.js";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
export const MODAL_INPUTS = 5;

function component(f: FormField): Record<string, unknown> {
  if (f.kind === "choice" && f.options && f.options.length <= 25) {
    return {
      type: ComponentType.StringSelect,
      custom_id: f.name,
      required: f.required,
      min_values: f.required ? 1 : 0,
      max_values: 1,
      options: f.options.map((o) => ({ label: clip(o.name, 100), value: o.value, ...(o.description ? { description: clip(o.description, 100) } : {}), ...(o.value === f.value ? { default: true } : {}) })),
    };
  }
  return {
    type: ComponentType.TextInput,
    custom_id: f.name,
    style: f.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
    max_length: Math.min(f.max, 4000),
    required: f.required,
    ...(f.value ? { value: f.value.slice(0, Math.min(f.max, 4000)) } : {}),
  };
}

export function formModal(form: FormView) {
  return {
    custom_id: customId("form", form.draftKey),
    title: clip(form.title, 45),
    components: fiveOf(form.fields).map((f) => ({ type: ComponentType.Label, label: clip(f.label, 45), description: clip(f.hint, 100), component: component(f) })),
  };
}

/** Five inputs: every required field still empty, then the first others; shown in the form's order. */
function fiveOf(fields: FormField[]): FormField[] {
  const room = MODAL_INPUTS - fields.filter((f) => f.missing).length;
  const others = new Set(fields.filter((f) => !f.missing).slice(0, Math.max(0, room)));
  return fields.filter((f) => f.missing || others.has(f)).slice(0, MODAL_INPUTS);
}

/** Every submitted value, by field name; an empty input is "" (cleared). */
export function submittedValues(i: ModalSubmitInteraction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, f] of i.fields.fields) {
    const c = f as { value?: string; values?: readonly string[] };
    out[id] = (c.values ? c.values[0] : c.value) ?? "";
  }
  return out;
}
