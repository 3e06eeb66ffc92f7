/** The modals: declare (with impact / urgency selects showing the level definitions), resolve, update. */
import type { ClassificationPrompt } from "../../commands/reply.js";
import type { Level, Policy } from "../../domain/policy.js";
import { TEXT_MAX, TITLE_MAX } from "../../commands/parser.js";

export const DECLARE_VIEW = "incident_declare";
export const RESOLVE_VIEW = "incident_resolve_modal";
export const UPDATE_VIEW = "incident_update_modal";
export const RCA_VIEW = "incident_rca_modal";

const plain = (text: string) => ({ type: "plain_text", text: text.slice(0, 150) });

function input(block_id: string, label: string, element: Record<string, unknown>, optional = false) {
  return { type: "input", block_id, label: plain(label), optional, element: { action_id: "value", ...element } };
}

function levelSelect(levels: Level[], chosen: string | undefined) {
  const option = (l: Level) => ({ text: plain(`${l.id} — ${l.label}`), description: plain(l.description.slice(0, 75)), value: l.id });
  const initial = levels.find((l) => l.id === chosen);
  // Radio buttons, not a select: only radio and checkbox options may carry a description (the definition).
  return { type: "radio_buttons", options: levels.map(option), ...(initial ? { initial_option: option(initial) } : {}) };
}

const text = (initial: string | undefined, max: number, multiline = false) => ({
  type: "plain_text_input",
  max_length: max,
  multiline,
  ...(initial ? { initial_value: initial } : {}),
});

/** `private_metadata` carries where the command was run, so the submission declares there. */
export function declareModal(policy: Policy, prompt: ClassificationPrompt, channelId: string) {
  const d = prompt.draft;
  return {
    type: "modal",
    callback_id: DECLARE_VIEW,
    private_metadata: JSON.stringify({ channelId }),
    title: plain("Declare an incident"),
    submit: plain("Declare"),
    close: plain("Cancel"),
    blocks: [
      input("title", "Title", text(d.title, TITLE_MAX)),
      input("impact", "Impact: how much of production is affected", levelSelect(policy.matrix.impacts, d.impact)),
      input("urgency", "Urgency: how critical is the affected system", levelSelect(policy.matrix.urgencies, d.urgency)),
      input("description", "Description", text(d.description, TEXT_MAX, true), true),
      input("nature", "Nature", { type: "static_select", options: policy.natures.map((n) => ({ text: plain(n), value: n })) }, true),
      input("service", "Affected service", text(d.service, TITLE_MAX), true),
      input("customer", "Affected customer", text(d.customer, TITLE_MAX), true),
    ],
  };
}

export function resolveModal(reference: string, channelId: string) {
  return {
    type: "modal",
    callback_id: RESOLVE_VIEW,
    private_metadata: JSON.stringify({ channelId, reference }),
    title: plain(`Resolve ${reference}`),
    submit: plain("Resolve"),
    close: plain("Cancel"),
    blocks: [input("summary", "What happened, and how was it fixed?", text(undefined, TEXT_MAX, true))],
  };
}

export function updateModal(reference: string, channelId: string) {
  return {
    type: "modal",
    callback_id: UPDATE_VIEW,
    private_metadata: JSON.stringify({ channelId, reference }),
    title: plain(`Update on ${reference}`.slice(0, 24)),
    submit: plain("Post update"),
    close: plain("Cancel"),
    blocks: [
      input("text", "What is being done? (for stakeholders)", text(undefined, TEXT_MAX, true)),
      input("next", "Next update in (e.g. 30m, 1h; the cadence if empty)", text(undefined, 10), true),
    ],
  };
}

/** Every RCA section of the policy, prefilled with what is written; required ones say so. */
export function rcaModal(policy: Policy, reference: string, channelId: string, texts: Record<string, string>) {
  return {
    type: "modal",
    callback_id: RCA_VIEW,
    private_metadata: JSON.stringify({ channelId, reference }),
    title: plain(`RCA ${reference}`.slice(0, 24)),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks: policy.rca.sections.slice(0, 50).map((s) => input(s.id, s.required ? s.label : `${s.label} (optional)`, text(texts[s.id], TEXT_MAX, true), true)),
  };
}

type ViewState = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** The submitted value of a block (text input or select), or undefined when left empty. */
export function stateValue(state: ViewState, block: string): string | undefined {
  const v = state[block]?.value;
  const s = v?.selected_option?.value ?? v?.value ?? undefined;
  return s === null || s === "" ? undefined : s;
}
