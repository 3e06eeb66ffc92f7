/**
 * `/incident oncall`: who is on call (now or --at a time) and next, overrides included and listed;
 * `override` / `override remove`; `cover` (a request with an Accept button) and `cover accept` (the button).
 */
import { DateTime } from "luxon";
import { parseDuration } from "../domain/duration.js";
import { acceptCover, addOverride, askCover, removeOverride } from "../app/oncall/manage.js";
import type { AppContext, Invocation } from "../app/context.js";
import { nextChange, whoIsOnCall } from "../domain/oncall/overrides.js";
import type { OnCall } from "../domain/oncall/schedule.js";
import { refusal, RefusalError } from "../domain/refusal.js";
import type { Reply } from "./reply.js";
import type { OncallCommand } from "./types.js";

const who = (o: OnCall | null): string => (o ? `${o.people.map((p) => `@${p}`).join(" ")} (${o.layer})` : "nobody");
const local = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).toFormat("ccc yyyy-LL-dd HH:mm");

/**
 * "2026-03-30 09:00" (or ISO, with or without an offset; "now") read in `zone`; a clock time alone
 * ("18:00") is its next occurrence after `after` in `zone`; a duration ("2h", "+90m") counts from `after`.
 * `after` is now, or --from's instant for --to.
 */
export function instant(flag: string, at: string, zone: string, now: Date, after: Date = now): Date {
  const t = at.trim();
  if (t.toLowerCase() === "now") return now;
  const clock = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (clock) {
    const base = DateTime.fromJSDate(after, { zone });
    let d = base.set({ hour: Number(clock[1]), minute: Number(clock[2]), second: 0, millisecond: 0 });
    if (d.isValid && d <= base) d = d.plus({ days: 1 });
    if (d.isValid && Number(clock[1]) < 24 && Number(clock[2]) < 60) return d.toJSDate();
  }
  const span = flag === "from" || flag === "at" ? null : parseDuration(t.replace(/^\+/, ""));
  if (span !== null) return new Date(after.getTime() + span);
  const d = DateTime.fromISO(t.replace(" ", "T"), { zone });
  if (!d.isValid) throw new RefusalError(refusal("E_BAD_ARGUMENT", `--${flag} takes a time such as "2026-03-30 09:00" or "18:00"${flag === "from" || flag === "at" ? "" : ", or a duration such as 2h"} (got "${at}").`, {}));
  return d.toJSDate();
}

async function show(ctx: AppContext, inv: Invocation, cmd: Extract<OncallCommand, { op?: undefined }>): Promise<Reply> {
  const { schedules, businessHours } = ctx.policy;
  const names = cmd.schedule ? [cmd.schedule] : Object.keys(schedules);
  if (names.length === 0) return { ephemeral: true, text: "No on-call schedules: add them under `schedules` in the policy file (see examples/oncall.yaml)." };
  const zone = cmd.schedule ? schedules[cmd.schedule]!.timezone : businessHours.timezone;
  const now = ctx.clock.now();
  const at = cmd.at ? instant("at", cmd.at, zone, now) : now;
  const all = await ctx.store.transaction((uow) => uow.oncall.overrides(at < now ? at : now));
  const lines = names.flatMap((name) => {
    const s = schedules[name]!;
    const overrides = all.filter((o) => o.schedule === name);
    const current = whoIsOnCall(s, overrides, at, inv.platform, businessHours.holidays);
    const change = nextChange(s, overrides, at, businessHours.holidays, inv.platform);
    const next = change ? `next: ${who(whoIsOnCall(s, overrides, change, inv.platform, businessHours.holidays))} from ${local(change, s.timezone)}` : "no change in the next 60 days";
    const listed = cmd.schedule
      ? overrides.filter((o) => o.to > now).map((o) => `  override #${o.id}: @${o.userId} from ${local(o.from, s.timezone)} to ${local(o.to, s.timezone)}${o.platform === inv.platform ? "" : ` (${o.platform})`}`)
      : [];
    return [`• ${name}: ${who(current)}; ${next} (${s.timezone})`, ...listed];
  });
  const when = cmd.at ? `at ${local(at, zone)} (${zone})` : "now";
  return { ephemeral: true, text: [`On call ${when}:`, ...lines].join("\n") };
}

export async function runOncall(ctx: AppContext, inv: Invocation, cmd: OncallCommand): Promise<Reply> {
  const now = ctx.clock.now();
  switch (cmd.op) {
    case undefined:
      return show(ctx, inv, cmd);
    case "override": {
      const zone = ctx.policy.schedules[cmd.schedule]!.timezone;
      const from = instant("from", cmd.from, zone, now);
      const o = await addOverride(ctx, inv, { schedule: cmd.schedule, user: cmd.user, from, to: instant("to", cmd.to, zone, now, from) });
      return { ephemeral: false, text: `Override #${o.id}: @${o.userId} is on call on ${o.schedule} from ${local(o.from, zone)} to ${local(o.to, zone)} (${zone}). Undo: /incident oncall override remove ${o.id}` };
    }
    case "remove": {
      const o = await removeOverride(ctx, inv, cmd.n);
      const zone = ctx.policy.schedules[o.schedule]!.timezone;
      return { ephemeral: false, text: `Override #${o.id} removed: @${o.userId} is no longer on call on ${o.schedule} from ${local(o.from, zone)} to ${local(o.to, zone)}.` };
    }
    case "cover": {
      const zone = ctx.policy.schedules[cmd.schedule]!.timezone;
      const { request } = await askCover(ctx, inv, cmd.schedule, instant("until", cmd.until, zone, now));
      return { ephemeral: true, text: `Cover request #${request.id} posted: whoever accepts takes your shifts on ${request.schedule} until ${local(request.until, zone)} (${zone}).` };
    }
    case "accept": {
      const { request, overrides } = await acceptCover(ctx, inv, cmd.n);
      const zone = ctx.policy.schedules[request.schedule]!.timezone;
      const spans = overrides.map((o) => `${local(o.from, zone)} → ${local(o.to, zone)} (override #${o.id})`).join(", ");
      return { ephemeral: true, text: `Thank you: you cover @${request.askedBy} on ${request.schedule}, ${spans}.` };
    }
  }
}
