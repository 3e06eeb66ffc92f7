/**
 * Slack events → the shared dispatcher and use cases. Every handler acks first (Socket Mode does not
 * enforce Slack's 3 s budget; HTTP does), then works, then answers: refusals ephemerally, in the same
 * sentences as every other adapter. Request keys make Slack's retries and double submissions no-ops.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { acknowledge } from "../../app/acknowledge.js";
import type { AppContext, Invocation } from "../../app/context.js";
import { checkResponder } from "../../app/queries.js";
import { changeStatus } from "../../app/status-change.js";
import { dispatch, declareWith } from "../../commands/dispatch.js";
import { refusalReply, type Reply } from "../../commands/reply.js";
import { validateDeclare } from "../../commands/parser.js";
import { RefusalError } from "../../domain/refusal.js";
import type { Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { ACTION_IDS } from "./blocks.js";
import { DECLARE_VIEW, declareModal, RESOLVE_VIEW, resolveModal, stateValue } from "./modals.js";
import { escapeText } from "./mrkdwn.js";

type Say = (reply: Reply) => Promise<unknown>;

/** Work still running after Slack got its ack; shutdown and tests wait for it. */
export interface InFlight {
  settled(): Promise<void>;
}

export function registerHandlers(app: App, ctx: AppContext, metrics: Metrics, log: Logger): InFlight {
  const running = new Set<Promise<void>>();
  const timed = (kind: string, fn: () => Promise<void>): Promise<void> => {
    const stop = metrics.handlerSeconds.startTimer({ platform: "slack", kind });
    const work = fn()
      .catch((e: unknown) => log.error("slack handler failed", { kind, error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        stop();
        running.delete(work);
      });
    running.add(work);
    return work;
  };

  app.command("/incident", async ({ command, ack, respond, client }) => {
    await ack();
    await timed("command", async () => {
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

  /** Answers a button or form: refusals only to the user, successes to the channel. */
  const answer = (client: App["client"], channel: string, user: string): Say => async (reply) => {
    if (reply.refusal?.code === "E_DUPLICATE_REQUEST") return;
    const text = escapeText(reply.text);
    if (reply.ephemeral) return client.chat.postEphemeral({ channel, user, text });
    return client.chat.postMessage({ channel, text });
  };

  const guarded = async (fn: () => Promise<Reply>): Promise<Reply> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RefusalError) return refusalReply(e.refusal);
      throw e;
    }
  };

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.ack, async ({ ack, body, action, client }) => {
    await ack();
    await timed("ack", async () => {
      const channel = body.channel?.id ?? "";
      const inv: Invocation = { platform: "slack", channelId: channel, userId: body.user.id, asResponder: true, requestKey: `action:${action.action_ts}` };
      const reply = await guarded(async () => {
        const r = await acknowledge(ctx, inv, action.value);
        return { ephemeral: false, text: `${r.incident.reference} acknowledged by @${body.user.id}.` };
      });
      await answer(client, channel, body.user.id)(reply);
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.resolve, async ({ ack, body, action, client }) => {
    await ack();
    await timed("resolve_button", async () => {
      const channel = body.channel?.id ?? "";
      const reference = action.value ?? "";
      // Check who may resolve before opening the form, so outsiders are told at once.
      const reply = await guarded(async () => {
        await checkResponder(ctx, { platform: "slack", channelId: channel, userId: body.user.id, asResponder: true }, reference);
        await client.views.open({ trigger_id: body.trigger_id, view: resolveModal(reference, channel) as never });
        return { ephemeral: true, text: "" };
      });
      if (reply.refusal) await answer(client, channel, body.user.id)(reply);
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
    await timed("declare_view", async () => {
      const inv: Invocation = { platform: "slack", channelId, userId: body.user.id, requestKey: `view:${view.id}` };
      await answer(client, channelId, body.user.id)(await declareWith(ctx, inv, checked.value));
    });
  });

  app.view(RESOLVE_VIEW, async ({ ack, view, body, client }) => {
    const { channelId, reference } = JSON.parse(view.private_metadata) as { channelId: string; reference: string };
    const summary = stateValue(view.state.values as never, "summary");
    if (!summary) {
      await ack({ response_action: "errors", errors: { summary: "Say what happened and how it was fixed." } });
      return;
    }
    await ack();
    await timed("resolve_view", async () => {
      const inv: Invocation = { platform: "slack", channelId, userId: body.user.id, asResponder: true, requestKey: `view:${view.id}` };
      const reply = await guarded(async () => {
        const r = await changeStatus(ctx, inv, { to: "resolved", text: summary, incident: reference });
        return { ephemeral: false, text: `${r.incident.reference} is resolved by @${body.user.id}: ${summary}` };
      });
      await answer(client, channelId, body.user.id)(reply);
    });
  });

  return {
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
