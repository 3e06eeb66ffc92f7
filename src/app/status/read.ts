/**
 * The status page's view, read fresh on every request at the bot's clock (no cache: replicas share
 * only the database, so an answer is never older than the last commit). `internal` is the
 * token-protected page: private services and every incident of the window.
 */
import { buildStatusPage, statusQuery, type StatusPageView } from "../../domain/status/model.js";
import type { AppContext } from "../context.js";

export async function readStatusPage(ctx: AppContext, opts: { internal: boolean }): Promise<StatusPageView> {
  const now = ctx.clock.now();
  const data = await ctx.store.transaction((uow) => uow.status.window(statusQuery(ctx.policy, now, opts.internal)));
  return buildStatusPage(ctx.policy, data, now, opts.internal);
}
