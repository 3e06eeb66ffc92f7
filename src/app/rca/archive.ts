/**
 * Archiving the war room some days after closing (policy `archiveAfterDays`): the `closed` reaction
 * schedules a `warroom.archive` timer; its handler posts a last message pointing to the report, then
 * archives the channel where the platform can, and records `archivedAt` and a `warroom.archived` event.
 */
import { DateTime } from "luxon";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import { reportFilename } from "../../domain/rca/report.js";
import { noticeView } from "../../domain/views.js";
import type { AppContext } from "../context.js";
import type { TimerJob } from "../ports.js";
import type { Reaction } from "../reactions/types.js";

export const WARROOM_ARCHIVE = "warroom.archive";

/** On close: archive the war room `archiveAfterDays` calendar days later (local days, DST-proof). */
export const rcaReaction: Reaction = async ({ ctx, uow, incident, now }, change) => {
  if (change.kind !== "closed") return;
  const dueAt = DateTime.fromJSDate(now, { zone: ctx.policy.businessHours.timezone }).plus({ days: ctx.policy.archiveAfterDays }).toJSDate();
  await uow.timers.schedule({ kind: WARROOM_ARCHIVE, key: `warroom.archive:${incident.id}`, incidentId: incident.id, dueAt });
};

export async function archiveWarRooms(ctx: AppContext, job: TimerJob): Promise<void> {
  const state = await ctx.store.transaction(async (uow) => {
    const incident = await uow.incidents.get(job.incidentId!, true);
    if (!incident || incident.status !== "closed") return null;
    return { incident, rooms: (await uow.incidents.warRooms(incident.id)).filter((r) => !r.archivedAt) };
  });
  if (!state) return;
  const { incident: i } = state;
  for (const room of state.rooms) {
    const chat = ctx.chats[room.platform];
    if (!chat) continue;
    const text = `${i.reference} is closed and this war room is now archived. The incident report: ${reportFilename(i)} (/incident report --incident ${i.reference}).`;
    await chat.post(room.channelId, noticeView(i, text));
    await chat.archive?.(room.channelId);
    const now = ctx.clock.now();
    await ctx.store.transaction(async (uow) => {
      await uow.rca.markArchived(i.id, room.platform, now);
      await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: RCA_EVENTS.archived, data: { platform: room.platform, channelId: room.channelId } });
    });
  }
}
