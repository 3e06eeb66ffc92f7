/**
 * The timer jobs that deliver a page outside the outbox: the war-room mention and invitation, a
 * webhook POST, an e-mail. Each re-checks the incident under its row lock first — a page for an
 * incident resolved meanwhile is cancelled, not sent — and throws on failure so the scheduler retries
 * it with backoff; the last failure marks the page failed and is reported in the war room.
 */
import type { Incident, WarRoom } from "../../domain/incident.js";
import { pageFailedView } from "../../domain/escalation/page-view.js";
import type { ChatMessage } from "../../domain/views.js";
import { warRoomFor } from "../warroom.js";
import { givesUp, takeCallSlots, takeSendSlot, WaitForSignal } from "../waits.js";
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
    const read = await uow.incidents.withRooms(job.incidentId!, true);
    const page = await uow.pages.get(Number(job.payload.pageId));
    if (!read || !page || page.status !== "queued") return null;
    const { incident, rooms } = read;
    if (incident.status === "resolved" || incident.status === "closed") {
      await uow.pages.mark(page.id, "cancelled", ctx.clock.now(), `incident ${incident.status}`);
      return null;
    }
    const room = rooms.find((r) => r.platform === incident.platform) ?? null;
    return { incident, page, room };
  });
}

async function finish(ctx: AppContext, job: TimerJob, s: PageState, send: () => Promise<void>, what: string): Promise<void> {
  try {
    await send();
    await ctx.store.autocommit((uow) => uow.pages.mark(s.page.id, "sent", ctx.clock.now()));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (givesUp(job, error)) {
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

export async function deliverRoomPage(ctx: AppContext, job: TimerJob): Promise<void> {
  const s = await load(ctx, job);
  if (!s) return;
  const chat = ctx.chats[s.incident.platform];
  // The mention follows the pinned summary: until the room is ready the job waits for its signal,
  // raised by the pin step (no polling, no sleeping).
  const state = chat ? await ctx.store.autocommit((uow) => warRoomFor(ctx.policy, uow, s.incident, s.incident.platform, s.room ? [s.room] : [])) : { none: "no chat adapter" };
  if ("none" in state) {
    await ctx.store.autocommit((uow) => uow.pages.mark(s.page.id, "cancelled", ctx.clock.now(), state.none));
    return;
  }
  if ("waitFor" in state) throw new WaitForSignal(state.waitFor, `the war room of ${s.incident.reference} is not open yet`);
  const room = state.ready;
  const invite = (job.payload.invite as string[] | undefined) ?? [];
  if (invite.length && chat!.invite) await takeCallSlots(ctx, chat!, ["invite"], job);
  await takeSendSlot(ctx, chat!, room.channelId, job);
  await finish(ctx, job, s, async () => {
    if (invite.length && chat!.invite) await chat!.invite(room.channelId, invite);
    await chat!.post(room.channelId, job.payload.message as ChatMessage);
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
