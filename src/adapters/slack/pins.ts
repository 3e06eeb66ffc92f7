/**
 * Messages pinned in a war room join the incident's timeline: Slack's `pin_added` event, or a 📌
 * (`pushpin`) reaction, whose message text is read with conversations.history. Pins elsewhere are
 * ignored by the use case; a redelivered event (same event id) adds nothing.
 */
import type { App } from "@slack/bolt";
import type { AppContext } from "../../app/context.js";
import { recordPinnedMessage } from "../../app/rca/timeline.js";
import type { Work } from "./respond.js";

const fromTs = (ts: string | undefined) => (ts ? new Date(Math.round(Number(ts) * 1000)) : null);

export function registerPins(app: App, ctx: AppContext, work: Work): void {
  app.event("pin_added", async ({ event, body }) => {
    const e = event as unknown as { channel_id: string; user: string; item?: { message?: { text?: string; user?: string; ts?: string } } };
    const m = e.item?.message;
    if (!m?.text) return;
    await work.run("pin", async () => {
      const at = fromTs(m.ts) ?? ctx.clock.now();
      await recordPinnedMessage(ctx, "slack", e.channel_id, m.text!, m.user ?? e.user, at, `event:${(body as { event_id?: string }).event_id}`);
    });
  });

  app.event("reaction_added", async ({ event, body, client }) => {
    const e = event as unknown as { reaction: string; user: string; item: { type: string; channel: string; ts: string } };
    if (e.reaction !== "pushpin" || e.item.type !== "message") return;
    await work.run("pin_reaction", async () => {
      const history = await client.conversations.history({ channel: e.item.channel, latest: e.item.ts, inclusive: true, limit: 1 });
      const m = history.messages?.find((x) => x.ts === e.item.ts);
      if (!m?.text) return;
      await recordPinnedMessage(ctx, "slack", e.item.channel, m.text, m.user ?? e.user, fromTs(m.ts) ?? ctx.clock.now(), `event:${(body as { event_id?: string }).event_id}`);
    });
  });
}
