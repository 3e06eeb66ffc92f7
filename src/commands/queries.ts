/** Inputs that are not typed commands: autocomplete of open incidents, and messages pinned in a war room. */
import type { AppContext } from "../app/context.js";
import { listIncidents } from "../app/queries.js";
import { recordPinnedMessage } from "../app/rca/timeline.js";
export { unsubscribe, unsubscribeTarget, type Unsubscribed } from "../app/comms/unsubscribe.js";
import { checkInput } from "./input.js";
import { priorityText } from "../domain/views.js";

/** Open incidents whose reference or title contains `typed`, as menu choices (Discord autocomplete). */
export async function openIncidents(ctx: AppContext, typed: string, limit = 25): Promise<{ name: string; value: string }[]> {
  const t = typed.toLowerCase().slice(0, 100);
  const open = await listIncidents(ctx);
  return open
    .filter(({ incident: x }) => x.reference.toLowerCase().includes(t) || x.title.toLowerCase().includes(t))
    .slice(0, limit)
    .map(({ incident: x }) => ({ name: `${x.reference} · ${priorityText(ctx.policy, x.priority)} · ${x.title}`.slice(0, 100), value: x.reference }));
}

/** A message pinned in a war room joins its timeline (ignored elsewhere; a redelivery adds nothing). */
export async function recordPin(ctx: AppContext, pin: { platform: string; channelId: string; text: string; author: string; at: Date | null; key: string }): Promise<void> {
  if (checkInput(pin.text)) return; // a control character would fail the insert: such a pin is not kept
  await recordPinnedMessage(ctx, pin.platform, pin.channelId, pin.text.slice(0, 3000), pin.author, pin.at ?? ctx.clock.now(), pin.key);
}
