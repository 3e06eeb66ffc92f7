/**
 * Pages one level: a direct message to each chat target (outbox `dm`), a mention and an invitation in
 * the war room, a webhook POST and an e-mail when the level has them — each stored as a page row under
 * an idempotency key derived from `base`, so a step that runs twice pages nobody twice — and
 * `page.sent` on the timeline. Runs in the caller's transaction; nothing is sent from here.
 */
import type { Incident } from "../../domain/incident.js";
import { LADDER_LABEL, levelTargets } from "../../domain/escalation/ladder.js";
import { pageView, roomPageView, type PageInfo } from "../../domain/escalation/page-view.js";
import type { AppContext } from "../context.js";
import type { PageChannel, PageRecord, UnitOfWork } from "../ports.js";
import { PAGE_EMAIL, PAGE_ROOM, PAGE_WEBHOOK } from "./kinds.js";
import { overridesBySchedule } from "../oncall/overrides.js";
import { isCommunicating } from "../../domain/classification.js";
import { roomSignal } from "../waits.js";

export interface PageRequest extends PageInfo {
  /** Idempotency base of this page, e.g. `page:12:1732345200000:1`. */
  base: string;
  /** The top level's last repeat: the war room is told the bot stops paging. */
  final?: boolean;
  actor?: string;
}

/** True when something new was queued (false: this page was already sent under `base`). */
export async function sendPage(ctx: AppContext, uow: UnitOfWork, i: Incident, now: Date, p: PageRequest): Promise<boolean> {
  const level = p.step.level;
  // Whoever is on call at the moment of the page, overrides included.
  const overrides = level.targets["schedule"]?.length ? await overridesBySchedule(uow, now) : {};
  const chatIds = levelTargets(ctx.policy, level, i.platform, now, overrides);
  const record = (channel: PageChannel, target: string, key: string): PageRecord => ({
    incidentId: i.id,
    kind: p.kind,
    ladder: LADDER_LABEL[p.step.ladder],
    level: p.step.index + 1,
    levelName: level.name,
    repeat: p.step.repeat,
    target,
    channel,
    key,
  });
  const roomKey = `${p.base}:warroom`;
  const roomPage = await uow.pages.insert(record("warroom", "warroom", roomKey), now);
  if (roomPage === null) return false; // this page went out already
  const dm = pageView(ctx.policy, i, p);
  for (const id of chatIds) {
    const key = `${p.base}:dm:${id}`;
    await uow.pages.insert(record("dm", id, key), now);
    await uow.outbox.enqueue({ key, incidentId: i.id, platform: i.platform, target: id, action: "dm", message: dm, urgent: true }, now);
  }
  const room = roomPageView(i, p, chatIds, p.final ?? false);
  // A P1/P2's room is coming (or open): the mention is parked on its signal until the summary is pinned.
  const waitFor = isCommunicating(ctx.policy.matrix, i.priority) ? { waitFor: roomSignal(i.id, i.platform) } : {};
  await uow.timers.schedule({ kind: PAGE_ROOM, key: roomKey, incidentId: i.id, dueAt: now, payload: { pageId: roomPage, platform: i.platform, message: room, invite: chatIds }, ...waitFor });
  const external = { reference: i.reference, level: p.step.index + 1, levelName: level.name, ladder: LADDER_LABEL[p.step.ladder], repeat: p.step.repeat, kind: p.kind, reason: p.reason };
  if (level.webhook) {
    const key = `${p.base}:webhook`;
    const pageId = await uow.pages.insert(record("webhook", level.webhook, key), now);
    await uow.timers.schedule({ kind: PAGE_WEBHOOK, key, incidentId: i.id, dueAt: now, payload: { pageId, url: level.webhook, page: external, message: dm } });
  }
  if (level.email) {
    const key = `${p.base}:email`;
    const pageId = await uow.pages.insert(record("email", level.email, key), now);
    await uow.timers.schedule({ kind: PAGE_EMAIL, key, incidentId: i.id, dueAt: now, payload: { pageId, to: level.email, message: dm } });
  }
  await uow.incidents.appendEvent({
    incidentId: i.id,
    at: now,
    actor: p.actor ?? "bot",
    kind: "page.sent",
    data: { ...external, targets: chatIds, channel: i.platform, webhook: level.webhook ?? null, email: level.email ?? null },
  });
  return true;
}
