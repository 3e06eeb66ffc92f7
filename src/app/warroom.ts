/**
 * War rooms and the pinned summary. Opening is a durable timer (`warroom.open`), so a chat outage
 * while declaring is retried, and the summary is re-rendered from the stored incident by
 * `summary.sync` after every change, so the pinned message always shows the latest state.
 */
import { isCommunicating } from "../domain/classification.js";
import type { Incident, WarRoom } from "../domain/incident.js";
import { warRoomName } from "../domain/reference.js";
import type { Policy } from "../domain/policy.js";
import type { UnitOfWork } from "./ports.js";
import { roomSignal } from "./waits.js";

/**
 * Opening a war room is a chain of steps, each its own keyed timer whose result is stored the moment
 * the platform returns it, so a retry (on any replica, after any crash) redoes only the step that
 * failed: create the channel (its id stored at once) → invite + topic, and post the summary (its
 * message id stored at once) → pin it. The pin step marks the room ready and raises `roomSignal`,
 * which releases the posts and page mentions that wait for the room.
 */
export const WARROOM_OPEN = "warroom.open";
export const WARROOM_INVITE = "warroom.invite";
export const WARROOM_TOPIC = "warroom.topic";
export const WARROOM_SUMMARY = "warroom.summary";
export const WARROOM_PIN = "warroom.pin";
export const SUMMARY_SYNC = "summary.sync";

/** The key of one step of opening an incident's war room on a platform. */
export const warRoomStepKey = (step: string, incidentId: number, platform: string): string =>
  step === WARROOM_OPEN ? `warroom:${incidentId}:${platform}` : `${step}:${incidentId}:${platform}`;

/** Channel-name limits of each platform (Slack 80, Discord 100). */
const NAME_LIMITS: Record<string, number> = { slack: 80, discord: 100 };

export function roomNameFor(policy: Policy, i: Incident): string {
  return warRoomName(i.seq, i.declaredAt, i.title, policy.businessHours.timezone, NAME_LIMITS[i.platform] ?? 80);
}

/** What a post into the war room finds: the room ready, a room to wait for, or none to come. */
export type RoomState = { ready: WarRoom } | { waitFor: string } | { none: string };

/**
 * A war room is ready for other messages once its summary is pinned, so the summary stays its first
 * message. Until then a post waits for the room's signal (raised when it is ready, or when opening it
 * was given up): no polling. An incident that has no war room coming (not a P1/P2) has none.
 * `rooms`: the incident's war rooms, when the caller has just read them.
 */
export async function warRoomFor(policy: Policy, uow: UnitOfWork, i: Incident, platform: string, rooms?: WarRoom[]): Promise<RoomState> {
  const find = (list: WarRoom[]) => list.find((r) => r.platform === platform);
  const room = find(rooms ?? (await uow.incidents.warRooms(i.id)));
  if (room?.readyAt) return { ready: room };
  const signal = roomSignal(i.id, platform);
  if (await uow.timers.signalled(signal)) {
    // Rooms read before the signal was raised may miss a room opened since: read them again.
    const opened = room ?? (rooms ? find(await uow.incidents.warRooms(i.id)) : undefined);
    return opened ? { ready: opened } : { none: "the incident has no war room" };
  }
  if (!room && !isCommunicating(policy.matrix, i.priority)) return { none: "the incident has no war room (not a P1/P2)" };
  return { waitFor: signal };
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

/**
 * Schedules a re-render of the pinned summary wherever the incident has a war room: one row per
 * incident, replaced by each change (it renders the stored state, so ten changes need one run).
 */
export async function requestSummarySync(uow: UnitOfWork, i: Incident, now: Date): Promise<void> {
  await uow.timers.schedule({
    kind: SUMMARY_SYNC,
    key: `summary:${i.id}`,
    incidentId: i.id,
    dueAt: now,
    replace: true,
  });
}

/**
 * Lets people into the war room after it was opened (a role given later, a responder who joined):
 * the invite step again, for these users only. Before the room exists, opening it invites the role
 * holders itself.
 */
export async function requestInvite(uow: UnitOfWork, i: Incident, users: string[], now: Date): Promise<void> {
  for (const room of (await uow.incidents.warRooms(i.id)).filter((r) => !r.archivedAt)) {
    await uow.timers.schedule({ kind: WARROOM_INVITE, key: `${warRoomStepKey(WARROOM_INVITE, i.id, room.platform)}:${users.join(",")}:${now.toISOString()}`, incidentId: i.id, dueAt: now, payload: { platform: room.platform, users } });
  }
}

/** Where a notice about an incident goes: its war room (P1/P2), else the channel it was declared in. */
export function noticeTarget(policy: Policy, i: Incident): string {
  return isCommunicating(policy.matrix, i.priority) ? "warroom" : i.originChannel;
}
