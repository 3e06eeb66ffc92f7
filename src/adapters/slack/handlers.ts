/**
 * Slack requests → the commands' ways in. A slash command's syntax is checked before the ack, so a
 * refusal is the ack's own answer (no chat call); the rest acks first (HTTP mode gives 3 s), then
 * runs, then answers: refusals ephemerally, in the sentences every surface shows. Buttons and forms
 * are the same commands; a form is the one modal in `modals.ts`. Payloads the bot cannot use are
 * acknowledged with a short sentence and change nothing (`unusable` below).
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction } from "@slack/bolt";
import { checkSubmission, dispatch, execute, precheck, pressButton, UNUSABLE, type AppContext, type Invocation, type Reply } from "../../commands/index.js";
import type { Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { ACTION_IDS } from "./blocks.js";
import { draftKeyOf, FORM_VIEW, formModal, messageModal, submittedValues } from "./modals.js";
import { registerPins } from "./pins.js";
import { answer, respondText, Work, type Client, type InFlight } from "./respond.js";
import type { WorkLimit } from "../work-limit.js";

export type { InFlight } from "./respond.js";

const BUTTON_OF: Record<string, string> = Object.fromEntries(Object.entries(ACTION_IDS).map(([button, id]) => [id, button]));
type Body = Record<string, any>;

/** Why a payload cannot be used, as the sentence the person sees; null when it can. */
function unusable(body: Body): string | null {
  switch (body.type) {
    case "block_actions": {
      const a = Array.isArray(body.actions) ? body.actions[0] : undefined;
      if (!a || typeof a.action_id !== "string") return UNUSABLE.noAction;
      if (!(a.action_id in BUTTON_OF)) return UNUSABLE.unknownButton;
      if (typeof a.value !== "string" || a.value === "" || a.value.length > 40) return UNUSABLE.noIncident;
      return null;
    }
    case "view_submission":
      if (body.view?.callback_id !== FORM_VIEW) return UNUSABLE.unknownForm;
      if (!draftKeyOf(body.view?.private_metadata)) return UNUSABLE.brokenForm;
      if (!submittedValues(body.view?.state)) return UNUSABLE.noValues;
      return null;
    case "shortcut":
    case "message_action":
      return UNUSABLE.shortcut;
    default:
      return null;
  }
}

export function registerHandlers(app: App, ctx: AppContext, metrics: Metrics, log: Logger, workLimit?: WorkLimit | number): InFlight {
  const work = new Work(metrics, log, workLimit);

  // Every payload the bot cannot use is acknowledged here, with its sentence where Slack shows one.
  app.use(async (args) => {
    const body = args.body as Body;
    const why = unusable(body);
    if (!why) return args.next();
    const ack = (args as AllMiddlewareArgs & { ack?: (r?: unknown) => Promise<void> }).ack;
    metrics.commandHandled("slack", "payload", "E_UNUSABLE_PAYLOAD");
    if (ack) await ack(body.type === "view_submission" ? { response_action: "update", view: messageModal(why) } : undefined);
  });

  app.command("/incident", async ({ command, ack, client, respond }) => {
    const inv: Invocation = { platform: "slack", channelId: command.channel_id, userId: command.user_id, requestKey: `command:${command.trigger_id}` };
    const early = precheck(ctx.policy, "slack", command.text);
    if (early) {
      await ack(respondText(early));
      ctx.observer?.commandHandled("slack", "unknown", early.refusal?.code ?? "ok");
      return;
    }
    await ack();
    await work.run("command", async () => {
      const reply = await work.limited(() => dispatch(ctx, inv, command.text));
      await show(client, inv, reply, command.trigger_id, (r) => respond(respondText(r)).then(() => undefined));
    });
  });

  app.action<BlockAction<ButtonAction>>({ type: "block_actions" }, async ({ ack, body, action, client }) => {
    await ack();
    await work.run("button", async () => {
      const inv: Invocation = { platform: "slack", channelId: body.channel?.id ?? "", userId: body.user.id, requestKey: `action:${action.action_id}:${action.action_ts}`, confirm: "outbox" };
      const reply = await work.limited(() => pressButton(ctx, inv, BUTTON_OF[action.action_id]!, action.value ?? ""));
      await show(client, inv, reply, body.trigger_id, (r) => answer(client, inv.channelId, inv.userId, r));
    });
  });

  app.view(FORM_VIEW, async ({ ack, view, body, client }) => {
    const inv: Invocation = { platform: "slack", channelId: "", userId: body.user.id, requestKey: `view:${view.id}`, confirm: "outbox" };
    const checked = await checkSubmission(ctx, inv, draftKeyOf(view.private_metadata)!, submittedValues(view.state)!);
    if (!checked.ok) {
      const errors = checked.reply.fieldErrors;
      await ack(errors && Object.keys(errors).length ? { response_action: "errors", errors } : { response_action: "update", view: messageModal(checked.reply.text) } as never);
      return;
    }
    await ack();
    await work.run("form", async () => {
      const where = { ...inv, channelId: checked.channelId };
      await answer(client, where.channelId, where.userId, await work.limited(() => execute(ctx, where, checked.command)));
    });
  });

  registerPins(app, ctx, work);
  return work;
}

/** Shows a reply: a form opens as a modal, a retry says nothing, anything else goes to `say`. */
async function show(client: Client, inv: Invocation, reply: Reply, triggerId: string, say: (r: Reply) => Promise<void>): Promise<void> {
  if (reply.refusal?.code === "E_DUPLICATE_REQUEST") return; // Slack retried: the first answer stands
  if (reply.form) {
    await client.views.open({ trigger_id: triggerId, view: formModal(reply.form) as never });
    return;
  }
  await say(reply);
}
