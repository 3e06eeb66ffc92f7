/**
 * How communications follow the incident: a P1/P2 (declared or raised) gets its initial notice and a
 * promise; status changes post an update; resolution posts the all-clear, stops the cadence and arms
 * the customer-report deadline; reopening stops that deadline; closing cancels everything.
 */
import { isCommunicating } from "../../domain/classification.js";
import { nextUpdateAt, reportDeadlines } from "../../domain/comms/cadence.js";
import { allClearView, initialNoticeView, statusUpdateText, updateView } from "../../domain/comms/messages.js";
import type { ChangeContext, IncidentChange } from "../reactions/types.js";
import { noticeKey } from "../warroom.js";
import { publicText } from "../../domain/comms/public.js";
import { announceKey, stakeholderKeys } from "./stakeholders.js";
import { say, STAKEHOLDERS } from "./post.js";
import { armPromise, CADENCE_KINDS, REPORT_DUE, REPORT_KINDS, REPORT_REMINDER } from "./promise.js";

/**
 * The initial notice is enqueued by the war-room job once the channel exists, with the announcement to
 * stakeholders (which names the room); the log links both by their keys; it is posted after the pinned
 * summary. A room that already exists (an incident raised again) gets the notice at once (posted once
 * the room is ready).
 */
async function notice(c: ChangeContext, raised: boolean): Promise<void> {
  const { ctx, uow, now } = c;
  const i = await armPromise(uow, c.incident, nextUpdateAt(ctx.policy, c.incident.priority, now), now);
  const message = initialNoticeView(ctx.policy, i);
  // The announcement itself is enqueued by the war-room job (it names the room), under these keys.
  await uow.comms.record({ incidentId: i.id, at: now, actor: "bot", kind: "notice", text: message.headline, deliveryKeys: [noticeKey(i), ...(await stakeholderKeys(ctx, uow, i, announceKey(i)))], public: true });
  // Only an incident raised to P1/P2 may have its room already; a new one's is opened after this.
  const rooms = raised ? await uow.incidents.warRooms(i.id) : [];
  if (rooms.some((r) => r.platform === i.platform)) {
    await uow.outbox.enqueue({ key: noticeKey(i), incidentId: i.id, platform: i.platform, target: "warroom", action: "post", message }, now);
  }
}

async function statusChanged(c: ChangeContext, from: string, text: string | undefined): Promise<void> {
  const { ctx, uow, now, incident } = c;
  const communicating = isCommunicating(ctx.policy.matrix, incident.priority);
  if (incident.status === "resolved") {
    await armPromise(uow, incident, null, now);
    // A duplicate or a declined one was no outage: stakeholders get no all-clear, nobody a report deadline.
    if (!communicating || incident.outcome) return;
    const message = allClearView(ctx.policy, incident, text ?? "resolved", now);
    const resolution = text ?? "resolved";
    // The log's text is what the public status page shows: without the customer, whom only the
    // destinations for that customer are told (stakeholders.ts).
    const logged = allClearView(ctx.policy, { ...incident, customer: null }, resolution, now);
    await say(ctx, uow, incident, { kind: "allclear", actor: c.actor, text: publicText(logged.body ?? logged.headline), message, targets: ["warroom", STAKEHOLDERS], public: { kind: "allclear", text: resolution } }, now);
    await uow.incidents.appendEvent({ incidentId: incident.id, at: now, actor: c.actor, kind: "allclear.posted", data: { text: text ?? null } });
    const { reminderAt, dueAt } = reportDeadlines(ctx.policy, now);
    const payload = { resolvedAt: now.toISOString(), dueAt: dueAt.toISOString() };
    await uow.timers.schedule({ kind: REPORT_REMINDER, key: `${REPORT_REMINDER}:${incident.id}:${now.toISOString()}`, incidentId: incident.id, dueAt: reminderAt, payload });
    await uow.timers.schedule({ kind: REPORT_DUE, key: `${REPORT_DUE}:${incident.id}:${now.toISOString()}`, incidentId: incident.id, dueAt, payload });
    return;
  }
  if (from === "resolved") await uow.timers.cancel(incident.id, REPORT_KINDS);
  if (!communicating) return;
  const next = nextUpdateAt(ctx.policy, incident.priority, now);
  const i = await armPromise(uow, incident, next, now);
  const said = from === "resolved" ? `Reopened: ${text ?? "the problem is back"}` : [statusUpdateText(incident.status), text].filter(Boolean).join(" ");
  await say(ctx, uow, i, { kind: "update", actor: c.actor, text: publicText(said), message: updateView(ctx.policy, i, said, next), targets: ["warroom", STAKEHOLDERS], public: { kind: "update", text: said, next } }, now);
  await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: c.actor, kind: "update.posted", data: { text: said, onTime: true, dueAt: null, next: next?.toISOString() ?? null, auto: true } });
}

export async function commsReaction(c: ChangeContext, change: IncidentChange): Promise<void> {
  const matrix = c.ctx.policy.matrix;
  switch (change.kind) {
    case "declared":
      if (isCommunicating(matrix, c.incident.priority)) await notice(c, false);
      return;
    case "priority.changed": {
      const was = isCommunicating(matrix, change.from);
      const is = isCommunicating(matrix, c.incident.priority);
      const open = c.incident.status !== "resolved" && c.incident.status !== "closed";
      if (!was && is && open) await notice(c, true);
      else if (was && !is) await armPromise(c.uow, c.incident, null, c.now);
      else if (is && open) await armPromise(c.uow, c.incident, nextUpdateAt(c.ctx.policy, c.incident.priority, c.now), c.now);
      return;
    }
    case "status.changed":
      return statusChanged(c, change.from, change.text);
    case "closed":
      await c.uow.timers.cancel(c.incident.id, [...CADENCE_KINDS, ...REPORT_KINDS]);
      return;
    default:
      return;
  }
}
