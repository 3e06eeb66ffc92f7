/**
 * The timer jobs that deliver a page outside the outbox: the war-room mention and invitation, a
 * webhook POST, an e-mail. Each re-checks the incident under its row lock first — a page for an
 * incident resolved meanwhile is cancelled, not sent — and throws on failure so the scheduler retries
 * it with backoff; the last failure marks the page failed and is reported in the war room.
 */
import { isCommunicating } from "../../domain/classification.js";
import type { Incident, WarRoom } from "../../domain/incident.js";
import { pageFailedView } from "../../domain/escalation/page-view.js";
import type { ChatMessage } from "../../domain/views.js";
import { warRoomReady } from "../warroom.js";
import { inTransaction, type AppContext } from "../context.js";
import type { StoredPage, TimerJob } from "../ports.js";

interface PageState {
  incident: Incident;
  page: StoredPage;
  room: WarRoom | null;
}

/** The page to deliver, or null when there is nothing (left) to do. */
async function load(ctx: AppContext, job: TimerJob): Promise<PageState | null> {
  return inTransaction(ctx, async (uow) => {
    const incident = await uow.incidents.get(job.incidentId!, true);
    const page = await uow.pages.get(Number(job.payload.pageId));
    if (!incident || !page || page.status !== "queued") return null;
    if (incident.status === "resolved" || incident.status === "closed") {
      await uow.pages.mark(page.id, "cancelled", ctx.clock.now(), `incident ${incident.status}`);
      return null;
    }
    const room = (await uow.incidents.warRooms(incident.id)).find((r) => r.platform === incident.platform) ?? null;
    return { incident, page, room };
  });
}

async function finish(ctx: AppContext, job: TimerJob, s: PageState, send: () => Promise<void>, what: string): Promise<void> {
  try {
    await send();
    await ctx.store.transaction((uow) => uow.pages.mark(s.page.id, "sent", ctx.clock.now()));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (job.lastAttempt) {
      const now = ctx.clock.now();
      await inTransaction(ctx, async (uow) => {
        await uow.pages.mark(s.page.id, "failed", now, reason);
        await uow.incidents.appendEvent({ incidentId: s.incident.id, at: now, actor: "bot", kind: "page.failed", data: { level: s.page.level, channel: s.page.channel, target: s.page.target, reason } });
        await uow.outbox.enqueue({ key: `page-failed:${job.key}`, incidentId: s.incident.id, platform: s.incident.platform, target: "warroom", action: "post", message: pageFailedView(s.incident, what, reason) }, now);
      });
    }
    throw error;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The war room is opened by its own job, usually in the same batch: wait briefly until it is set up
 * (its summary pinned, so the summary stays the room's first message), then retry later.
 */
async function awaitRoom(ctx: AppContext, job: TimerJob, s: PageState): Promise<WarRoom | null> {
  const ready = () => warRoomReady(s.room, job.lastAttempt);
  for (let n = 0; n < 60 && !ready(); n++) {
    await sleep(50);
    const again = await load(ctx, job);
    if (!again) return null;
    s.room = again.room;
  }
  if (!ready()) throw new Error(`the war room of ${s.incident.reference} is not open yet`);
  return s.room;
}

export async function deliverRoomPage(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s) return;
  const chat = ctx.chats[s.incident.platform];
  if (!chat || (!s.room && !isCommunicating(ctx.policy.matrix, s.incident.priority))) {
    await ctx.store.transaction((uow) => uow.pages.mark(s.page.id, "cancelled", ctx.clock.now(), chat ? "no war room (not a P1/P2)" : "no chat adapter"));
    return;
  }
  const room = await awaitRoom(ctx, job, s);
  if (!room) return;
  const invite = (job.payload.invite as string[] | undefined) ?? [];
  await finish(ctx, job, s, async () => {
    if (invite.length && chat.invite) await chat.invite(room.channelId, invite);
    await chat.post(room.channelId, job.payload.message as ChatMessage);
  }, `the war room of level ${s.page.level} (${s.page.levelName})`);
}

export async function deliverWebhookPage(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s) return;
  const body = { type: "incident.page", idempotencyKey: job.key, page: job.payload.page, message: job.payload.message };
  await finish(ctx, job, s, async () => {
    if (!ctx.paging?.webhook) throw new Error("webhook paging is not available");
    await ctx.paging.webhook.post(String(job.payload.url), body, job.key);
  }, `level ${s.page.level} (${s.page.levelName}) by webhook ${s.page.target}`);
}

export async function deliverEmailPage(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s) return;
  const m = job.payload.message as ChatMessage;
  await finish(ctx, job, s, async () => {
    if (!ctx.paging?.mail) throw new Error("e-mail paging is not configured (set SMTP_URL)");
    await ctx.paging.mail.send({ to: String(job.payload.to), subject: m.headline, text: mailText(m), messageId: job.key });
  }, `level ${s.page.level} (${s.page.levelName}) by e-mail to ${s.page.target}`);
}

function mailText(m: ChatMessage): string {
  return [m.headline, "", m.body ?? "", "", ...m.fields.map((f) => `${f.label}: ${f.value}`)].join("\n");
}
