/**
 * `warroom.open`: create the channel, record it, post and pin the summary, announce to stakeholders.
 * Each step checks what is already done, so a retry after a failure (or a crash) resumes where it
 * stopped instead of repeating it.
 */
import type { Incident, WarRoom } from "../../domain/incident.js";
import { announcementView, noticeView, summaryView, topicText } from "../../domain/views.js";
import type { AppContext } from "../context.js";
import type { ChatPort, TimerJob } from "../ports.js";
import { announcementKey, noticeKey, roomNameFor } from "../warroom.js";
import { isCommunicating } from "../../domain/classification.js";
import { initialNoticeView } from "../../domain/comms/messages.js";

async function loadState(ctx: AppContext, incidentId: number, platform: string) {
  return ctx.store.transaction(async (uow) => {
    const incident = await uow.incidents.get(incidentId);
    const room = (await uow.incidents.warRooms(incidentId)).find((r) => r.platform === platform) ?? null;
    return { incident, room };
  });
}

async function createRoom(ctx: AppContext, chat: ChatPort, i: Incident): Promise<WarRoom> {
  const members = [...new Set([i.declaredBy, ...Object.values(i.roles)])];
  const created = await chat.createChannel({
    name: roomNameFor(ctx.policy, i),
    key: i.reference,
    topic: topicText(ctx.policy, i),
    members,
  });
  const room: WarRoom = { incidentId: i.id, platform: chat.platform, channelId: created.channelId, channelName: created.name, summaryMessageId: null };
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    await uow.incidents.saveWarRoom(room, now);
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: "bot",
      kind: "warroom.opened",
      data: { platform: chat.platform, channelId: room.channelId, name: room.channelName },
    });
  });
  return room;
}

export async function openWarRoom(ctx: AppContext, job: TimerJob): Promise<void> {
  const platform = String(job.payload.platform);
  const chat = ctx.chats[platform];
  if (!chat) throw new Error(`no chat adapter for platform "${platform}"`);
  const state = await loadState(ctx, job.incidentId!, platform);
  const declared = state.incident;
  if (!declared || declared.status === "closed") return;
  try {
    const room = state.room ?? (await createRoom(ctx, chat, declared));
    if (room.summaryMessageId) return;
    const incident = (await loadState(ctx, declared.id, platform)).incident ?? declared; // render the latest state
    const children = await ctx.store.transaction((uow) => uow.incidents.children(incident.id));
    const { messageId } = await chat.post(room.channelId, summaryView(ctx.policy, incident, children));
    await chat.pin(room.channelId, messageId);
    const now = ctx.clock.now();
    await ctx.store.transaction(async (uow) => {
      await uow.incidents.setSummaryMessage(incident.id, platform, messageId);
      if (isCommunicating(ctx.policy.matrix, incident.priority)) {
        const notice = { key: noticeKey(incident), incidentId: incident.id, platform, target: "warroom", action: "post" as const };
        await uow.outbox.enqueue({ ...notice, message: initialNoticeView(ctx.policy, incident) }, now);
      }
      await uow.outbox.enqueue(
        {
          key: announcementKey(incident),
          incidentId: incident.id,
          platform,
          target: "announcements",
          action: "post",
          message: announcementView(ctx.policy, incident, room.channelName),
        },
        now,
      );
    });
    ctx.waker.wake();
  } catch (error) {
    // Told at the first failure (so they can fix, e.g., a permission while the bot retries) and when it gives up.
    if (job.attempts === 1 || job.lastAttempt) await reportWarRoomFailure(ctx, declared, error, job.lastAttempt);
    throw error;
  }
}

/** The declarer is told in the channel they declared from; the timeline records it. */
async function reportWarRoomFailure(ctx: AppContext, i: Incident, error: unknown, final: boolean): Promise<void> {
  const now = ctx.clock.now();
  const reason = error instanceof Error ? error.message : String(error);
  await ctx.store.transaction(async (uow) => {
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: final ? "warroom.failed" : "warroom.retrying", data: { reason } });
    const next = final ? ";" : " and the bot keeps retrying;";
    await uow.outbox.enqueue(
      {
        key: `warroom-failed:${i.id}:${i.platform}:${final ? "final" : "first"}`,
        incidentId: i.id,
        platform: i.platform,
        target: i.originChannel,
        action: "post",
        message: noticeView(i, `Could not open the war room for ${i.reference} (${reason}). The incident is recorded${next} check the bot's permissions and run /incident status --incident ${i.reference}.`),
      },
      now,
    );
  });
  ctx.waker.wake();
}
