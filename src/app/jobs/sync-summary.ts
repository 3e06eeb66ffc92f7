/** `summary.sync`: re-render the pinned summary from the stored incident, in every war room it has. */
import { summaryView, topicText } from "../../domain/views.js";
import type { AppContext } from "../context.js";
import type { TimerJob } from "../ports.js";

export async function syncSummary(ctx: AppContext, job: TimerJob): Promise<void> {
  const state = await ctx.store.transaction(async (uow) => {
    const incident = await uow.incidents.get(job.incidentId!);
    return incident ? { incident, rooms: await uow.incidents.warRooms(incident.id), children: await uow.incidents.children(incident.id) } : null;
  });
  if (!state) return;
  for (const room of state.rooms) {
    const chat = ctx.chats[room.platform];
    if (!chat) continue;
    // The war-room job posts the first summary; until it has, retry (it renders the latest state anyway).
    if (!room.summaryMessageId) throw new Error(`summary of ${state.incident.reference} not posted yet`);
    await chat.update(room.channelId, room.summaryMessageId, summaryView(ctx.policy, state.incident, state.children));
    await chat.setTopic?.(room.channelId, topicText(ctx.policy, state.incident));
  }
}
