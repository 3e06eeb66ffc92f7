/** Small Markdown helpers for the report: safe table cells, tables, local date and time. */
import { DateTime } from "luxon";

/** A table cell: pipes escaped, line breaks as <br>, never empty. */
export function cell(text: string): string {
  const t = text.trim().replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
  return t === "" ? "—" : t;
}

export function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

const local = (at: Date, tz: string) => DateTime.fromJSDate(at, { zone: tz });

/** "2026-10-24 23:10 (UTC+02:00)": the offset, not a zone abbreviation, so it reads the same everywhere. */
export function localDateTime(at: Date, tz: string): string {
  const t = local(at, tz);
  return `${t.toFormat("yyyy-LL-dd HH:mm")} (UTC${t.toFormat("ZZ")})`;
}

export function localDate(at: Date, tz: string): string {
  return local(at, tz).toFormat("yyyy-LL-dd");
}

export function localTime(at: Date, tz: string): string {
  return local(at, tz).toFormat("HH:mm");
}

/** "1 d 10 h 20 min" */
export function durationText(ms: number): string {
  const total = Math.round(ms / 60_000);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const parts = [d ? `${d} d` : "", h ? `${h} h` : "", m || total === 0 ? `${m} min` : ""].filter(Boolean);
  return parts.join(" ");
}

/** A block of user text, or a placeholder that says it is missing. */
export function block(text: string | undefined, missing = "_Not written yet._"): string {
  const t = text?.trim();
  return t ? t : missing;
}
