/**
 * Times and dates typed in RCA commands, read in the policy's timezone: `14:05` is today there,
 * `2026-10-24T14:05` / `2026-10-24 14:05` a local time, an ISO time with an offset is taken as is.
 */
import { DateTime } from "luxon";
import { fail, ok, refusal, type Result } from "../refusal.js";

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/;

function bad(raw: string): Result<Date> {
  return fail(
    refusal("E_BAD_ARGUMENT", `"${raw}" is not a time: give HH:MM (today) or an ISO time such as 2026-10-24T14:05.`, { at: raw }),
  );
}

/** `raw` is "HH:MM", a local "YYYY-MM-DD HH:MM" / "YYYY-MM-DDTHH:MM", or ISO with an offset. */
export function parseTimelineTime(raw: string, now: Date, timezone: string): Result<Date> {
  const text = raw.trim();
  let at: DateTime;
  const hm = HHMM.exec(text);
  if (hm) {
    const today = DateTime.fromJSDate(now, { zone: timezone });
    at = today.set({ hour: Number(hm[1]), minute: Number(hm[2]), second: 0, millisecond: 0 });
  } else if (LOCAL.test(text)) {
    at = DateTime.fromISO(text.replace(" ", "T"), { zone: timezone });
  } else {
    at = DateTime.fromISO(text, { setZone: true });
  }
  if (!at.isValid) return bad(raw);
  if (at.toMillis() > now.getTime()) {
    return fail(refusal("E_BAD_ARGUMENT", `${text} is in the future; the timeline records what already happened.`, { at: raw }));
  }
  return ok(at.toJSDate());
}

/** The words of `timeline add` that make its time: one word, or a date and a time. */
export function splitTimeWords(words: readonly string[]): { time: string; rest: string[] } {
  if (words.length >= 2 && /^\d{4}-\d{2}-\d{2}$/.test(words[0]!) && HHMM.test(words[1]!)) {
    return { time: `${words[0]} ${words[1]}`, rest: words.slice(2) };
  }
  return { time: words[0] ?? "", rest: words.slice(1) };
}

/** "YYYY-MM-DD" naming a real day. */
export function isLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid;
}
