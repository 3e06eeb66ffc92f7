/** Usage lines and help, derived from the command table; levels and natures come from the policy. */
import { editDistance } from "../domain/edit-distance.js";
import type { Policy } from "../domain/policy.js";
import { excerpt } from "./input.js";
import { argsOf, COMMANDS, specOf, type Arg, type Spec } from "./table.js";

const PLACEHOLDER: Record<string, string> = { user: "@user", ref: "INC-YYYY-NNNN", duration: "30m", day: "YYYY-MM-DD" };

function argUsage(a: Arg, policy: Policy | undefined): string {
  const values = a.kind === "choice" && a.choices ? (policy || !["impact", "urgency", "nature"].includes(a.name) ? a.choices(policy!).map((c) => c.value).join("|") : `<${a.name}>`) : "";
  const what = values || PLACEHOLDER[a.kind] || `<${a.name}>`;
  if (a.positional) return a.required ? what : `[${what}]`;
  if (a.kind === "switch") return `[--${a.name}]`;
  return a.required ? `--${a.name} ${what}` : `[--${a.name} ${what}]`;
}

/** `/incident declare <title> [--impact I1|I2|I3] …`, with the policy's values where given. */
export function usageOf(spec: Spec, policy?: Policy): string {
  if (spec.usage) return spec.scoped ? `${spec.usage} [--incident INC-YYYY-NNNN]` : spec.usage;
  return [`/incident ${spec.name}`, ...argsOf(spec).map((a) => argUsage(a, policy))].join(" ");
}

export const GENERAL_USAGE = "/incident <subcommand> [arguments] — subcommands: " + COMMANDS.map((s) => s.name).join(", ");

/** `help`, or `help <topic>`; an unknown topic says so and lists the topics. */
export function helpText(policy: Policy, topic?: string): { text: string; known: boolean } {
  if (topic) {
    const one = specOf(topic.toLowerCase());
    if (!one) {
      const guess = closestSubcommand(topic);
      return { known: false, text: `No help topic ${excerpt(topic)}.${guess ? ` Did you mean "${guess}"?` : ""} Topics: ${COMMANDS.map((s) => s.name).join(", ")}.` };
    }
    const details = one.args.filter((a) => a.kind === "choice" && a.choices && !a.positional).map((a) => `  --${a.name}: ${a.choices!(policy).map((c) => (c.description ? `${c.value} (${c.description})` : c.value)).join("; ")}`);
    return { known: true, text: [usageOf(one, policy), one.summary, ...details].join("\n") };
  }
  return { known: true, text: ["Incident bot commands:", ...COMMANDS.map((s) => `  ${usageOf(s, policy)}\n      ${s.summary}`)].join("\n") };
}

/** The closest subcommand name within edit distance 2, for "did you mean". */
export function closestSubcommand(word: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  const w = word.toLowerCase().slice(0, 40);
  for (const s of COMMANDS) {
    const d = editDistance(w, s.name);
    if (d <= 2 && (!best || d < best.d)) best = { name: s.name, d };
  }
  return best?.name;
}
