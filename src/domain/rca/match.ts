/**
 * Forgiving section names: `cause`, `root-cause`, `Root cause`, `ROOT_CAUSE` all name root_cause.
 * Names are compared without case, spaces, "-", "_" or "/"; a unique prefix of 3+ letters also
 * matches. A wrong name is refused with the valid names (and a guess when one is close).
 */
import { fail, ok, refusal, type Result } from "../refusal.js";
import type { RcaSectionDef } from "./policy.js";
import { editDistance } from "../edit-distance.js";

export const normaliseName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

function names(d: RcaSectionDef): string[] {
  return [d.id, d.label, ...d.aliases].map(normaliseName);
}

/** The section a single name means, if any. */
export function findSection(sections: readonly RcaSectionDef[], name: string): RcaSectionDef | undefined {
  const key = normaliseName(name);
  if (key === "") return undefined;
  const exact = sections.find((d) => names(d).includes(key));
  if (exact) return exact;
  if (key.length < 3) return undefined;
  const prefixed = sections.filter((d) => names(d).some((n) => n.startsWith(key)));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

export interface SectionMatch {
  section: RcaSectionDef;
  /** The words after the section name: the text. */
  rest: string[];
}

/**
 * Reads the section name from the start of `words`: the longest run of up to four words that names a
 * section (so `Root cause the disk filled up` gives root_cause and "the disk filled up").
 */
export function matchSection(sections: readonly RcaSectionDef[], words: readonly string[]): Result<SectionMatch> {
  for (let take = Math.min(4, words.length); take >= 1; take--) {
    const hit = exactOrPrefix(sections, words.slice(0, take), take === 1);
    if (hit) return ok({ section: hit, rest: words.slice(take) });
  }
  const given = words[0] ?? "";
  const guess = closest(sections, given);
  const hint = guess ? ` Did you mean "${guess.id}"?` : "";
  return fail(
    refusal("E_UNKNOWN_SECTION", `There is no RCA section "${given}".${hint} Sections: ${sectionList(sections)}.`, { section: given }),
  );
}

/** Several words must name a section exactly; a single word may be a unique prefix. */
function exactOrPrefix(sections: readonly RcaSectionDef[], words: string[], single: boolean): RcaSectionDef | undefined {
  if (single) return findSection(sections, words[0]!);
  const key = normaliseName(words.join(""));
  return sections.find((d) => names(d).includes(key));
}

export function sectionList(sections: readonly RcaSectionDef[]): string {
  return sections.map((d) => d.id).join(", ");
}

function closest(sections: readonly RcaSectionDef[], word: string): RcaSectionDef | undefined {
  const key = normaliseName(word);
  let best: { d: RcaSectionDef; dist: number } | undefined;
  for (const d of sections) {
    for (const n of names(d)) {
      const dist = editDistance(key, n);
      if (dist <= (key.length <= 4 ? 1 : 2) && (!best || dist < best.dist)) best = { d, dist };
    }
  }
  return best?.d;
}
