/**
 * Archiving the war room some days after closing (policy `archiveAfterDays`): the `closed` reaction
 * schedules a `warroom.archive` timer; at its due time it queues one keyed outbox row per war room
 * (action "archive", key `closing:archive:<incident>:<platform>`). Delivering that row posts a last
 * message pointing to the report and stores its id at once (a retry does not post it again), then
 * archives the channel where the platform can, and records `archivedAt` and a `warroom.archived`
 * event in the transaction that marks the row sent: a retry after a crash, on any replica, changes
 * nothing, and a failure is retried and reported like any delivery.
 */
import { DateTime } from "luxon";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import { reportFilename } from "../../domain/rca/report.js";
import { noticeView } from "../../domain/views.js";
import { inTransaction, type AppContext } from "../context.js";
import type { ChatPort, QueuedDelivery, TimerJob } from "../ports.js";
import type { Reaction } from "../reactions/types.js";

export const WARROOM_ARCHIVE = "warroom.archive";

/** On close: archive the war room `archiveAfterDays` calendar days later (local days, DST-proof). */
export const rcaReaction: Reaction = async ({ ctx, uow, incident, now }, change) => {
  if (change.kind !== "closed") return;
  const dueAt = DateTime.fromJSDate(now, { zone: ctx.policy.businessHours.timezone }).plus({ days: ctx.policy.archiveAfterDays }).toJSDate();
  await uow.timers.schedule({ kind: WARROOM_ARCHIVE, key: `warroom.archive:${incident.id}`, incidentId: incident.id, dueAt });
};

export const archiveKey = (incidentId: number, platform: string): string => `closing:archive:${incidentId}:${platform}`;

/** The `warroom.archive` timer: one archive row per war room not archived yet. */
export async function archiveWarRooms(ctx: AppContext, job: TimerJob): Promise<void> {
  await inTransaction(ctx, async (uow) => {
    const i = await uow.incidents.get(job.incidentId!, true);
    if (!i || i.status !== "closed") return;
    const now = ctx.clock.now();
    for (const room of (await uow.incidents.warRooms(i.id)).filter((r) => !r.archivedAt)) {
      const text = `${i.reference} is closed and this war room is now archived. The incident report: ${reportFilename(i)} (/incident report --incident ${i.reference}).`;
      await uow.outbox.enqueue({ key: archiveKey(i.id, room.platform), incidentId: i.id, platform: room.platform, target: room.channelId, action: "archive", message: noticeView(i, text) }, now);
    }
  });
}

/**
 * Delivers an archive row (from `deliver`, which retries and reports failures): the last message,
 * unless a previous attempt posted it, then the archive and its record.
 */
export async function archiveRoom(ctx: AppContext, d: QueuedDelivery, chat: ChatPort, channel: string): Promise<void> {
  let messageId = d.externalId;
  if (!messageId) {
    messageId = (await chat.post(channel, d.message)).messageId;
    await ctx.store.autocommit((uow) => uow.outbox.markPosted(d.id, messageId!));
  }
  await chat.archive?.(channel);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    await uow.outbox.markSent(d.id, messageId, now);
    await uow.rca.markArchived(d.incidentId!, d.platform, now);
    await uow.incidents.appendEvent({ incidentId: d.incidentId!, at: now, actor: "bot", kind: RCA_EVENTS.archived, data: { platform: d.platform, channelId: channel } });
  });
}
