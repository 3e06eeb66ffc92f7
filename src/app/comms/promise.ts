/**
 * The "next update at" promise as a durable timer: `comms.update_due` at the promised time, then
 * `comms.update_late` at time + grace (armed by the first). Re-arming cancels the pending ones; a
 * timer that was already claimed sees the promise moved and does nothing.
 */
import type { Incident } from "../../domain/incident.js";
import type { UnitOfWork } from "../ports.js";
import { requestSummarySync } from "../warroom.js";

export const UPDATE_DUE = "comms.update_due";
export const UPDATE_LATE = "comms.update_late";
export const REPORT_REMINDER = "comms.report_reminder";
export const REPORT_DUE = "comms.report_due";
export const CADENCE_KINDS = [UPDATE_DUE, UPDATE_LATE];
export const REPORT_KINDS = [REPORT_REMINDER, REPORT_DUE];

/**
 * Sets (or clears, with null) the promise and its timer; returns the incident as it now is. The
 * pinned summary shows "Next update", so a moved promise refreshes it.
 */
export async function armPromise(uow: UnitOfWork, i: Incident, next: Date | null, now: Date): Promise<Incident> {
  await uow.timers.cancel(i.id, CADENCE_KINDS);
  await uow.incidents.update(i.id, { nextUpdateAt: next });
  if ((i.nextUpdateAt?.getTime() ?? null) !== (next?.getTime() ?? null)) await requestSummarySync(uow, i, now);
  if (next) {
    await uow.timers.schedule({ kind: UPDATE_DUE, key: `${UPDATE_DUE}:${i.id}:${next.toISOString()}`, incidentId: i.id, dueAt: next, payload: { dueAt: next.toISOString() } });
  }
  return { ...i, nextUpdateAt: next };
}

/** Is `dueAt` (a timer's payload) still the incident's promise? Otherwise the timer is stale. */
export function stillPromised(i: Incident, dueAt: unknown): boolean {
  return i.nextUpdateAt !== null && i.nextUpdateAt.toISOString() === dueAt && i.status !== "resolved" && i.status !== "closed";
}
