/**
 * The summary's buttons that need text: Resolve (what happened, how it was fixed) and Post update
 * (what is being done, when the next update comes). Outsiders are refused before the form opens;
 * the submission runs as the responder through the use case (update: through the grammar, so a bad
 * `next` gets the same sentence as the command).
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext, Invocation } from "../../app/context.js";
import { checkResponder } from "../../app/queries.js";
import { changeStatus } from "../../app/status-change.js";
import { dispatch } from "../../commands/dispatch.js";
import { updateLine } from "../../commands/run-comms.js";
import { ACTION_IDS } from "./blocks.js";
import { RCA_VIEW, rcaModal, RESOLVE_VIEW, resolveModal, stateValue, UPDATE_VIEW, updateModal } from "./modals.js";
import { rcaFormState } from "../../app/rca/form.js";
import { setRcaSections } from "../../app/rca/sections.js";
import { answer, guarded, type Work } from "./respond.js";

export function registerIncidentForms(app: App, ctx: AppContext, work: Work): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.rca, async ({ ack, body, action, client }) => {
    await ack();
    await work.run("rca_button", async () => {
      const channel = body.channel?.id ?? "";
      const reply = await guarded(async () => {
        const { texts } = await rcaFormState(ctx, { platform: "slack", channelId: channel, userId: body.user.id }, action.value ?? "");
        await client.views.open({ trigger_id: body.trigger_id, view: rcaModal(ctx.policy, action.value ?? "", channel, texts) as never });
        return { ephemeral: true, text: "" };
      });
      if (reply.refusal) await answer(client, channel, body.user.id, reply);
    });
  });

  app.view(RCA_VIEW, async ({ ack, view, body, client }) => {
    await ack();
    const { channelId, reference } = JSON.parse(view.private_metadata) as { channelId: string; reference: string };
    const texts = Object.fromEntries(ctx.policy.rca.sections.map((s) => [s.id, stateValue(view.state.values as never, s.id) ?? ""]));
    await work.run("rca_view", async () => {
      const inv: Invocation = { platform: "slack", channelId, userId: body.user.id, asResponder: true, requestKey: `view:${view.id}` };
      const reply = await guarded(async () => {
        const r = await setRcaSections(ctx, inv, texts, reference);
        return { ephemeral: false, text: r.changed.length ? `${r.incident.reference}: RCA updated by @${body.user.id} (${r.changed.join(", ")}).` : `${r.incident.reference}: nothing changed in the RCA.` };
      });
      await answer(client, channelId, body.user.id, reply);
    });
  });

  const forms = { [ACTION_IDS.resolve]: resolveModal, [ACTION_IDS.update]: updateModal };
  for (const [actionId, modal] of Object.entries(forms)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      await work.run(`${actionId}_button`, async () => {
        const channel = body.channel?.id ?? "";
        const reference = action.value ?? "";
        const reply = await guarded(async () => {
          await checkResponder(ctx, { platform: "slack", channelId: channel, userId: body.user.id, asResponder: true }, reference);
          await client.views.open({ trigger_id: body.trigger_id, view: modal(reference, channel) as never });
          return { ephemeral: true, text: "" };
        });
        if (reply.refusal) await answer(client, channel, body.user.id, reply);
      });
    });
  }

  app.view(RESOLVE_VIEW, async ({ ack, view, body, client }) => {
    const { channelId, reference } = JSON.parse(view.private_metadata) as { channelId: string; reference: string };
    const summary = stateValue(view.state.values as never, "summary");
    if (!summary) {
      await ack({ response_action: "errors", errors: { summary: "Say what happened and how it was fixed." } });
      return;
    }
    await ack();
    await work.run("resolve_view", async () => {
      const inv: Invocation = { platform: "slack", channelId, userId: body.user.id, asResponder: true, requestKey: `view:${view.id}` };
      const reply = await guarded(async () => {
        const r = await changeStatus(ctx, inv, { to: "resolved", text: summary, incident: reference });
        return { ephemeral: false, text: `${r.incident.reference} is resolved by @${body.user.id}: ${summary}` };
      });
      await answer(client, channelId, body.user.id, reply);
    });
  });

  app.view(UPDATE_VIEW, async ({ ack, view, body, client }) => {
    const { channelId, reference } = JSON.parse(view.private_metadata) as { channelId: string; reference: string };
    const state = view.state.values as never;
    const text = stateValue(state, "text");
    if (!text) {
      await ack({ response_action: "errors", errors: { text: "Say what is being done, for stakeholders." } });
      return;
    }
    await ack();
    await work.run("update_view", async () => {
      const inv: Invocation = { platform: "slack", channelId, userId: body.user.id, asResponder: true, requestKey: `view:${view.id}` };
      await answer(client, channelId, body.user.id, await dispatch(ctx, inv, updateLine(text, stateValue(state, "next"), reference)));
    });
  });
}
