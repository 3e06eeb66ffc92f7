/**
 * Times and dates typed in RCA commands, read in the policy's timezone: `14:05` is the last 14:05
 * there (today, or yesterday when today's is still to come), `2026-10-24T14:05` / `2026-10-24 14:05`
 * a local time, an ISO time with an offset is taken as is. A timeline entry may describe what led up
 * to the declaration, but not more than LEAD_DAYS before it; a due date is today or later.
 */
import { DateTime } from "luxon";
import { fail, ok, refusal, type Result } from "../refusal.js";
import { formatTime } from "../views.js";

/**
 * How long before the declaration a timeline entry may be. The story often starts before anyone
 * declared (a deploy the evening before, alerts ignored over a weekend); a week covers those, and a
 * typo in the year (1999-01-01) or the month is refused rather than put first in the report.
 */
export const LEAD_DAYS = 7;

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/;

function bad(raw: string): Result<Date> {
  return fail(
    refusal("E_BAD_ARGUMENT", `"${raw}" is not a time: give HH:MM (the last such time) or an ISO time such as 2026-10-24T14:05.`, { at: raw }),
  );
}

/**
 * `raw` is "HH:MM", a local "YYYY-MM-DD HH:MM" / "YYYY-MM-DDTHH:MM", or ISO with an offset; the
 * incident was declared at `declaredAt`. "20:15" typed at 05:12 is yesterday evening.
 */
export function parseTimelineTime(raw: string, now: Date, timezone: string, declaredAt: Date): Result<Date> {
  const text = raw.trim();
  let at: DateTime;
  const hm = HHMM.exec(text);
  if (hm) {
    const today = DateTime.fromJSDate(now, { zone: timezone });
    at = today.set({ hour: Number(hm[1]), minute: Number(hm[2]), second: 0, millisecond: 0 });
    if (at.toMillis() > now.getTime()) at = at.minus({ days: 1 }).set({ hour: Number(hm[1]), minute: Number(hm[2]) });
  } else if (LOCAL.test(text)) {
    at = DateTime.fromISO(text.replace(" ", "T"), { zone: timezone });
  } else {
    at = DateTime.fromISO(text, { setZone: true });
  }
  if (!at.isValid) return bad(raw);
  if (at.toMillis() > now.getTime()) {
    return fail(refusal("E_BAD_ARGUMENT", `${text} is in the future; the timeline records what already happened.`, { at: raw }));
  }
  if (at.toMillis() < declaredAt.getTime() - LEAD_DAYS * 86_400_000) {
    const declared = formatTime(declaredAt, timezone);
    return fail(
      refusal("E_BAD_ARGUMENT", `${text} is more than ${LEAD_DAYS} days before the incident was declared (${declared}); check the date: the timeline tells this incident's story.`, { at: raw }),
    );
  }
  return ok(at.toJSDate());
}

/** A due date ("YYYY-MM-DD", already checked to be a day) that is today or later in the zone. */
export function checkDueDate(due: string, now: Date, timezone: string): Result<string> {
  const today = DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
  if (due < today) {
    return fail(refusal("E_BAD_ARGUMENT", `The due date ${due} is in the past (today is ${today}); give today or a later day, such as --due ${DateTime.fromISO(today).plus({ days: 7 }).toISODate()}.`, { due }));
  }
  return ok(due);
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
