/**
 * Slack events → the shared dispatcher and use cases. Every handler acks first (Socket Mode does not
 * enforce Slack's 3 s budget; HTTP does), then works, then answers: refusals ephemerally, in the same
 * sentences as every other adapter. Request keys make Slack's retries and double submissions no-ops.
 * The summary's Resolve and Post update buttons and their forms are in `incident-forms.ts`.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { acknowledge } from "../../app/acknowledge.js";
import type { AppContext, Invocation } from "../../app/context.js";
import { dispatch, declareWith } from "../../commands/dispatch.js";
import { validateDeclare } from "../../commands/parser.js";
import type { Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { ACTION_IDS } from "./blocks.js";
import { registerIncidentForms } from "./incident-forms.js";
import { registerPins } from "./pins.js";
import { DECLARE_VIEW, declareModal, stateValue } from "./modals.js";
import { escapeText } from "./mrkdwn.js";
import { answer, guarded, Work, type InFlight } from "./respond.js";

export type { InFlight } from "./respond.js";

export function registerHandlers(app: App, ctx: AppContext, metrics: Metrics, log: Logger): InFlight {
  const work = new Work(metrics, log);

  app.command("/incident", async ({ command, ack, respond, client }) => {
    await ack();
    await work.run("command", async () => {
      const inv: Invocation = { platform: "slack", channelId: command.channel_id, userId: command.user_id, requestKey: `command:${command.trigger_id}` };
      const reply = await dispatch(ctx, inv, command.text);
      if (reply.refusal?.code === "E_DUPLICATE_REQUEST") return; // Slack retried: the first answer stands
      if (reply.prompt) {
        await client.views.open({ trigger_id: command.trigger_id, view: declareModal(ctx.policy, reply.prompt, command.channel_id) as never });
        return;
      }
      await respond({ response_type: reply.ephemeral ? "ephemeral" : "in_channel", text: escapeText(reply.text) });
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.ack, async ({ ack, body, action, client }) => {
    await ack();
    await work.run("ack", async () => {
      const channel = body.channel?.id ?? "";
      const inv: Invocation = { platform: "slack", channelId: channel, userId: body.user.id, asResponder: true, requestKey: `action:${action.action_ts}` };
      const reply = await guarded(async () => {
        const r = await acknowledge(ctx, inv, action.value);
        return { ephemeral: false, text: `${r.incident.reference} acknowledged by @${body.user.id}.` };
      });
      await answer(client, channel, body.user.id, reply);
    });
  });

  app.view(DECLARE_VIEW, async ({ ack, view, body, client }) => {
    const state = view.state.values as never;
    const { channelId } = JSON.parse(view.private_metadata) as { channelId: string };
    const checked = validateDeclare(
      {
        title: stateValue(state, "title") ?? "",
        impact: stateValue(state, "impact"),
        urgency: stateValue(state, "urgency"),
        description: stateValue(state, "description"),
        nature: stateValue(state, "nature"),
        service: stateValue(state, "service"),
        customer: stateValue(state, "customer"),
      },
      ctx.policy,
    );
    if (!checked.ok) {
      await ack({ response_action: "errors", errors: checked.errors });
      return;
    }
    await ack();
    await work.run("declare_view", async () => {
      const inv: Invocation = { platform: "slack", channelId, userId: body.user.id, requestKey: `view:${view.id}` };
      await answer(client, channelId, body.user.id, await declareWith(ctx, inv, checked.value));
    });
  });

  registerIncidentForms(app, ctx, work);
  registerPins(app, ctx, work);
  return work;
}
