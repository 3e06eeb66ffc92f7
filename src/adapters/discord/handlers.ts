/**
 * Discord interactions → the shared dispatcher and use cases: slash commands (type 2), buttons (3),
 * autocomplete (4) and modal submissions (5). The interaction id is the request key, so a delivery
 * seen twice changes nothing; buttons and forms on incident messages act only for its responders.
 */
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction, ModalSubmitInteraction } from "discord.js";
import { acknowledge } from "../../app/acknowledge.js";
import type { AppContext, Invocation } from "../../app/context.js";
import type { DeclareInput } from "../../app/declare.js";
import { checkResponder, listIncidents } from "../../app/queries.js";
import { changeStatus } from "../../app/status-change.js";
import { declareWith, dispatch } from "../../commands/dispatch.js";
import { validateDeclare } from "../../commands/parser.js";
import { updateLine } from "../../commands/run-comms.js";
import type { ClassificationPrompt, Reply } from "../../commands/reply.js";
import { priorityText } from "../../domain/views.js";
import { COMMAND_NAME, toGrammar } from "./commands.js";
import { parseCustomId } from "./embeds.js";
import { declareFields, declareModal, fieldValue, rcaModal, resolveModal, updateModal } from "./modals.js";
import { rcaFormState } from "../../app/rca/form.js";
import { setRcaSections } from "../../app/rca/sections.js";
import { answer, guarded } from "./respond.js";

type Draft = ClassificationPrompt["draft"];
const PRIVATE = new Set(["help", "list", "status"]);
const DRAFT_TTL_MS = 30 * 60_000;

export interface HandlerOptions {
  /** Defer an interaction whose work has not finished after this long (Discord allows 3 s). */
  deferAfterMs?: number;
}

