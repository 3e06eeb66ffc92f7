/** `/incident oncall [<schedule>] [--at "YYYY-MM-DD HH:MM"]`: who is on call, and who is next and when. */
import { DateTime } from "luxon";
import type { AppContext, Invocation } from "../app/context.js";
import { nextHandOff, onCallAt, type OnCall } from "../domain/oncall/schedule.js";
import { refusal, RefusalError } from "../domain/refusal.js";
import type { Reply } from "./reply.js";
import type { Command } from "./types.js";

type OncallCommand = Extract<Command, { name: "oncall" }>;

const who = (o: OnCall | null): string => (o ? `${o.people.map((p) => `@${p}`).join(" ")} (${o.layer})` : "nobody");
const local = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).toFormat("ccc yyyy-LL-dd HH:mm");

/** "2026-03-30 09:00" (or ISO, with or without an offset) read in `zone`. */
function instant(at: string, zone: string): Date {
  const d = DateTime.fromISO(at.trim().replace(" ", "T"), { zone });
  if (!d.isValid) throw new RefusalError(refusal("E_BAD_ARGUMENT", `--at takes a time such as "2026-03-30 09:00" (got "${at}").`, {}));
  return d.toJSDate();
}

export function runOncall(ctx: AppContext, inv: Invocation, cmd: OncallCommand): Reply {
  const { schedules, businessHours } = ctx.policy;
  const names = cmd.schedule ? [cmd.schedule] : Object.keys(schedules);
  if (names.length === 0) return { ephemeral: true, text: "No on-call schedules: add them under `schedules` in the policy file (see examples/oncall.yaml)." };
  const zone = cmd.schedule ? schedules[cmd.schedule]!.timezone : businessHours.timezone;
  const at = cmd.at ? instant(cmd.at, zone) : ctx.clock.now();
  const lines = names.map((name) => {
    const s = schedules[name]!;
    const now = onCallAt(s, at, inv.platform, businessHours.holidays);
    const change = nextHandOff(s, at, businessHours.holidays);
    const next = change ? `next: ${who(onCallAt(s, change, inv.platform, businessHours.holidays))} from ${local(change, s.timezone)}` : "no change in the next 60 days";
    return `• ${name}: ${who(now)}; ${next} (${s.timezone})`;
  });
  const when = cmd.at ? `at ${local(at, zone)} (${zone})` : "now";
  return { ephemeral: true, text: [`On call ${when}:`, ...lines].join("\n") };
}
