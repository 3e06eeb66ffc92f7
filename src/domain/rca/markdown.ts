/** Small Markdown helpers for the report: safe table cells, tables, local date and time. */
import { DateTime } from "luxon";
import { formatDuration } from "../duration.js";
import { formatTime } from "../views.js";

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

/** "2026-10-24 23:10 UTC+02:00": the one form used in chat and the digests too (views.formatTime). */
export function localDateTime(at: Date, tz: string): string {
  return formatTime(at, tz);
}

export function localDate(at: Date, tz: string): string {
  return local(at, tz).toFormat("yyyy-LL-dd");
}

export function localTime(at: Date, tz: string): string {
  return local(at, tz).toFormat("HH:mm");
}

/** "1 d 10 h": the one form used in chat and the digests too (duration.formatDuration). */
export function durationText(ms: number): string {
  return formatDuration(ms);
}

/** A block of user text, or a placeholder that says it is missing. */
export function block(text: string | undefined, missing = "_Not written yet._"): string {
  const t = text?.trim();
  return t ? t : missing;
}
