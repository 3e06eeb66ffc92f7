/** Human references (INC-2026-0042) and war-room channel names (inc-20261122-0001-payment-api-down). */
import { DateTime } from "luxon";

export function formatReference(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(4, "0")}`;
}

export interface ParsedReference {
  prefix: string;
  year: number;
  seq: number;
}

export function parseReference(text: string): ParsedReference | null {
  const m = /^([A-Za-z]+)-(\d{4})-(\d{1,9})$/.exec(text.trim());
  if (!m) return null;
  return { prefix: m[1]!.toUpperCase(), year: Number(m[2]), seq: Number(m[3]) };
}

/** The year a reference is numbered in: the calendar year of `at` in the policy's timezone. */
export function referenceYear(at: Date, timezone: string): number {
  return DateTime.fromJSDate(at, { zone: timezone }).year;
}

/** Latin letters that NFKD does not split into a base letter and an accent (Łódź, Straße, Ærø). */
const LATIN_FOLDS: Record<string, string> = {
  ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ħ: "h", ı: "i", ŧ: "t",
};

/** Lowercase ASCII words joined by "-": accents folded, other scripts dropped. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[ßæœøłđðþħıŧ]/g, (c) => LATIN_FOLDS[c]!)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * `inc-<yyyymmdd>-<seq>-<slug>` within `maxLength` (Slack allows 80, Discord 100); the slug is cut
 * at a word boundary where possible; a title with no Latin letters gives `inc-<yyyymmdd>-<seq>`.
 */
export function warRoomName(seq: number, declaredAt: Date, title: string, timezone: string, maxLength = 80): string {
  const day = DateTime.fromJSDate(declaredAt, { zone: timezone }).toFormat("yyyyLLdd");
  const base = `inc-${day}-${String(seq).padStart(4, "0")}`;
  let slug = slugify(title);
  const room = maxLength - base.length - 1;
  if (room <= 0 || slug === "") return base.slice(0, maxLength);
  if (slug.length > room) {
    const cut = slug.slice(0, room);
    const lastDash = cut.lastIndexOf("-");
    slug = (lastDash > room / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, "");
  }
  return `${base}-${slug}`;
}
