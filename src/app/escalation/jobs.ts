/** The escalation ladder's timer kinds and their handlers (registered in src/app/jobs/index.ts). */
import type { AppContext } from "../context.js";
import type { TimerJobHandler } from "../ports.js";
import { deliverEmailPage, deliverRoomPage, deliverWebhookPage } from "./deliveries.js";
import { ACK_TIMEOUT, PAGE_EMAIL, PAGE_ROOM, PAGE_WEBHOOK, RESOLVE_BY_BREACH, RESPOND_BY_MISSED } from "./kinds.js";
import { onRespondByMissed } from "./respond-by.js";
import { onAckTimeout } from "./ladder.js";
import { onResolveByBreach } from "./managerial.js";

export function escalationJobs(ctx: AppContext): Record<string, TimerJobHandler> {
  return {
    [ACK_TIMEOUT]: (job) => onAckTimeout(ctx, job),
    [RESOLVE_BY_BREACH]: (job) => onResolveByBreach(ctx, job),
    [RESPOND_BY_MISSED]: (job) => onRespondByMissed(ctx, job),
    [PAGE_ROOM]: (job) => deliverRoomPage(ctx, job),
    [PAGE_WEBHOOK]: (job) => deliverWebhookPage(ctx, job),
    [PAGE_EMAIL]: (job) => deliverEmailPage(ctx, job),
  };
}
