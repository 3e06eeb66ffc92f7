/**
 * `deliver`: send one outbox row through its platform's ChatPort and mark it sent. A failure throws so
 * the scheduler retries it with backoff; the last failure is recorded on the row and reported.
 */
import { REPORT_FILE_KEY } from "../rca/report.js";
import { archiveRoom } from "../rca/archive.js";
import type { AppContext } from "../context.js";
import type { ChatPort, QueuedDelivery, TimerJob, UnitOfWork } from "../ports.js";
import { noticeView } from "../../domain/views.js";
import { DeferUntil, givesUp, sentSignal, takeCallSlots, takeSendSlot, WaitForSignal } from "../waits.js";
import { warRoomFor } from "../warroom.js";
import { deliverOutsideChat } from "./deliver-stakeholder.js";

/**
 * The channel to post to, or why not: nothing is posted about a closed incident (but for its closing
 * words, keyed `closing:`) or into an archived war room. A post into a war room whose summary is not
 * pinned yet waits for the room's signal (WaitForSignal): the pin step releases it, no polling.
 */
async function resolveTarget(ctx: AppContext, d: QueuedDelivery): Promise<{ channel: string } | { skip: string }> {
  if (d.incidentId != null) {
    const found = await ctx.store.autocommit(async (uow) => {
      const read = await uow.incidents.withRooms(d.incidentId!);
      const incident = read?.incident ?? null;
      const rooms = read?.rooms ?? [];
      const state = incident && d.target === "warroom" ? await warRoomFor(ctx.policy, uow, incident, d.platform, rooms) : null;
      return { incident, room: rooms.find((r) => r.platform === d.platform), state };
    });
    const { incident, room, state } = found;
    if (incident && closedFor(incident.status, d.key)) return { skip: "the incident is closed" };
    if (d.target === "warroom") {
      if (room?.archivedAt) return { skip: "the war room is archived" };
      if (!state) return { skip: "the incident is gone" };
      if ("none" in state) return { skip: state.none };
      if ("waitFor" in state) throw new WaitForSignal(state.waitFor, `the war room of incident ${d.incidentId} is not open yet`);
      return { channel: state.ready.channelId };
    }
    if (room?.archivedAt && d.target === room.channelId) return { skip: "the war room is archived" };
  }
  if (d.target === "announcements") {
    const channel = ctx.chats[d.platform]?.announcementsChannel();
    return channel ? { channel } : { skip: "no announcements channel is configured" };
  }
  return { channel: d.target };
}

const REPORT_PREFIX = "delivery-failed:";

/** What a failed delivery was, in the failure report: "the announcement to stakeholders", "the e-mail to … (list customers-acme)". */
function deliveryWhat(d: QueuedDelivery): string {
  const dest = d.stakeholder?.destination;
  if (d.action === "archive") return "the archiving of the war room";
  if (d.action === "dm") return `a direct message to @${d.target}`;
  if (d.action === "edit") return `the edit of a message in ${d.target === "warroom" ? "the war room" : d.target}`;
  if (d.action === "email") return `the e-mail to list ${dest} (first to fail: ${d.target}; /incident comms lists every address)`;
  if (d.action === "webhook") return `the webhook of destination ${dest}`;
  if (d.target === "announcements") return d.stakeholder && dest !== "announcements" ? `the announcement to stakeholders on ${d.platform}` : "the announcement to stakeholders";
  return dest ? `the message to destination ${dest}` : `a message to ${d.target}`;
}

/**
 * One report per failed delivery — but one per list and communication for e-mail, which has a row per
 * address: a list of 200 with SMTP down is one line in the war room, not 200.
 */
function reportKey(d: QueuedDelivery): string {
  const mail = d.action === "email" ? d.stakeholder?.mail : undefined;
  return mail ? `${REPORT_PREFIX}email:${d.stakeholder!.destination}:${mail.messageKey}` : `${REPORT_PREFIX}${d.id}`;
}

/** A delivery that cannot be attempted here (its platform or sender is not configured): failed at once, reported. */
export async function failNow(ctx: AppContext, d: QueuedDelivery, reason: string): Promise<void> {
  await settle(ctx, d, (uow) => uow.outbox.markAttempt(d.id, reason, true));
  await reportFailure(ctx, d, reason);
}

/**
 * A delivery that failed for good is said where the responders look: the war room, or the channel
 * the incident was declared from when the war room itself is what failed. Reports are not reported.
 */
export async function reportFailure(ctx: AppContext, d: QueuedDelivery, reason: string): Promise<void> {
  if (d.key.startsWith(REPORT_PREFIX) || d.incidentId == null) return;
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    const i = await uow.incidents.get(d.incidentId!);
    if (!i) return;
    const where = d.target === "warroom" ? i.originChannel : "warroom";
    const attempts = d.attempts + 1;
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "delivery.failed", data: { outboxId: d.id, target: d.target, reason } });
    await uow.outbox.enqueue(
      {
        key: reportKey(d),
        incidentId: i.id,
        // Said on the incident's own platform: the delivery that failed may be on another (e-mail, Discord).
        platform: i.platform,
        target: where,
        action: "post",
        message: noticeView(i, `Could not deliver ${deliveryWhat(d)} for ${i.reference} after ${attempts} attempt${attempts === 1 ? "" : "s"} (${reason}); ${d.action === "email" ? "send" : d.action === "edit" ? "edit" : "post"} it by hand.`),
      },
      now,
    );
  });
  ctx.waker.wake();
}

