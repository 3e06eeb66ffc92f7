/**
 * Input checks every value passes once, at the entry: control characters are refused (a NUL would
 * fail the database insert after the request was acknowledged), and values echoed back in a refusal
 * are cut to a short excerpt so a 100 kB argument does not come back as a 100 kB answer.
 */

/** C0 and C1 controls and DEL, except tab, newline and carriage return. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Every control character (for replacing them, e.g. in monitoring text). */
export const CONTROL_CHARS = new RegExp(CONTROL.source, "g");

/** A sentence ending ("contains a control character…") when `text` has one, else null. */
export function checkInput(text: string): string | null {
  const m = CONTROL.exec(text);
  if (!m) return null;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `contains a control character (U+${code}); remove it and try again.`;
}

export const EXCERPT_MAX = 40;

/** A value as shown in a refusal: quoted, at most 40 characters, one line. */
export function excerpt(value: string): string {
  const one = value.replace(/\s+/g, " ").trim();
  return `"${one.length > EXCERPT_MAX ? `${one.slice(0, EXCERPT_MAX - 1)}…` : one}"`;
}

/**
 * Fits an answer into a platform's limit (Discord 2,000 characters, Slack 3,000 per text block): whole
 * lines while they fit, then a line saying how many were left out.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    const piece = line.length > max - 40 ? `${line.slice(0, max - 41)}…` : line;
    if (size + piece.length + 1 > max - 40) break;
    kept.push(piece);
    size += piece.length + 1;
  }
  return [...kept, `… (${lines.length - kept.length} more lines)`].join("\n");
}
