/**
 * How the ladder follows incident changes: becoming a P1/P2 (declared or raised) pages level 1;
 * acknowledgement stops the ladder; resolve and close stop everything still to come; every change
 * that can move resolve-by re-arms the breach timer.
 */
import { isCommunicating } from "../../domain/classification.js";
import type { ChangeContext, IncidentChange } from "../reactions/types.js";
import { ALL_KINDS, LADDER_KINDS } from "./kinds.js";
import { startLadder } from "./ladder.js";
import { armResolveBy } from "./managerial.js";
import { armRespondBy } from "./respond-by.js";
import { noticeView } from "../../domain/views.js";

export async function escalationReaction(c: ChangeContext, change: IncidentChange): Promise<void> {
  const { ctx, uow, incident: i, now } = c;
  switch (change.kind) {
    case "declared":
      await startLadder(ctx, uow, i, now);
      await armResolveBy(uow, i, now);
      await armRespondBy(ctx, uow, i, now);
      return;
    case "priority.changed": {
      const was = isCommunicating(ctx.policy.matrix, change.from);
      const is = isCommunicating(ctx.policy.matrix, i.priority);
      if (!was && is) await startLadder(ctx, uow, i, now);
      if (was && !is) await uow.timers.cancel(i.id, LADDER_KINDS);
      await armResolveBy(uow, i, now);
      if (is) await armRespondBy(ctx, uow, i, now);
      return;
    }
    case "status.changed":
      if (i.status === "resolved") return stopAll(c);
      await armResolveBy(uow, i, now);
      return;
    case "acknowledged":
      await uow.timers.cancel(i.id, LADDER_KINDS);
      await standDown(c);
      return;
    case "closed":
      return stopAll(c);
    default:
      return;
  }
}

/** Everyone else paged by direct message is told who took it, so they can stand down. */
async function standDown({ uow, incident: i, actor, now }: ChangeContext): Promise<void> {
  const paged = new Set((await uow.pages.list(i.id)).filter((p) => p.channel === "dm" && p.target !== actor).map((p) => p.target));
  for (const user of paged) {
    const message = noticeView(i, `${i.reference} was acknowledged by @${actor}: you can stand down (no need to acknowledge).`);
    await uow.outbox.enqueue({ key: `standdown:${i.id}:${user}`, incidentId: i.id, platform: i.platform, target: user, action: "dm", message }, now);
  }
}

async function stopAll({ uow, incident }: ChangeContext): Promise<void> {
  await uow.timers.cancel(incident.id, ALL_KINDS);
  await uow.pages.cancelQueued(incident.id, `incident ${incident.status}`);
}