export async function deliver(ctx: AppContext, job: TimerJob): Promise<void> {
  const id = Number(job.payload.outboxId);
  const d = await ctx.store.autocommit((uow) => uow.outbox.get(id));
  if (!d || d.status !== "pending") return; // already sent, cancelled or failed: nothing to repeat
  try {
    if (d.action === "email" || d.action === "webhook") await deliverOutsideChat(ctx, d);
    else await deliverToChat(ctx, job, d);
  } catch (error) {
    // Every failure is an attempt on the row, wherever it came from (the platform's or the mail
    // server's answer, looking up the channel, booking a slot, issuing an unsubscribe token): the last
    // one marks it failed and is reported, not left pending. Waiting for the room or a slot is no failure.
    if (!(error instanceof WaitForSignal || error instanceof DeferUntil)) await recordFailedAttempt(ctx, job, d, error);
    throw error;
  }
}

async function deliverToChat(ctx: AppContext, job: TimerJob, d: QueuedDelivery): Promise<void> {
  const id = d.id;
  const chat = ctx.chats[d.platform];
  // A destination of the policy on a platform this bot does not run: said, not silently dropped.
  if (!chat && d.stakeholder && !d.stakeholder.implicit) return failNow(ctx, d, `${d.platform} is not configured (destination "${d.stakeholder.destination}"); configure it or change stakeholders in the policy file`);
  const where = chat ? await resolveTarget(ctx, d) : { skip: `no ${d.platform} adapter running` };
  if (!chat || "skip" in where) {
    const reason = "skip" in where ? where.skip : "no chat adapter";
    await settle(ctx, d, (uow) => uow.outbox.markCancelled(id, reason));
    return;
  }
  const { channel } = where;
  if (d.action === "edit") return editMessage(ctx, job, d, chat, channel);
  // Direct messages (pages) are not spaced a second apart but booked in their conversation's window,
  // bursts allowed (Slack: 10 in 10 s, rate-limits.ts): six incidents paging one person page them at
  // once. Unbooked, 30 P1s paging one person met the fake Slack's rate-tier mode with 30 429s (435
  // when it allowed no burst: every second each waiting page retried and one got through); booked, none.
  const file = d.message.file;
  if (d.action === "dm") await takeCallSlots(ctx, chat, ["dm"], job, channel);
  else {
    await takeCallSlots(ctx, chat, d.action === "archive" ? ["archive"] : file && chat.postFile ? ["postFile"] : [], job);
    await takeSendSlot(ctx, chat, channel, job);
  }
  if (d.action === "archive") return await archiveRoom(ctx, d, chat, channel);
  const sent =
    d.action === "dm"
      ? await chat.dm(channel, d.message)
      : file && chat.postFile
        ? await chat.postFile(channel, file.name, Buffer.from(file.base64, "base64"), d.message.headline)
        : await chat.post(channel, d.message);
  await settle(ctx, d, (uow) => uow.outbox.markSent(id, sent.messageId, ctx.clock.now()));
}

/**
 * An "edit" row: replaces the message the row keyed `edits` posted, once that post has its message id.
 * Until then the edit waits for the post's signal (raised when it is sent, failed or cancelled) rather
 * than being folded into the pending post: a post being delivered has read its payload already, so a
 * fold could be lost, leaving the message as first posted; waiting is not polling and needs no lock.
 * A post that was never sent leaves nothing to edit: the edit is cancelled.
 */
async function editMessage(ctx: AppContext, job: TimerJob, d: QueuedDelivery, chat: ChatPort, channel: string): Promise<void> {
  const post = d.edits ? await ctx.store.autocommit((uow) => uow.outbox.byKey(d.edits!)) : null;
  if (!post || post.status === "failed" || post.status === "cancelled") {
    await ctx.store.autocommit((uow) => uow.outbox.markCancelled(d.id, "the message it edits was not posted"));
    return;
  }
  if (!post.externalId) {
    if (post.status === "pending" && post.awaited) throw new WaitForSignal(sentSignal(post.key), `${post.key} is not posted yet`);
    // A post enqueued before edits waited on posts (not `awaited`) raises no signal: retried instead.
    if (post.status === "pending") throw new Error(`${post.key} is not posted yet`);
    await ctx.store.autocommit((uow) => uow.outbox.markCancelled(d.id, "the message it edits has no id"));
    return;
  }
  await takeCallSlots(ctx, chat, ["update"], job);
  await chat.update(channel, post.externalId, d.message);
  await ctx.store.autocommit((uow) => uow.outbox.markSent(d.id, post.externalId, ctx.clock.now()));
}

/**
 * Marks a row settled (sent, failed or cancelled); an `awaited` row raises its signal in the same
 * transaction, so an edit waiting for it runs and finds its message id stored (or its failure).
 */
async function settle(ctx: AppContext, d: QueuedDelivery, mark: (uow: UnitOfWork) => Promise<void>): Promise<void> {
  if (!d.awaited) return ctx.store.autocommit(mark);
  await ctx.store.transaction(async (uow) => {
    await mark(uow);
    await uow.timers.signal(sentSignal(d.key), ctx.clock.now());
  });
}

/**
 * Whether a delivery of an incident in `status` is not sent any more: once the incident is closed,
 * only its closing steps (archive, final edits) and the report file still go out.
 */
export function closedFor(status: string, key: string): boolean {
  return status === "closed" && !key.startsWith("closing:") && !key.startsWith(REPORT_FILE_KEY);
}

/** A failed attempt of a delivery, stored; the last one (retries used up) is reported in the war room. */
async function recordFailedAttempt(ctx: AppContext, job: TimerJob, d: QueuedDelivery, error: unknown): Promise<void> {
  const msg = error instanceof Error ? error.message : String(error);
  const last = givesUp(job, error);
  if (last) await settle(ctx, d, (uow) => uow.outbox.markAttempt(d.id, msg, true));
  else await ctx.store.autocommit((uow) => uow.outbox.markAttempt(d.id, msg, false));
  if (last) await reportFailure(ctx, d, msg);
}
