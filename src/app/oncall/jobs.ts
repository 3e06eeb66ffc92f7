/** The on-call timer kinds and their handlers. */
import type { AppContext } from "../context.js";
import type { TimerJobHandler } from "../ports.js";
import { COVER_UPDATE, updateCoverMessage } from "./manage.js";
import { onHandOff, SHIFT_HANDOFF } from "./shift-notices.js";

export function oncallJobs(ctx: AppContext): Record<string, TimerJobHandler> {
  return {
    [SHIFT_HANDOFF]: (job) => onHandOff(ctx, job),
    [COVER_UPDATE]: (job) => updateCoverMessage(ctx, job),
  };
}
