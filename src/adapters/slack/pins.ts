/**
 * Messages pinned in a war room join the incident's timeline: Slack's `pin_added` event, or a 📌
 * (`pushpin`) reaction, whose message text is read with conversations.history. Pins elsewhere are
 * ignored by the use case; a redelivered event (same event id) adds nothing.
 */
import type { App } from "@slack/bolt";
import { recordPin, type AppContext } from "../../commands/index.js";
import type { Work } from "./respond.js";

const fromTs = (ts: string | undefined) => (ts ? new Date(Math.round(Number(ts) * 1000)) : null);

export function registerPins(app: App, ctx: AppContext, work: Work): void {
  app.event("pin_added", async ({ event, body }) => {
    const e = event as unknown as { channel_id: string; user: string; item?: { message?: { text?: string; user?: string; ts?: string } } };
    const m = e.item?.message;
    if (!m?.text) return;
    await work.run("pin", async () => {
      await work.limited(() => recordPin(ctx, { platform: "slack", channelId: e.channel_id, text: m.text!, author: m.user ?? e.user, at: fromTs(m.ts), key: `event:${(body as { event_id?: string }).event_id}` }));
    });
  });

  app.event("reaction_added", async ({ event, body, client }) => {
    const e = event as unknown as { reaction: string; user: string; item: { type: string; channel: string; ts: string } };
    if (e.reaction !== "pushpin" || e.item.type !== "message") return;
    await work.run("pin_reaction", async () => {
      const history = await client.conversations.history({ channel: e.item.channel, latest: e.item.ts, inclusive: true, limit: 1 });
      const m = history.messages?.find((x) => x.ts === e.item.ts);
      if (!m?.text) return;
      await work.limited(() => recordPin(ctx, { platform: "slack", channelId: e.item.channel, text: m.text!, author: m.user ?? e.user, at: fromTs(m.ts), key: `event:${(body as { event_id?: string }).event_id}` }));
    });
  });
}
