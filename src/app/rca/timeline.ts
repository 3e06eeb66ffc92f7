/**
 * Timeline entries from outside the bot: `/incident timeline add <HH:MM | ISO time> <text>`, and
 * messages pinned in a war room (the Slack and Discord adapters call `recordPinnedMessage` on a pin).
 */
import type { Incident } from "../../domain/incident.js";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import { parseTimelineTime } from "../../domain/rca/time.js";
import type { TimelineEntry } from "../../domain/rca/types.js";
import { unwrap } from "../../domain/refusal.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import type { UnitOfWork } from "../ports.js";

export interface AddTimelineInput {
  /** "HH:MM" (the last one, policy timezone), "YYYY-MM-DD HH:MM" or an ISO time. */
  time: string;
  text: string;
  incident?: string | undefined;
}

async function record(uow: UnitOfWork, i: Incident, entry: TimelineEntry, now: Date): Promise<void> {
  await uow.rca.addTimelineEntry(i.id, entry, now);
  await uow.incidents.appendEvent({
    incidentId: i.id,
    at: now,
    actor: entry.author,
    kind: RCA_EVENTS.timelineAdded,
    data: { at: entry.at.toISOString(), text: entry.text },
  });
}

export async function addTimelineEntry(ctx: AppContext, inv: Invocation, input: AddTimelineInput): Promise<{ incident: Incident; entry: TimelineEntry }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    const now = ctx.clock.now();
    const at = unwrap(parseTimelineTime(input.time, now, ctx.policy.businessHours.timezone, i.declaredAt));
    const entry: TimelineEntry = { at, text: input.text, author: inv.userId, source: "manual" };
    await record(uow, i, entry, now);
    return { incident: i, entry };
  });
}

/**
 * A message pinned in a war room joins that incident's timeline at the time it was written. Pins
 * elsewhere, and pins in the war room of a closed (read-only) incident, are ignored: returns null.
 */
export async function recordPinnedMessage(
  ctx: AppContext,
  platform: string,
  channelId: string,
  text: string,
  author: string,
  at: Date,
  /** The platform's event id: a redelivered pin event adds nothing. */
  requestKey?: string,
): Promise<{ incident: Incident; entry: TimelineEntry } | null> {
  return inTransaction(ctx, async (uow) => {
    if (requestKey && !(await uow.requests.claim(`${platform}:${requestKey}`, ctx.clock.now()))) return null;
    const i = await uow.incidents.byChannel(platform, channelId, true);
    if (!i || i.status === "closed" || text.trim() === "") return null;
    const entry: TimelineEntry = { at, text: text.trim(), author, source: "pin" };
    await record(uow, i, entry, ctx.clock.now());
    return { incident: i, entry };
  });
}
