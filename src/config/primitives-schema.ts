/**
 * The value kinds both the policy and the on-call schedules are written in — local times, days, time
 * zones — validated once, with the same sentences wherever they appear.
 */
import { z } from "zod";

export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** "24:00" may end a day. */
export const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const timeSchema = z.string({ error: 'must be a time "HH:MM" from 00:00 to 23:59' }).regex(TIME, {
  error: 'must be a time "HH:MM" from 00:00 to 23:59',
});
export const endTimeSchema = z
  .string({ error: 'must be a time "HH:MM" from 00:00 to 24:00' })
  .regex(END_TIME, { error: 'must be a time "HH:MM" from 00:00 to 24:00' });

export const timezoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat(undefined, { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone such as "Europe/Paris" or "America/New_York"' },
);

/** "YYYY-MM-DD" naming a real day. A YAML date that became a `Date` is read back as its UTC day. */
const DATE_MESSAGE = 'must be a date "YYYY-MM-DD"';
export const localDateSchema = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string({ error: DATE_MESSAGE }).refine((s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === s;
  }, { error: `${DATE_MESSAGE} naming a real day` }),
);

/** Non-empty text, trimmed; a YAML number is taken as text (a Discord snowflake, a label value). */
export const textSchema = z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().trim().min(1));

function isHttpUrl(s: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

export const httpUrlSchema = z.string().refine(isHttpUrl, { error: "must be an http:// or https:// URL" });
