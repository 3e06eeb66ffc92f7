/** The replies of the escalation subcommands. */
import type { AppContext, Invocation } from "../app/context.js";
import { escalate } from "../app/escalation/managerial.js";
import { levelText } from "../domain/escalation/ladder.js";
import type { Reply } from "./reply.js";

export async function runEscalate(ctx: AppContext, inv: Invocation, cmd: { reason: string; incident?: string | undefined }): Promise<Reply> {
  const r = await escalate(ctx, inv, cmd.reason, cmd.incident);
  return { about: r.incident, ephemeral: false, text: `${r.incident.reference} escalated to ${levelText(r.step)} by @${inv.userId}: ${cmd.reason}` };
}
