/**
 * `/incident close --customer-confirmed <closing comment>`: the closure gate. A refused close lists
 * every missing item at once; a close records the comment and the customer's agreement, sets the
 * status to closed through the lifecycle and tells the reactions (the war room is archived later).
 */
import type { Incident } from "../../domain/incident.js";
import { closureGaps } from "../../domain/rca/gate.js";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import { refusal, RefusalError, unwrap } from "../../domain/refusal.js";
import { transition } from "../../domain/lifecycle.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import { react } from "../reactions/index.js";
import { requestSummarySync } from "../warroom.js";
import { loadRecord, stateOf } from "./record.js";

export interface CloseInput {
  comment: string;
  customerConfirmed: boolean;
  incident?: string | undefined;
}

export async function closeIncident(ctx: AppContext, inv: Invocation, input: CloseInput): Promise<{ incident: Incident }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    const state = stateOf(await loadRecord(uow, i));
    const gaps = closureGaps(ctx.policy.rca, i, state, input);
    if (gaps.length > 0) {
      const lines = [`${i.reference} cannot be closed yet; missing:`, ...gaps.map((g, n) => `  ${n + 1}. ${g.text}`)];
      throw new RefusalError(refusal("E_CLOSE_BLOCKED", lines.join("\n"), { reference: i.reference, missing: gaps.map((g) => g.code) }));
    }
    const to = unwrap(transition(i.status, "closed", i.reference));
    const now = ctx.clock.now();
    await uow.incidents.update(i.id, { status: to, closedAt: now });
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: inv.userId,
      kind: RCA_EVENTS.closed,
      data: { comment: input.comment.trim(), customerConfirmed: true },
    });
    const closed: Incident = { ...i, status: to, closedAt: now };
    await requestSummarySync(uow, closed, now);
    await react({ ctx, uow, incident: closed, actor: inv.userId, now }, { kind: "closed" });
    return { incident: closed };
  });
}
