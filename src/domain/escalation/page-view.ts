/**
 * What a page looks like: the direct message (summary + Acknowledge button), the mention in the war
 * room, the loud notice when the top level is paged again, and the report of a page that failed.
 */
import type { Incident } from "../incident.js";
import type { Policy } from "../policy.js";
import { headline, incidentFields, type ChatMessage } from "../views.js";
import { levelText, type LadderStep } from "./ladder.js";

export interface PageInfo {
  step: Pick<LadderStep, "ladder" | "index" | "level" | "repeat">;
  kind: "technical" | "managerial";
  reason: string | null;
}

function why(p: PageInfo): string {
  if (p.kind === "managerial") return `Managerial escalation${p.reason ? `: ${p.reason}` : ""}.`;
  if (p.step.repeat > 0) return `Nobody has acknowledged yet: paging the top level again (repeat ${p.step.repeat}).`;
  return p.step.index === 0 ? "You are on call for this incident." : "Nobody acknowledged within the timeout: escalated to you.";
}

/** The direct message to each target: the summary, why they are paged, and the Acknowledge action. */
export function pageView(policy: Policy, i: Incident, p: PageInfo): ChatMessage {
  return {
    kind: "notice",
    reference: i.reference,
    headline: `🚨 Page: ${headline(policy, i)}`,
    body: `${why(p)} You are paged as ${levelText(p.step)}. Acknowledge to stop the escalation (/incident ack --incident ${i.reference}).`,
    fields: incidentFields(policy, i),
    actions: [{ id: "ack", label: "Acknowledge" }],
  };
}

/** The mention in the war room; loud when the top level is paged again. */
export function roomPageView(i: Incident, p: PageInfo, mentions: string[], final: boolean): ChatMessage {
  const who = mentions.length ? mentions.map((m) => `@${m}`).join(" ") : "(no chat targets on this platform)";
  const loud = p.step.repeat > 0;
  const text = loud
    ? `🚨🚨 ${i.reference} IS STILL NOT ACKNOWLEDGED — paging ${levelText(p.step)} AGAIN (repeat ${p.step.repeat})${final ? "; this was the last repeat, the bot stops paging now" : ""}. Acknowledge with /incident ack.`
    : p.kind === "managerial"
      ? `📣 Managerial escalation of ${i.reference}: paging ${levelText(p.step)}${p.reason ? ` — ${p.reason}` : ""}.`
      : `📟 Paging ${levelText(p.step)} for ${i.reference}. Acknowledge with /incident ack.`;
  return { kind: "notice", reference: i.reference, headline: text, fields: [{ label: "Paged", value: who, mentions: true }], actions: [{ id: "ack", label: "Acknowledge" }] };
}

/** A page that could not be delivered after its retries. */
export function pageFailedView(i: Pick<Incident, "reference">, what: string, reason: string): ChatMessage {
  return { kind: "notice", reference: i.reference, headline: `⚠️ Could not page ${what} for ${i.reference} after retries (${reason}). Page them by other means.`, fields: [] };
}
