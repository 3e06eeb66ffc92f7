/**
 * `summary.sync`: re-render the pinned summary from the stored incident, in every war room it has.
 * One row per incident (a replacing key), so a burst of changes costs one edit; before the summary
 * is posted it waits for the room's signal (the summary step renders the latest state anyway), and
 * what is unchanged since it was last sent is not sent again (`summary-digest.ts`).
 */
import { summaryView, topicText } from "../../domain/views.js";
import type { AppContext } from "../context.js";
import type { TimerJob } from "../ports.js";
import { roomSignal, takeCallSlots, WaitForSignal } from "../waits.js";
import { digestOf } from "./summary-digest.js";

export async function syncSummary(ctx: AppContext, job: TimerJob): Promise<void> {
  const state = await ctx.store.autocommit((uow) => uow.incidents.withRoomsAndChildren(job.incidentId!));
  if (!state) return;
  for (const room of state.rooms) {
    const chat = ctx.chats[room.platform];
    if (!chat || room.archivedAt) continue;
    if (!room.summaryMessageId || !room.readyAt) {
      throw new WaitForSignal(roomSignal(state.incident.id, room.platform), `summary of ${state.incident.reference} not posted yet`);
    }
    const view = summaryView(ctx.policy, state.incident, state.children);
    const topic = topicText(ctx.policy, state.incident);
    const digests = { summary: digestOf(view), topic: digestOf(topic) };
    const editSummary = digests.summary !== room.summaryDigest;
    const editTopic = !!chat.setTopic && digests.topic !== room.topicDigest;
    await takeCallSlots(ctx, chat, [...(editSummary ? (["update"] as const) : []), ...(editTopic ? (["setTopic"] as const) : [])], job);
    if (editSummary) await chat.update(room.channelId, room.summaryMessageId, view);
    if (editTopic) await chat.setTopic!(room.channelId, topic);
    await ctx.store.autocommit((uow) => uow.incidents.setRoomDigests(state.incident.id, room.platform, digests));
  }
}
