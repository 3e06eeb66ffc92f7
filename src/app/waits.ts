/**
 * What a timer handler throws when its work cannot run yet but is not failing: the scheduler does not
 * count the attempt. Recognised by their fields (`waitFor`, `deferUntil`), so the scheduler needs no
 * import from the app.
 */

/** The work waits for an event (e.g. the war room's summary pinned): parked until the signal is raised. */
export class WaitForSignal extends Error {
  constructor(
    readonly waitFor: string,
    what: string,
  ) {
    super(what);
  }
}

/** The work may run at `deferUntil` (e.g. the channel's next send slot), not before. */
export class DeferUntil extends Error {
  constructor(readonly deferUntil: Date) {
    super(`deferred until ${deferUntil.toISOString()}`);
  }
}

/** The signal raised once an incident's war room on a platform is ready for other posts (or given up). */
export const roomSignal = (incidentId: number, platform: string): string => `room:${incidentId}:${platform}`;
