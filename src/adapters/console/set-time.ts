/** `:at 2026-11-24 03:00`: how far to move the console's clock to reach a local time. */
import { DateTime } from "luxon";

/** Milliseconds from `now` to the local time `text` in `timezone`, or null when it is not one. */
export function shiftTo(text: string, now: Date, timezone: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(text.trim());
  if (!m) return null;
  const at = DateTime.fromISO(`${m[1]}T${m[2]}`, { zone: timezone });
  return at.isValid ? at.toMillis() - now.getTime() : null;
}
