/**
 * The steps of opening a war room (see warroom.ts), each a keyed timer whose result is stored the
 * moment the platform returns it:
 *
 * - `warroom.open`: create the channel (adopting ours after a lost reply, see ChatPort.createChannel),
 *   store its id at once, and in the same transaction schedule the next steps and enqueue the
 *   announcement and the initial notice (the notice waits for the room in `deliver`);
 * - `warroom.invite`, `warroom.topic`: let the responders in, set the topic (retried alone);
 * - `warroom.summary`: post the summary, store its message id at once, schedule the pin;
 * - `warroom.pin`: pin it, mark the room ready and raise its signal, releasing what waits for it.
 *
 * Giving up on the channel or the pin still raises the signal, so nothing waits forever.
 */
import { MONITORING_USER } from "../../domain/alerts/types.js";
import type { ChildIncident, Incident, WarRoom } from "../../domain/incident.js";
import { noticeView, summaryView, topicText } from "../../domain/views.js";
import { publicNotice } from "../../domain/comms/public.js";
import { announceKey, toStakeholders } from "../comms/stakeholders.js";
import { isCommunicating } from "../../domain/classification.js";
import { initialNoticeView } from "../../domain/comms/messages.js";
import type { AppContext } from "../context.js";
import type { ChatPort, TimerJob, UnitOfWork } from "../ports.js";
import { givesUp, roomSignal, takeCallSlots, takeSendSlot } from "../waits.js";
import { digestOf } from "./summary-digest.js";
import {
  noticeKey,
  roomNameFor,
  warRoomStepKey,
  WARROOM_INVITE,
  WARROOM_PIN,
  WARROOM_SUMMARY,
  WARROOM_TOPIC,
} from "../warroom.js";

interface StepState {
  incident: Incident;
  room: WarRoom | null;
  chat: ChatPort;
  platform: string;
}

async function load(ctx: AppContext, job: TimerJob, withChildren = false): Promise<(StepState & { children: ChildIncident[] }) | null> {
  const platform = String(job.payload.platform);
  const chat = ctx.chats[platform];
  if (!chat) throw new Error(`no chat adapter for platform "${platform}"`);
  const found = await ctx.store.autocommit((uow) => (withChildren ? uow.incidents.withRoomsAndChildren(job.incidentId!) : uow.incidents.withRooms(job.incidentId!).then((r) => r && { ...r, children: [] })));
  if (!found) return null;
  const { children } = found;
  return { incident: found.incident, room: found.rooms.find((r) => r.platform === platform) ?? null, chat, platform, children };
}

const step = (kind: string, i: Incident, platform: string, now: Date) => ({
  kind,
  key: warRoomStepKey(kind, i.id, platform),
  incidentId: i.id,
  dueAt: now,
  payload: { platform },
});

/** After the channel exists: the remaining steps, the announcement and the initial notice (idempotent keys). */
async function afterCreate(ctx: AppContext, uow: UnitOfWork, i: Incident, room: WarRoom, chat: ChatPort, now: Date): Promise<void> {
  if (!chat.setsUpAtCreation) {
    if (chat.invite) await uow.timers.schedule(step(WARROOM_INVITE, i, room.platform, now));
    if (chat.setTopic) await uow.timers.schedule(step(WARROOM_TOPIC, i, room.platform, now));
  }
  await uow.timers.schedule(step(WARROOM_SUMMARY, i, room.platform, now));
  if (isCommunicating(ctx.policy.matrix, i.priority)) {
    // Into the war room, once the summary is pinned: parked on the room's signal from the start.
    await uow.outbox.enqueue({ key: noticeKey(i), incidentId: i.id, platform: room.platform, target: "warroom", action: "post", message: initialNoticeView(ctx.policy, i), waitFor: roomSignal(i.id, room.platform) }, now);
  }
  // The announcement names the room and goes to other channels: it need not wait for the summary.
  // Every stakeholder destination gets it, in public words (stakeholders.ts).
  await toStakeholders(ctx, uow, i, publicNotice(ctx.policy, i, "announcement", null, i.nextUpdateAt), announceKey(i), now, room.channelName);
}

