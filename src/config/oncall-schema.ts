/**
 * Validation of the `schedules` policy key (on-call schedules, `src/domain/oncall/schedule.ts`).
 * `policy-schema.ts` plugs it in; that escalation targets name existing schedules is checked there.
 */
import { z } from "zod";
import { WEEKDAYS, type Weekday } from "../domain/policy.js";
import { endTimeSchema, localDateSchema, textSchema, timeSchema, timezoneSchema } from "./primitives-schema.js";
import type { Schedule } from "../domain/oncall/schedule.js";

/** A chat id as the platform gives it: a YAML number (Discord snowflake) is taken as text. */
const chatId = textSchema;

const PERIOD = 'must be "daily", "weekly" or a number of hours such as { hours: 12 }';
const period = z.union([z.enum(["daily", "weekly"]), z.strictObject({ hours: z.number().int().positive().max(24 * 28) })], { error: PERIOD });

/** "weekdays", "weekends", "all" or a list of mon…sun. */
const DAYS = 'must be a list of days (mon, tue, wed, thu, fri, sat, sun) or "weekdays", "weekends", "all"';
const days = z.preprocess(
  (v) => (v === "weekdays" ? WEEKDAYS.slice(0, 5) : v === "weekends" ? ["sat", "sun"] : v === "all" ? [...WEEKDAYS] : v),
  z.array(z.enum(WEEKDAYS as unknown as [Weekday, ...Weekday[]]), { error: DAYS }).min(1, { error: DAYS }),
);

export const windowSchema = z
  .strictObject({ days, start: timeSchema, end: endTimeSchema })
  .refine((w) => w.start !== w.end, { error: "must not start and end at the same time (leave windows out for all day)", path: ["end"] });

const participants = z
  .record(z.string(), z.array(chatId).min(1, { error: "must list at least one participant" }))
  .refine((p) => Object.keys(p).length > 0, { error: "must name participants on at least one platform, e.g. { console: [alice, bob] }" });

export const layerSchema = z.strictObject({
  name: z.string().trim().min(1),
  participants,
  handOff: timeSchema.default("09:00"),
  period,
  start: localDateSchema,
  windows: z.array(windowSchema).min(1).optional(),
  holidays: z.enum(["any", "never", "only", "all-day"], { error: 'must be "any", "never", "only" or "all-day"' }).default("any"),
});

export const scheduleSchema = z.strictObject({
  timezone: timezoneSchema,
  layers: z.array(layerSchema).min(1, { error: "must list at least one layer" }),
});

const NAME = 'must be a schedule name of letters, digits, "_" or "-", e.g. "desk"';
export const schedulesSchema = z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: NAME }), scheduleSchema);

const _isSchedule = (s: z.output<typeof scheduleSchema>): Schedule => s;
void _isSchedule;
