/**
 * `deliver`: send one outbox row through its platform's ChatPort and mark it sent. A failure throws so
 * the scheduler retries it with backoff; the last failure is recorded on the row and reported.
 */
import type { AppContext } from "../context.js";
import type { QueuedDelivery, TimerJob } from "../ports.js";

async function resolveTarget(ctx: AppContext, d: QueuedDelivery): Promise<string | null> {
  if (d.target === "announcements") return ctx.chats[d.platform]?.announcementsChannel() ?? null;
  if (d.target === "warroom") {
    const rooms = await ctx.store.transaction((uow) => uow.incidents.warRooms(d.incidentId!));
    return rooms.find((r) => r.platform === d.platform)?.channelId ?? null;
  }
  return d.target;
}

export async function deliver(ctx: AppContext, job: TimerJob): Promise<void> {
  const id = Number(job.payload.outboxId);
  const d = await ctx.store.transaction((uow) => uow.outbox.get(id));
  if (!d || d.status !== "pending") return; // already sent, cancelled or failed: nothing to repeat
  const chat = ctx.chats[d.platform];
  const channel = chat ? await resolveTarget(ctx, d) : null;
  if (!chat || !channel) {
    const reason = !chat ? `no ${d.platform} adapter running` : `no channel for target "${d.target}"`;
    await ctx.store.transaction((uow) => uow.outbox.markCancelled(id, reason));
    return;
  }
  try {
    const sent =
      d.action === "dm"
        ? await chat.dm(channel, d.message)
        : await chat.post(channel, d.message);
    await ctx.store.transaction((uow) => uow.outbox.markSent(id, sent.messageId, ctx.clock.now()));
  } catch (error) {
    const msg = error instanceof Error ? error.message : String(error);
    await ctx.store.transaction((uow) => uow.outbox.markAttempt(id, msg, job.lastAttempt));
    throw error;
  }
}
