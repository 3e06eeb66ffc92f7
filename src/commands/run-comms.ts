/** Replies of the communication subcommands: update, comms. (`report` is in run-rca.ts.) */
import type { AppContext, Invocation } from "../app/context.js";
import { listComms } from "../app/comms/list.js";
import { postUpdate } from "../app/comms/update.js";
import { formatTime } from "../domain/views.js";
import type { Reply } from "./reply.js";
import type { Command } from "./types.js";

type Of<N extends Command["name"]> = Extract<Command, { name: N }>;

export async function runUpdate(ctx: AppContext, inv: Invocation, cmd: Of<"update">): Promise<Reply> {
  const r = await postUpdate(ctx, inv, { text: cmd.text, nextMs: cmd.next, incident: cmd.incident });
  const tz = ctx.policy.businessHours.timezone;
  const next = r.next ? ` Next update by ${formatTime(r.next, tz)}.` : "";
  const late = r.onTime ? "" : " (late: the promised update was recorded as missed)";
  const where = r.toStakeholders ? "posted to stakeholders" : `posted here (${r.incident.priority} incidents are not sent to stakeholders)`;
  return { about: r.incident, ephemeral: false, text: `${r.incident.reference}: update ${where}${late}.${next}` };
}

export async function runComms(ctx: AppContext, inv: Invocation, cmd: Of<"comms">): Promise<Reply> {
  const { incident, comms } = await listComms(ctx, inv, cmd.incident);
  const tz = ctx.policy.businessHours.timezone;
  if (comms.length === 0) return { ephemeral: true, text: `${incident.reference}: no communications yet.` };
  const lines = comms.map((c) => {
    const where = c.deliveries.map((d) => `${d.target} ${d.status}${(d.status === "failed" || d.status === "cancelled") && d.lastError ? ` (${d.lastError})` : d.status === "sent" && d.attempts > 1 ? ` (after ${d.attempts} attempts)` : ""}`).join(", ");
    const text = c.text.length > 120 ? `${c.text.slice(0, 119)}…` : c.text;
    return `  ${formatTime(c.at, tz)} ${c.kind} by @${c.actor}: ${text}${where ? ` → ${where}` : ""}`;
  });
  return { ephemeral: true, text: [`Communications of ${incident.reference}:`, ...lines].join("\n") };
}
