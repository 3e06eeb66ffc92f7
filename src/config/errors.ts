/**
 * `ConfigError` and the turning of zod issues into plain sentences:
 * `sla.P1.clock must be one of "24x7", "business" (got "always").`
 *
 * Convention: every schema-level message (and the parse-time error map below) is a *predicate*
 * ("must be …", "references …"); `formatIssue` puts the dotted key path in front and, when the
 * offending value is known, `(got …)` behind.
 */
import type { z } from "zod";

/** A bad environment variable or policy file. `issues` holds one sentence per problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[] = [message]) {
    super(message);
    this.issues = issues;
  }
}

/** `what: sentence` for one problem, `what has N problems:` + a bulleted list for several. */
export function configError(what: string, sentences: readonly string[]): ConfigError {
  const message =
    sentences.length === 1
      ? `${what}: ${sentences[0]}`
      : `${what} has ${sentences.length} problems:\n${sentences.map((s) => `- ${s}`).join("\n")}`;
  return new ConfigError(message, sentences);
}

/** A short human rendering of a value for "(got …)". */
export function describeValue(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid date" : value.toISOString();
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
  date: "a date",
};

/** Parse-time error map: predicates for the issues no schema-level message covers. */
export const predicateErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      return `must be ${EXPECTED[iss.expected] ?? iss.expected}`;
    case "invalid_value":
      return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small": {
      const min = String(iss.minimum);
      if (iss.origin === "string") return iss.minimum === 1 ? "must not be empty" : `must have at least ${min} characters`;
      if (iss.origin === "array" || iss.origin === "set") return `must have at least ${min} item${min === "1" ? "" : "s"}`;
      return iss.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
    }
    case "too_big": {
      const max = String(iss.maximum);
      if (iss.origin === "string") return `must have at most ${max} characters`;
      if (iss.origin === "array" || iss.origin === "set") return `must have at most ${max} items`;
      return iss.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case "invalid_format":
      return iss.format === "regex" && "pattern" in iss ? `must match ${String(iss.pattern)}` : `must be a valid ${iss.format}`;
    case "unrecognized_keys":
      return `has unknown key${iss.keys.length === 1 ? "" : "s"} ${iss.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_key":
      return "has an invalid key";
    case "invalid_element":
      return "has an invalid element";
    case "invalid_union":
      return "does not match any allowed form";
    default:
      return undefined;
  }
};

const NO_GOT = new Set(["unrecognized_keys", "invalid_union", "invalid_key", "invalid_element"]);

/**
 * One sentence: `<path> <predicate> (got <value>).`; a missing required key reads
 * `<path> is missing; it must be ….`. `root` names the empty path; `shownValue` may redact.
 */
export function formatIssue(
  issue: z.core.$ZodIssue,
  root: string,
  shownValue: (path: string, value: unknown) => string = (_p, v) => describeValue(v),
): string {
  const path = issue.path.map(String).join(".");
  const subject = path === "" ? root : path;
  const input = (issue as { input?: unknown }).input;
  const predicate = issue.message.replace(/\.$/, "");
  if (issue.code === "invalid_type" && input === undefined) return `${subject} is missing; it ${predicate}.`;
  // A custom issue from a cross-check on an object carries the whole object: say nothing of it then
  // (such messages include their own "(got …)" where it helps); a `.refine` on a leaf shows its value.
  const shown =
    input !== undefined && !NO_GOT.has(issue.code) && !(issue.code === "custom" && typeof input === "object" && input !== null);
  const got = shown ? ` (got ${shownValue(path, input)})` : "";
  return `${subject} ${predicate}${got}.`;
}
