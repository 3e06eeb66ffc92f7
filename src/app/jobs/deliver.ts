/**
 * `deliver`: send one outbox row through its platform's ChatPort and mark it sent. A failure throws so
 * the scheduler retries it with backoff; the last failure is recorded on the row and reported.
 */
import type { AppContext } from "../context.js";
import type { QueuedDelivery, TimerJob } from "../ports.js";
import { noticeView } from "../../domain/views.js";

async function resolveTarget(ctx: AppContext, d: QueuedDelivery): Promise<string | null> {
  if (d.target === "announcements") return ctx.chats[d.platform]?.announcementsChannel() ?? null;
  if (d.target === "warroom") {
    const rooms = await ctx.store.transaction((uow) => uow.incidents.warRooms(d.incidentId!));
    return rooms.find((r) => r.platform === d.platform)?.channelId ?? null;
  }
  return d.target;
}

const REPORT_PREFIX = "delivery-failed:";

/**
 * A delivery that failed for good is said where the responders look: the war room, or the channel
 * the incident was declared from when the war room itself is what failed. Reports are not reported.
 */
async function reportFailure(ctx: AppContext, d: QueuedDelivery, reason: string): Promise<void> {
  if (d.key.startsWith(REPORT_PREFIX) || d.incidentId == null) return;
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    const i = await uow.incidents.get(d.incidentId!);
    if (!i) return;
    const where = d.target === "warroom" ? i.originChannel : "warroom";
    const what = d.action === "dm" ? `a direct message to @${d.target}` : d.target === "announcements" ? "the announcement to stakeholders" : `a message to ${d.target}`;
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "delivery.failed", data: { outboxId: d.id, target: d.target, reason } });
    await uow.outbox.enqueue(
      {
        key: `${REPORT_PREFIX}${d.id}`,
        incidentId: i.id,
        platform: d.platform,
        target: where,
        action: "post",
        message: noticeView(i, `Could not deliver ${what} for ${i.reference} after ${d.attempts + 1} attempts (${reason}); post it by hand.`),
      },
      now,
    );
  });
  ctx.waker.wake();
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
    if (job.lastAttempt) await reportFailure(ctx, d, msg);
    throw error;
  }
}
