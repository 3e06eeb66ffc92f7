/**
 * `/incident update <text> [--next 45m]`: a structured update to the war room and announcements,
 * logged, on time or not against the promise it keeps, and a new promise armed.
 */
import { isCommunicating } from "../../domain/classification.js";
import { isOnTime, nextUpdateAt } from "../../domain/comms/cadence.js";
import { updateView } from "../../domain/comms/messages.js";
import type { Incident } from "../../domain/incident.js";
import { refusal, RefusalError } from "../../domain/refusal.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import { armPromise } from "./promise.js";
import { say, stakeholderTargets } from "./post.js";
import { publicText } from "../../domain/comms/public.js";

export interface UpdateInput {
  text: string;
  /** When the next update will come, from now; the priority's cadence when absent. */
  nextMs?: number | null | undefined;
  incident?: string | undefined;
}

export interface Updated {
  incident: Incident;
  onTime: boolean;
  next: Date | null;
  /** Whether stakeholders were sent it (a P1/P2 under the default matrix), or only this channel. */
  toStakeholders: boolean;
}

export async function postUpdate(ctx: AppContext, inv: Invocation, input: UpdateInput): Promise<Updated> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    if (i.status === "resolved") {
      throw new RefusalError(
        refusal("E_INCIDENT_RESOLVED", `${i.reference} is resolved and its all-clear was posted; to work on it again, run /incident reopen <reason>.`, { reference: i.reference }),
      );
    }
    const now = ctx.clock.now();
    const onTime = isOnTime(ctx.policy, i.nextUpdateAt, now);
    const next = nextUpdateAt(ctx.policy, i.priority, now, input.nextMs);
    const updated = await armPromise(uow, i, next, now);
    const communicating = isCommunicating(ctx.policy.matrix, i.priority);
    // The log keeps the public wording (what stakeholders read); the war room sees the same words.
    await say(ctx, uow, updated, { kind: "update", actor: inv.userId, text: publicText(input.text), message: updateView(ctx.policy, updated, input.text, next), targets: stakeholderTargets(communicating, inv.channelId), public: { kind: "update", text: input.text, next } }, now);
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: inv.userId,
      kind: "update.posted",
      data: { text: input.text, onTime, dueAt: i.nextUpdateAt?.toISOString() ?? null, next: next?.toISOString() ?? null, auto: false },
    });
    return { incident: updated, onTime, next, toStakeholders: communicating };
  });
}
