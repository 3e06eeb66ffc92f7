/** The timer kinds the use cases schedule, and the handler of each. */
import type { AppContext } from "../context.js";
import { escalationJobs } from "../escalation/jobs.js";
import type { TimerJobHandler } from "../ports.js";
import { SUMMARY_SYNC, WARROOM_INVITE, WARROOM_OPEN, WARROOM_PIN, WARROOM_SUMMARY, WARROOM_TOPIC } from "../warroom.js";
import { commsJobs } from "../comms/jobs.js";
import { calendarJobs } from "../review/calendar.js";
import { deliver } from "./deliver.js";
import { inviteToWarRoom, openWarRoom, pinWarRoomSummary, postWarRoomSummary, setWarRoomTopic } from "./open-war-room.js";
import { syncSummary } from "./sync-summary.js";
import { archiveWarRooms, WARROOM_ARCHIVE } from "../rca/archive.js";
import { oncallJobs } from "../oncall/jobs.js";

export const DELIVER = "deliver";

export function jobHandlers(ctx: AppContext): Record<string, TimerJobHandler> {
  return {
    [WARROOM_OPEN]: (job) => openWarRoom(ctx, job),
    [WARROOM_INVITE]: (job) => inviteToWarRoom(ctx, job),
    [WARROOM_TOPIC]: (job) => setWarRoomTopic(ctx, job),
    [WARROOM_SUMMARY]: (job) => postWarRoomSummary(ctx, job),
    [WARROOM_PIN]: (job) => pinWarRoomSummary(ctx, job),
    [SUMMARY_SYNC]: (job) => syncSummary(ctx, job),
    [DELIVER]: (job) => deliver(ctx, job),
    ...commsJobs(ctx),
    ...calendarJobs(ctx),
    ...escalationJobs(ctx),
    [WARROOM_ARCHIVE]: (job) => archiveWarRooms(ctx, job),
    ...oncallJobs(ctx),
  };
}
