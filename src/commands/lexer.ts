/**
 * Splits a command line into words and flags. Double, single and typographic quotes (“ ” ‘ ’, which
 * Slack and macOS substitute) group words; a backslash escapes the next character inside quotes.
 * `--flag=value` and `--flag value` both work.
 */
import { fail, ok, refusal, type Result } from "../domain/refusal.js";

export interface Token {
  text: string;
  /** True when the token was quoted: a quoted "--x" is text, not a flag. */
  quoted: boolean;
}

const CLOSING: Record<string, string> = { '"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "’": "’", "„": "“" };

export function tokenize(line: string): Result<Token[]> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let text = "";
    let quoted = false;
    while (i < line.length && !/\s/.test(line[i]!)) {
      const ch = line[i]!;
      const close = CLOSING[ch];
      // A quote opens a group only at the start of a word or after "=" (--title="a b").
      if (close && (text === "" || text.endsWith("="))) {
        const end = findClose(line, i + 1, close, ch);
        if (end === -1) {
          return fail(refusal("E_BAD_ARGUMENT", `A quote (${ch}) is not closed: close it, or remove it.`, { at: i }));
        }
        // Only a quote opening the word makes it text; in --flag="a b" the word is still a flag.
        if (text === "") quoted = true;
        text += line.slice(i + 1, end).replace(/\\(.)/g, "$1");
        i = end + 1;
      } else {
        text += ch;
        i++;
      }
    }
    tokens.push({ text, quoted });
  }
  return ok(tokens);
}

function findClose(line: string, from: number, close: string, open: string): number {
  for (let j = from; j < line.length; j++) {
    if (line[j] === "\\") {
      j++;
      continue;
    }
    // Straight quotes close themselves; typographic ones close with their pair (or, leniently, themselves).
    if (line[j] === close || line[j] === open) return j;
  }
  return -1;
}

export interface SplitArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Separates positional words from `--flags`. Flags in `booleans` take no value; every other flag takes
 * the next token (or its `=value`). Unknown flags and missing values are refusals naming them.
 */
export function splitArgs(tokens: Token[], valued: readonly string[], booleans: readonly string[], usage: () => string): Result<SplitArgs> {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.quoted || !t.text.startsWith("--") || t.text === "--") {
      positional.push(t.text);
      continue;
    }
    const eq = t.text.indexOf("=");
    const name = (eq === -1 ? t.text.slice(2) : t.text.slice(2, eq)).toLowerCase();
    if (booleans.includes(name)) {
      flags.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq === -1 ? tokens[i + 1] : { text: t.text.slice(eq + 1), quoted: true };
      if (!value || value.text === "" || (!value.quoted && value.text.startsWith("--"))) {
        return fail(refusal("E_MISSING_ARGUMENT", `--${name} needs a value.`, { flag: name }, usage()));
      }
      flags.set(name, value.text);
      if (eq === -1) i++;
    } else {
      const known = [...valued, ...booleans].map((f) => `--${f}`).join(", ") || "none";
      return fail(refusal("E_BAD_ARGUMENT", `Unknown option --${name}; this command takes: ${known}.`, { flag: name }, usage()));
    }
  }
  return ok({ positional, flags });
}

/** A value as one token: quoted, with `\` and `"` escaped, so any text stays one argument. */
export const quote = (v: string): string => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
