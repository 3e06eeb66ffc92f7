/**
 * The one Slack modal: any form the commands ask for (declare, resolve, update, the RCA…) rendered
 * from its platform-neutral FormView. `private_metadata` carries only the draft key: what was given
 * before the form opened is stored by the commands, so any replica can take the submission.
 */
import type { FormField, FormView } from "../../commands/index.js";

export const FORM_VIEW = "incident_form";

const plain = (text: string, max = 150) => ({ type: "plain_text", text: text.length > max ? `${text.slice(0, max - 1)}…` : text });

function element(f: FormField): Record<string, unknown> {
  if (f.kind === "choice" && f.options) {
    const option = (o: { value: string; name: string; description?: string }) => ({ text: plain(o.name, 75), value: o.value, ...(o.description ? { description: plain(o.description, 75) } : {}) });
    const initial = f.options.find((o) => o.value === f.value);
    // Radio buttons where the options carry a definition (levels: only radio and checkbox options may);
    // a select for longer lists (natures).
    const radio = f.options.some((o) => o.description) && f.options.length <= 10;
    return {
      type: radio ? "radio_buttons" : "static_select",
      options: f.options.slice(0, 100).map(option),
      ...(initial ? { initial_option: option(initial) } : {}),
    };
  }
  return { type: "plain_text_input", max_length: f.max, multiline: f.paragraph, ...(f.value ? { initial_value: f.value.slice(0, f.max) } : {}) };
}

export function formModal(form: FormView) {
  return {
    type: "modal",
    callback_id: FORM_VIEW,
    private_metadata: JSON.stringify({ draftKey: form.draftKey }),
    title: plain(form.title, 24),
    submit: plain(form.submit, 24),
    close: plain("Cancel", 24),
    blocks: form.fields.slice(0, 100).map((f) => ({
      type: "input",
      block_id: f.name,
      label: plain(f.label, 2000),
      hint: plain(f.hint, 2000),
      optional: !f.required,
      element: { action_id: "value", ...element(f) },
    })),
  };
}

/** A small modal that only says something (a form that could not be used). */
export function messageModal(text: string) {
  return { type: "modal", title: plain("Incident bot", 24), close: plain("Close", 24), blocks: [{ type: "section", text: { type: "plain_text", text: text.slice(0, 3000) } }] };
}

type ViewState = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** Every submitted value of the form, by field name; empty inputs are "" (cleared). */
export function submittedValues(state: unknown): Record<string, string> | null {
  if (!state || typeof state !== "object" || !("values" in state)) return null;
  const values = (state as { values: unknown }).values;
  if (!values || typeof values !== "object") return null;
  const out: Record<string, string> = {};
  for (const [block, inputs] of Object.entries(values as ViewState)) {
    const v = inputs?.value;
    if (!v || typeof v !== "object") continue;
    const s = v.selected_option?.value ?? v.value ?? "";
    out[block] = typeof s === "string" ? s : "";
  }
  return out;
}

/** The draft key of a submitted form, or null when the metadata is missing or garbled. */
export function draftKeyOf(privateMetadata: unknown): string | null {
  if (typeof privateMetadata !== "string") return null;
  try {
    const m = JSON.parse(privateMetadata) as { draftKey?: unknown };
    return typeof m?.draftKey === "string" && m.draftKey.length <= 100 ? m.draftKey : null;
  } catch {
    return null;
  }
}
