/**
 * Discord interactions → the commands' ways in: slash commands (type 2) with their options as raw
 * values, buttons (3), autocomplete (4) and form submissions (5). The interaction id is the request
 * key, so a delivery seen twice changes nothing. Interactions the bot cannot use get a short
 * ephemeral sentence and change nothing.
 */
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Interaction, ModalSubmitInteraction } from "discord.js";
import { openIncidents, pressButton, runWith, submitForm, UNUSABLE, type AppContext, type Invocation, type Reply } from "../../commands/index.js";
import { COMMAND_NAME, rawValues } from "./commands.js";
import { parseCustomId } from "./embeds.js";
import { formModal, submittedValues } from "./modals.js";
import { workLimitOf, type WorkLimit } from "../work-limit.js";
import { answer } from "./respond.js";

const PRIVATE = new Set(["help", "list", "status", "comms", "stats", "rca", "action", "oncall"]);

export interface HandlerOptions {
  /** Defer an interaction whose work has not finished after this long (Discord allows 3 s). */
  deferAfterMs?: number;
  /** Commands, buttons and forms running at once: the process's limit, or a size (default WORK_LIMIT, work-limit.ts). */
  workLimit?: WorkLimit | number;
}

const said = (text: string): Reply => ({ ephemeral: true, text });

export function createInteractionHandler(ctx: AppContext, o: HandlerOptions = {}): (i: Interaction) => Promise<void> {
  const deferAfterMs = o.deferAfterMs ?? 2000;
  // As Slack's work after the ack: at most `workLimit` at once. A queued interaction is still
  // deferred after `deferAfterMs` (the timer starts with the interaction, not with its work), so its 3 s
  // hold; autocomplete is not queued (a read, and Discord takes no deferral for it).
  const limit = workLimitOf(o.workLimit);
  const inv = (i: Interaction): Invocation => ({ platform: "discord", channelId: i.channelId ?? "", userId: i.user.id, requestKey: `interaction:${i.id}` });
  // A button, or a form opened from one, confirms through the outbox with the change (a keyed post,
  // retried until it lands) and the interaction is answered with a deferred update (type 6), as Slack's
  // buttons are; a slash command's answer is its own message, and a form opened by one has no message
  // to update, so those answer in the interaction.
  const confirmed = (i: Interaction): Invocation => ({ ...inv(i), confirm: "outbox" });
  const modal = (r: Reply) => (r.form ? formModal(r.form) : null);

  async function command(i: ChatInputCommandInteraction): Promise<void> {
    const sub = i.options.getSubcommand(false) ?? "help";
    const raw = rawValues(sub, i.options.data[0]?.options ?? []);
    await answer(i, () => limit.run(() => runWith(ctx, inv(i), sub, raw)), { deferEphemeral: PRIVATE.has(sub), deferAfterMs, modal });
  }

  async function autocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    if (focused.name !== "incident") return i.respond([]);
    await i.respond(await openIncidents(ctx, String(focused.value)));
  }

  async function button(i: ButtonInteraction): Promise<void> {
    const parsed = parseCustomId(i.customId);
    if (!parsed) return answer(i, async () => said(UNUSABLE.unknownButton), { deferEphemeral: true, deferAfterMs });
    await answer(i, () => limit.run(() => pressButton(ctx, confirmed(i), parsed.action, parsed.arg)), { deferEphemeral: parsed.action !== "ack", deferAfterMs, modal });
  }

  async function modalSubmit(i: ModalSubmitInteraction): Promise<void> {
    const parsed = parseCustomId(i.customId);
    if (parsed?.action !== "form") return answer(i, async () => said(UNUSABLE.unknownForm), { deferEphemeral: true, deferAfterMs });
    await answer(i, () => limit.run(() => submitForm(ctx, i.isFromMessage() ? confirmed(i) : inv(i), parsed.arg, submittedValues(i))), { deferEphemeral: false, deferAfterMs });
  }

  return async (i) => {
    if (i.isAutocomplete()) return autocomplete(i);
    if (i.isChatInputCommand()) {
      if (i.commandName === COMMAND_NAME) return command(i);
      return answer(i, async () => said(UNUSABLE.otherCommand), { deferEphemeral: true, deferAfterMs });
    }
    if (i.isButton()) return button(i);
    if (i.isModalSubmit()) return modalSubmit(i);
    if (i.isRepliable()) return answer(i, async () => said(UNUSABLE.other), { deferEphemeral: true, deferAfterMs });
  };
}