/** `warroom.open`: create the channel and store its id at once. */
export async function openWarRoom(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s) return;
  const { incident: i, chat } = s;
  if (i.status === "closed" && !s.room) {
    await ctx.store.transaction((uow) => uow.timers.signal(roomSignal(i.id, s.platform), ctx.clock.now()));
    return;
  }
  // Outside the try: waiting for its turn is no failure to report.
  if (!s.room) await takeCallSlots(ctx, chat, ["createChannel"], job);
  try {
    let room = s.room;
    if (!room) {
      const created = await chat.createChannel({ name: roomNameFor(ctx.policy, i), key: i.reference, topic: topicText(ctx.policy, i), members: members(i) });
      room = { incidentId: i.id, platform: chat.platform, channelId: created.channelId, channelName: created.name, summaryMessageId: null };
      const opened = room;
      const now = ctx.clock.now();
      await ctx.store.transaction(async (uow) => {
        await uow.incidents.saveWarRoom(opened, now);
        await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: "bot", kind: "warroom.opened", data: { platform: chat.platform, channelId: opened.channelId, name: opened.channelName } });
        await afterCreate(ctx, uow, i, opened, chat, now);
      });
    } else {
      // Stored by an earlier attempt (a crash after the commit, before `done`): the next steps are keyed.
      const existing = room;
      await ctx.store.transaction((uow) => afterCreate(ctx, uow, i, existing, chat, ctx.clock.now()));
    }
    ctx.waker.wake();
  } catch (error) {
    // Told at the first failure (so they can fix, e.g., a permission while the bot retries) and when it gives up.
    const last = givesUp(job, error);
    const limited = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs !== undefined;
    if ((job.attempts === 1 && !limited) || last) await reportWarRoomFailure(ctx, i, error, last);
    if (last) await ctx.store.transaction((uow) => uow.timers.signal(roomSignal(i.id, s.platform), ctx.clock.now()));
    throw error;
  }
}

/** The declarer and role holders; not the monitoring system user that declares alert incidents. */
const members = (i: Incident) => [...new Set([i.declaredBy, ...Object.values(i.roles)])].filter((u) => !(u === MONITORING_USER && i.detectedBy === "monitoring"));

/** `warroom.invite`: the declarer and role holders into the channel (or the users the step names). */
export async function inviteToWarRoom(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s?.room || s.room.archivedAt) return;
  const users = Array.isArray(job.payload.users) ? job.payload.users.map(String) : members(s.incident);
  if (!s.chat.invite) return;
  await takeCallSlots(ctx, s.chat, ["invite"], job);
  await s.chat.invite(s.room.channelId, users);
}

/** `warroom.topic`: priority · status · IM · reference (the reference is the room's marker). */
export async function setWarRoomTopic(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s?.room || s.room.archivedAt || !s.chat.setTopic) return;
  const topic = topicText(ctx.policy, s.incident);
  await takeCallSlots(ctx, s.chat, ["setTopic"], job);
  await s.chat.setTopic(s.room.channelId, topic);
  await ctx.store.autocommit((uow) => uow.incidents.setRoomDigests(s.incident.id, s.platform, { topic: digestOf(topic) }));
}

/** `warroom.summary`: post the summary (the latest state) and store its message id at once. */
export async function postWarRoomSummary(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job, true);
  if (!s?.room) return;
  const { incident: i, room, chat, children } = s;
  if (!room.summaryMessageId) {
    await takeSendSlot(ctx, chat, room.channelId, job);
    const view = summaryView(ctx.policy, i, children);
    const { messageId } = await chat.post(room.channelId, view);
    await ctx.store.transaction(async (uow) => {
      await uow.incidents.setSummaryMessage(i.id, s.platform, messageId, digestOf(view));
      await uow.timers.schedule(step(WARROOM_PIN, i, s.platform, ctx.clock.now()));
    });
  } else {
    await ctx.store.autocommit((uow) => uow.timers.schedule(step(WARROOM_PIN, i, s.platform, ctx.clock.now())));
  }
  ctx.waker.wake();
}

/** `warroom.pin`: pin the summary, then release everything that waits for the room. */
export async function pinWarRoomSummary(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s?.room?.summaryMessageId || s.room.readyAt) return;
  const { incident: i, room } = s;
  await takeCallSlots(ctx, s.chat, ["pin"], job);
  try {
    await s.chat.pin(room.channelId, room.summaryMessageId!);
  } catch (error) {
    // Given up: the summary stays unpinned, but the posts that wait for the room go ahead.
    if (givesUp(job, error)) await markReady(ctx, i, s.platform);
    throw error;
  }
  await markReady(ctx, i, s.platform);
}

async function markReady(ctx: AppContext, i: Incident, platform: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.transaction(async (uow) => {
    await uow.incidents.setRoomReady(i.id, platform, now);
    await uow.timers.signal(roomSignal(i.id, platform), now);
  });
  ctx.waker.wake();
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