export function createInteractionHandler(ctx: AppContext, o: HandlerOptions = {}): (i: Interaction) => Promise<void> {
  const deferAfterMs = o.deferAfterMs ?? 2000;
  const drafts = new Map<string, { draft: Draft; expires: number }>();
  const inv = (i: Interaction, asResponder = false): Invocation => ({
    platform: "discord",
    channelId: i.channelId ?? "",
    userId: i.user.id,
    requestKey: `interaction:${i.id}`,
    ...(asResponder ? { asResponder } : {}),
  });

  async function command(i: ChatInputCommandInteraction): Promise<void> {
    const sub = i.options.getSubcommand(false) ?? "help";
    const values = Object.fromEntries((i.options.data[0]?.options ?? []).map((opt) => [opt.name, opt.value]));
    const modal = (r: Reply) => {
      if (!r.prompt) return null;
      for (const [k, v] of drafts) if (v.expires < Date.now()) drafts.delete(k);
      drafts.set(i.id, { draft: r.prompt.draft, expires: Date.now() + DRAFT_TTL_MS });
      return declareModal(ctx.policy, r.prompt, i.id);
    };
    await answer(i, () => dispatch(ctx, inv(i), toGrammar(sub, values)), { deferEphemeral: PRIVATE.has(sub), deferAfterMs, modal });
  }

  async function autocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    if (focused.name !== "incident") return i.respond([]);
    const typed = String(focused.value).toLowerCase();
    const open = await listIncidents(ctx);
    const hits = open.filter(({ incident: x }) => x.reference.toLowerCase().includes(typed) || x.title.toLowerCase().includes(typed));
    const choices = hits.slice(0, 25).map(({ incident: x }) => ({
      name: `${x.reference} · ${priorityText(ctx.policy, x.priority)} · ${x.title}`.slice(0, 100),
      value: x.reference,
    }));
    await i.respond(choices);
  }

  async function button(i: ButtonInteraction): Promise<void> {
    const parsed = parseCustomId(i.customId);
    if (!parsed) return;
    const reference = parsed.arg;
    if (parsed.action === "ack") {
      const work = () =>
        guarded(async () => {
          const r = await acknowledge(ctx, inv(i, true), reference);
          return { ephemeral: false, text: `${r.incident.reference} acknowledged by @${i.user.id}.` };
        });
      return answer(i, work, { deferEphemeral: false, deferAfterMs });
    }
    if (parsed.action === "rca") {
      const state = await guarded(async () => {
        const { texts } = await rcaFormState(ctx, inv(i), reference);
        await i.showModal(rcaModal(ctx.policy, reference, texts) as never);
        return { ephemeral: true, text: "" };
      });
      if (state.refusal) return answer(i, async () => state, { deferEphemeral: true, deferAfterMs });
      return;
    }
    if (parsed.action === "resolve" || parsed.action === "update") {
      // Outsiders are told at once; a check slower than the deadline shows the form (the submission checks again).
      const check = guarded(async () => {
        await checkResponder(ctx, inv(i, true), reference);
        return { ephemeral: true, text: "" };
      });
      const late = new Promise<Reply>((r) => setTimeout(() => r({ ephemeral: true, text: "" }), deferAfterMs).unref());
      const reply = await Promise.race([check, late]);
      if (reply.refusal) return answer(i, async () => reply, { deferEphemeral: true, deferAfterMs });
      await i.showModal((parsed.action === "resolve" ? resolveModal(reference) : updateModal(reference)) as never);
    }
  }

  async function modalSubmit(i: ModalSubmitInteraction): Promise<void> {
    const parsed = parseCustomId(i.customId);
    if (parsed?.action === "declare") {
      const draft = drafts.get(parsed.arg)?.draft;
      const checked = validateDeclare({ ...declareFields(i), service: draft?.service, customer: draft?.customer }, ctx.policy);
      const work = async (): Promise<Reply> => {
        if (!checked.ok) return { ephemeral: true, text: Object.values(checked.errors).join("\n") };
        const input: DeclareInput = { ...checked.value, detectedBy: draft?.detectedBy, im: draft?.im };
        const reply = await declareWith(ctx, inv(i), input);
        if (!reply.refusal) drafts.delete(parsed.arg);
        return reply;
      };
      return answer(i, work, { deferEphemeral: false, deferAfterMs });
    }
    if (parsed?.action === "rca") {
      const texts = Object.fromEntries(ctx.policy.rca.sections.flatMap((s) => (i.fields.fields.has(s.id) ? [[s.id, fieldValue(i, s.id) ?? ""]] : [])));
      const work = () =>
        guarded(async () => {
          const r = await setRcaSections(ctx, inv(i, true), texts, parsed.arg);
          return { ephemeral: false, text: r.changed.length ? `${r.incident.reference}: RCA updated by @${i.user.id} (${r.changed.join(", ")}).` : `${r.incident.reference}: nothing changed in the RCA.` };
        });
      return answer(i, work, { deferEphemeral: false, deferAfterMs });
    }
    if (parsed?.action === "update") {
      const line = updateLine(fieldValue(i, "text") ?? "", fieldValue(i, "next"), parsed.arg);
      return answer(i, () => dispatch(ctx, inv(i, true), line), { deferEphemeral: false, deferAfterMs });
    }
    if (parsed?.action === "resolve") {
      const summary = fieldValue(i, "summary");
      const work = () =>
        guarded(async () => {
          if (!summary) return { ephemeral: true, text: "Say what happened and how it was fixed." };
          const r = await changeStatus(ctx, inv(i, true), { to: "resolved", text: summary, incident: parsed.arg });
          return { ephemeral: false, text: `${r.incident.reference} is resolved by @${i.user.id}: ${summary}` };
        });
      return answer(i, work, { deferEphemeral: false, deferAfterMs });
    }
  }

  return async (i) => {
    if (i.isAutocomplete()) return autocomplete(i);
    if (i.isChatInputCommand() && i.commandName === COMMAND_NAME) return command(i);
    if (i.isButton()) return button(i);
    if (i.isModalSubmit()) return modalSubmit(i);
  };
}
