/** The `/incident` grammar as a table: each subcommand's usage line, summary and options. */
import type { CommandName } from "./types.js";
import { editDistance } from "../domain/edit-distance.js";

export interface Subcommand {
  name: CommandName;
  usage: string;
  summary: string;
  /** Options taking a value, and options that are switches. */
  valued: readonly string[];
  booleans: readonly string[];
}

const SCOPE = "[--incident INC-YYYY-NNNN]";

export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: "declare",
    usage: "/incident declare <title> [--impact I1..I3] [--urgency U1..U3] [--nature <nature>] [--service <name>] [--customer <name>] [--detected-by monitoring|staff|customer] [--description <text>] [--im @user] [--parent INC-YYYY-NNNN]",
    summary: "declare an incident (asks for impact and urgency when not given)",
    valued: ["impact", "urgency", "nature", "service", "customer", "detected-by", "description", "im", "parent"],
    booleans: [],
  },
  { name: "status", usage: `/incident status ${SCOPE}`, summary: "show an incident", valued: ["incident"], booleans: [] },
  { name: "list", usage: "/incident list [--all]", summary: "list open incidents (--all includes closed)", valued: [], booleans: ["all"] },
  {
    name: "classify",
    usage: `/incident classify [--impact I1..I3] [--urgency U1..U3] ${SCOPE}`,
    summary: "reclassify; the priority is derived again",
    valued: ["impact", "urgency", "incident"],
    booleans: [],
  },
  { name: "role", usage: `/incident role <im|lead|comms> <@user> ${SCOPE}`, summary: "assign the incident manager, technical lead or communications lead", valued: ["incident"], booleans: [] },
  { name: "ack", usage: `/incident ack ${SCOPE}`, summary: "acknowledge: you have the incident in hand", valued: ["incident"], booleans: [] },
  { name: "investigating", usage: `/incident investigating ${SCOPE}`, summary: "mark as being investigated", valued: ["incident"], booleans: [] },
  { name: "wait", usage: `/incident wait <customer|vendor> ${SCOPE}`, summary: "waiting on the customer or a vendor (the SLA clock pauses)", valued: ["incident"], booleans: [] },
  { name: "mitigated", usage: `/incident mitigated <what was done> ${SCOPE}`, summary: "a workaround is in place", valued: ["incident"], booleans: [] },
  { name: "resolve", usage: `/incident resolve <summary> ${SCOPE}`, summary: "service restored", valued: ["incident"], booleans: [] },
  { name: "reopen", usage: `/incident reopen <reason> ${SCOPE}`, summary: "a resolved incident is not fixed after all", valued: ["incident"], booleans: [] },
  {
    name: "update",
    usage: `/incident update <what is being done> [--next 30m] ${SCOPE}`,
    summary: "post a stakeholder update (war room and announcements); --next says when the next one comes",
    valued: ["next", "incident"],
    booleans: [],
  },
  { name: "comms", usage: `/incident comms ${SCOPE}`, summary: "every communication of the incident, and whether it arrived", valued: ["incident"], booleans: [] },
  { name: "escalate", usage: `/incident escalate <reason> ${SCOPE}`, summary: "managerial escalation: page management (no technical solution, outside help needed, major incident)", valued: ["incident"], booleans: [] },
  {
    name: "rca",
    usage: `/incident rca [<section> [<text>] [--append] | approve] ${SCOPE}`,
    summary: "the RCA: checklist; show, set or add to a section; approval by the head of team",
    valued: ["incident"],
    booleans: ["append"],
  },
  {
    name: "action",
    usage: `/incident action add <text> --owner @user --due YYYY-MM-DD | action done <n> | action list ${SCOPE}`,
    summary: "corrective and preventive actions, each with an owner and a due date",
    valued: ["owner", "due", "incident"],
    booleans: [],
  },
  { name: "timeline", usage: `/incident timeline add <HH:MM | YYYY-MM-DD HH:MM | ISO time> <text> ${SCOPE}`, summary: "add to the timeline what happened outside the bot", valued: ["incident"], booleans: [] },
  { name: "report", usage: `/incident report [send] ${SCOPE}`, summary: "the incident report in Markdown; send posts it to the announcements channel", valued: ["incident"], booleans: [] },
  { name: "close", usage: `/incident close --customer-confirmed <closing comment> ${SCOPE}`, summary: "close a resolved incident once its RCA is done and the customer agreed", valued: ["incident"], booleans: ["customer-confirmed"] },
  {
    name: "stats",
    usage: "/incident stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--customer <name>] [--nature <nature>]",
    summary: "the KPIs: by nature and priority, SLA met, escalations, time to acknowledge, downtime, updates on time",
    valued: ["from", "to", "customer", "nature"],
    booleans: [],
  },
  { name: "help", usage: "/incident help [subcommand]", summary: "this help", valued: [], booleans: [] },
];

export const GENERAL_USAGE = "/incident <subcommand> [arguments] — subcommands: " + SUBCOMMANDS.map((s) => s.name).join(", ");

export function subcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((s) => s.name === name);
}

export function helpText(topic?: string): string {
  const one = topic ? subcommand(topic.toLowerCase()) : undefined;
  if (one) return `${one.usage}\n${one.summary}`;
  return ["Incident bot commands:", ...SUBCOMMANDS.map((s) => `  ${s.usage}\n      ${s.summary}`)].join("\n");
}

/** The closest subcommand name within edit distance 2, for "did you mean". */
export function closestSubcommand(word: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const s of SUBCOMMANDS) {
    const d = editDistance(word.toLowerCase(), s.name);
    if (d <= 2 && (!best || d < best.d)) best = { name: s.name, d };
  }
  return best?.name;
}
