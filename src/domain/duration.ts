/** Durations as people type them (45s, 30m, 2h, 1h30m, 1d) and as the bot writes them (one form). */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or null when the text is not a duration. Zero is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!/^(\d+[smhd])+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * UNIT_MS[unit!]!;
  return ms > 0 ? ms : null;
}

/** Written units, largest first: [label, size in seconds]. */
const WRITTEN = [["d", 86_400], ["h", 3_600], ["min", 60], ["s", 1]] as const;

/**
 * The one written form of a duration, everywhere (chat, report, digests, KPIs): the two largest units,
 * the second rounded — "45 s", "4 min 30 s", "8 h 39 min", "1 d 9 h", "2 d". Two units read at a
 * glance; the third (seconds in an 8-hour outage) is noise for the people reading it.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const top = WRITTEN.findIndex(([, size]) => seconds >= size);
  if (top < 0) return "0 s";
  const [bigName, big] = WRITTEN[top]!;
  const small = WRITTEN[top + 1];
  if (!small) return `${seconds} ${bigName}`;
  const [smallName, unit] = small;
  const units = Math.round(seconds / unit);
  // Rounding may carry into the next unit up (23 h 59 min 40 s → 1 d): write it again from there.
  if (top > 0 && units * unit >= WRITTEN[top - 1]![1]) return formatDuration(units * unit * 1000);
  const whole = Math.floor((units * unit) / big);
  const rest = units - (whole * big) / unit;
  return rest ? `${whole} ${bigName} ${rest} ${smallName}` : `${whole} ${bigName}`;
}
