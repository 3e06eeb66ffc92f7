/** `/incident stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--customer …] [--nature …]`: the KPIs. */
import { DateTime } from "luxon";
import type { AppContext } from "../app/context.js";
import { statsText } from "../domain/kpi/stats.js";
import type { Reply } from "./reply.js";
import type { Command } from "./types.js";

type StatsCommand = Extract<Command, { name: "stats" }>;

/** The period in the policy timezone: whole local days, `to` inclusive; the last 30 days by default. */
export function statsPeriod(cmd: Pick<StatsCommand, "from" | "to">, now: Date, zone: string): { from: Date; to: Date; text: string } {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const to = cmd.to ? DateTime.fromISO(cmd.to, { zone }) : today;
  const from = cmd.from ? DateTime.fromISO(cmd.from, { zone }) : to.minus({ days: 29 });
  return { from: from.toJSDate(), to: to.plus({ days: 1 }).toJSDate(), text: `from ${from.toISODate()} to ${to.toISODate()} (${zone})` };
}

export async function runStats(ctx: AppContext, cmd: StatsCommand): Promise<Reply> {
  const period = statsPeriod(cmd, ctx.clock.now(), ctx.policy.businessHours.timezone);
  const stats = await ctx.store.transaction((uow) => uow.stats.compute({ from: period.from, to: period.to, customer: cmd.customer, nature: cmd.nature }));
  const scope = [cmd.customer ? `customer ${cmd.customer}` : null, cmd.nature ? `nature ${cmd.nature}` : null].filter(Boolean).join(", ");
  return { ephemeral: true, text: statsText(stats, `${period.text}${scope ? `, ${scope}` : ""}`) };
}
