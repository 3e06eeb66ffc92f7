/** Overrides as the use cases read them: by schedule, those still to come or in force. */
import type { Override } from "../../domain/oncall/overrides.js";
import type { UnitOfWork } from "../ports.js";

export async function overridesBySchedule(uow: UnitOfWork, now: Date): Promise<Record<string, Override[]>> {
  const out: Record<string, Override[]> = {};
  for (const o of await uow.oncall.overrides(now)) (out[o.schedule] ??= []).push(o);
  return out;
}
