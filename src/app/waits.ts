/**
 * What a timer handler throws when its work cannot run yet but is not failing: the scheduler does not
 * count the attempt. Recognised by their fields (`waitFor`, `deferUntil`), so the scheduler needs no
 * import from the app.
 */
import type { Clock } from "../domain/clock.js";
import type { ChatPort, Store } from "./ports.js";

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

/**
 * Takes the channel's send slot before a post, shared by every replica; when another post holds it,
 * the work is deferred to the slot (the scheduler runs it again then, the attempt not counted).
 */
export async function takeSendSlot(ctx: { store: Store; clock: Clock }, chat: ChatPort, channel: string): Promise<void> {
  const gap = chat.sendIntervalMs ?? 0;
  if (gap <= 0) return;
  const next = await ctx.store.transaction((uow) => uow.slots.take(chat.platform, channel, ctx.clock.now(), gap));
  if (next) throw new DeferUntil(next);
}
