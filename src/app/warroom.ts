/**
 * War rooms and the pinned summary. Opening is a durable timer (`warroom.open`), so a chat outage
 * while declaring is retried, and the summary is re-rendered from the stored incident by
 * `summary.sync` after every change, so the pinned message always shows the latest state.
 */
import { randomUUID } from "node:crypto";
import { isCommunicating } from "../domain/classification.js";
import type { Incident, WarRoom } from "../domain/incident.js";
import { warRoomName } from "../domain/reference.js";
import type { Policy } from "../domain/policy.js";
import type { UnitOfWork } from "./ports.js";

export const WARROOM_OPEN = "warroom.open";
export const SUMMARY_SYNC = "summary.sync";

/** Channel-name limits of each platform (Slack 80, Discord 100). */
const NAME_LIMITS: Record<string, number> = { slack: 80, discord: 100 };

export function roomNameFor(policy: Policy, i: Incident): string {
  return warRoomName(i.seq, i.declaredAt, i.title, policy.businessHours.timezone, NAME_LIMITS[i.platform] ?? 80);
}

/**
 * A war room is ready for other messages once its summary is pinned, so the summary stays its first
 * message; on a delivery's last attempt an existing room is good enough.
 */
export function warRoomReady(room: Pick<WarRoom, "summaryMessageId"> | null | undefined, lastAttempt: boolean): boolean {
  return !!room && (room.summaryMessageId !== null || lastAttempt);
}

/** The outbox key of an incident's announcement to stakeholders (posted once its war room exists). */
export function announcementKey(i: Pick<Incident, "id" | "platform">): string {
  return `announce:${i.id}:${i.platform}`;
}

/** The outbox key of the initial notice in the war room (communications, posted after the summary). */
export function noticeKey(i: Pick<Incident, "id" | "platform" | "nextUpdateAt">): string {
  return `notice:${i.id}:${i.platform}:${i.nextUpdateAt?.toISOString() ?? "none"}`;
}

/** Schedules the war room of a P1/P2 (idempotent per incident and platform). */
export async function requestWarRoom(policy: Policy, uow: UnitOfWork, i: Incident, now: Date): Promise<boolean> {
  if (!isCommunicating(policy.matrix, i.priority)) return false;
  await uow.timers.schedule({
    kind: WARROOM_OPEN,
    key: `warroom:${i.id}:${i.platform}`,
    incidentId: i.id,
    dueAt: now,
    payload: { platform: i.platform },
  });
  return true;
}

/** Schedules a re-render of the pinned summary wherever the incident has a war room. */
export async function requestSummarySync(uow: UnitOfWork, i: Incident, now: Date): Promise<void> {
  await uow.timers.schedule({
    kind: SUMMARY_SYNC,
    key: `summary:${i.id}:${randomUUID()}`,
    incidentId: i.id,
    dueAt: now,
  });
}

/** Where a notice about an incident goes: its war room (P1/P2), else the channel it was declared in. */
export function noticeTarget(policy: Policy, i: Incident): string {
  return isCommunicating(policy.matrix, i.priority) ? "warroom" : i.originChannel;
}
