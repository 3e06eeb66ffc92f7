/** What the on-call features say in chat: shift notices, and a cover request before and after it is taken. */
import { formatTime, type ChatMessage } from "../views.js";

export interface CoverRequestFacts {
  id: number;
  schedule: string;
  askedBy: string;
  until: Date;
  timezone: string;
}

/** The request, with its Accept button (the button carries the request's number). */
export function coverRequestView(r: CoverRequestFacts): ChatMessage {
  return {
    kind: "notice",
    headline: `@${r.askedBy} asks for cover on ${r.schedule} until ${formatTime(r.until, r.timezone)}: who takes their shift?`,
    mentionsInHeadline: true,
    mentionIds: [r.askedBy],
    fields: [],
    actions: [{ id: "cover", label: "Accept", value: String(r.id) }],
  };
}

/** The request once taken: who covers, and when; no button any more. */
export function coveredView(r: CoverRequestFacts, by: string, shifts: { start: Date; end: Date }[]): ChatMessage {
  const when = shifts.map((s) => `${formatTime(s.start, r.timezone)} → ${formatTime(s.end, r.timezone)}`).join(", ");
  return {
    kind: "notice",
    headline: `@${by} covers @${r.askedBy} on ${r.schedule} (${when}).`,
    mentionsInHeadline: true,
    mentionIds: [by, r.askedBy],
    fields: [],
  };
}

/** The direct message of the person whose shift starts. */
export function shiftStartView(schedule: string, layer: string, from: Date, until: Date | null, timezone: string): ChatMessage {
  const end = until ? ` until ${formatTime(until, timezone)}` : "";
  return { kind: "notice", headline: `You are on call on ${schedule} (${layer}) from ${formatTime(from, timezone)}${end}.`, fields: [] };
}

/** The note to the person whose shift ended: who has it now, and the open incidents they were paged for. */
export function shiftEndView(schedule: string, at: Date, next: string[], open: { reference: string; title: string }[], timezone: string): ChatMessage {
  const who = next.length ? `${next.map((p) => `@${p}`).join(" ")} has it now` : "nobody is on call after you";
  const body = open.length
    ? `Open incidents you were paged for: ${open.map((i) => `${i.reference} (${i.title})`).join("; ")}. Hand them over if you still hold them.`
    : "No open incident you were paged for.";
  return { kind: "notice", headline: `Your shift on ${schedule} ended at ${formatTime(at, timezone)}; ${who}.`, body, fields: [], mentionsInHeadline: true, mentionIds: next };
}
