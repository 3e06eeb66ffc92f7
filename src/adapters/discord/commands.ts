/**
 * The `/incident` application command, derived from the command table: one subcommand per table
 * entry, one typed option per argument (choices from the policy: levels with their definitions,
 * natures, roles), and the way back — an interaction's options become the raw values the commands
 * check like any other input. Nothing of the process is decided here.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { argsOf, COMMANDS, type Arg, type Choice } from "../../commands/index.js";
import type { Policy } from "../../domain/policy.js";

export const COMMAND_NAME = "incident";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** "I1 — Total outage: Total unavailability of production." within Discord's 100 characters. */
export const levelChoice = (c: Choice) => ({ name: clip(c.description ? `${c.name}: ${c.description}` : c.name, 100), value: c.value });

function optionType(a: Arg): ApplicationCommandOptionType {
  if (a.kind === "switch") return ApplicationCommandOptionType.Boolean;
  if (a.kind === "user") return ApplicationCommandOptionType.User;
  return ApplicationCommandOptionType.String;
}

function option(a: Arg, policy: Policy) {
  const choices = a.choices?.(policy);
  return {
    type: optionType(a),
    name: a.name,
    description: clip(a.describe, 100),
    required: !!(a.positional && a.required),
    ...(choices && choices.length <= 25 ? { choices: choices.map(levelChoice) } : {}),
    ...(a.kind === "ref" ? { autocomplete: true } : {}),
    ...(a.kind !== "switch" && a.kind !== "user" && a.max ? { max_length: Math.min(a.max, 6000) } : {}),
  };
}

/** The JSON registered with `PUT applications/{app}/guilds/{guild}/commands`. */
export function incidentCommand(policy: Policy): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: COMMAND_NAME,
    type: ApplicationCommandType.ChatInput,
    description: "Declare and run incidents",
    options: COMMANDS.map((s) => {
      const opts = argsOf(s).map((a) => option(a, policy));
      // Discord wants required options first.
      return { type: ApplicationCommandOptionType.Subcommand, name: s.name, description: clip(s.summary, 100), options: [...opts.filter((o) => o.required), ...opts.filter((o) => !o.required)] as never };
    }),
  };
}

/** An interaction's option values → the raw values of the command (a user option becomes its mention). */
export function rawValues(sub: string, options: readonly { name: string; value?: unknown }[]): Record<string, string | boolean | undefined> {
  const spec = COMMANDS.find((s) => s.name === sub);
  const raw: Record<string, string | boolean | undefined> = {};
  for (const o of options) {
    const a = spec ? argsOf(spec).find((x) => x.name === o.name) : undefined;
    if (o.value === undefined || o.value === null) continue;
    raw[o.name] = a?.kind === "user" ? `<@${String(o.value)}>` : typeof o.value === "boolean" ? o.value : String(o.value);
  }
  return raw;
}
