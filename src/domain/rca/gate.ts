/**
 * RCA completeness and the closure gate (DESIGN §2 "Closure"): an incident closes only when it is
 * resolved, its required RCA sections are filled, the procedures item is done, a closing comment
 * records the resolution and the customer's agreement is recorded. The gate answers EVERY missing
 * item, so a refused close says all that is left in one message.
 */
import type { Incident } from "../incident.js";
import { statusLabel } from "../lifecycle.js";
import { ACTIONS, PROCEDURES, TIMELINE, rcaRequiredFor, type RcaPolicy, type RcaSectionDef } from "./policy.js";
import type { Approval, RcaAction, RcaSection } from "./types.js";

export interface RcaState {
  sections: RcaSection[];
  actions: RcaAction[];
  /** Lines the report's timeline would show (events + hand-added + pinned). */
  timelineCount: number;
  approval: Approval | null;
}

export type SectionStatus = "filled" | "missing" | "empty";

export interface SectionCheck {
  def: RcaSectionDef;
  status: SectionStatus;
  /** Who wrote it (for actions: who added them). */
  authors: string[];
  /** What fills it when it is not text alone: "2 actions (1 done)", "9 entries". */
  note: string | null;
}

export function checkSection(def: RcaSectionDef, state: RcaState): SectionCheck {
  const stored = state.sections.find((x) => x.section === def.id);
  const hasText = Boolean(stored && stored.text.trim() !== "");
  let note: string | null = null;
  let authors = stored?.authors ?? [];
  let filled = hasText;
  if (def.id === ACTIONS && state.actions.length > 0) {
    const done = state.actions.filter((a) => a.doneAt).length;
    note = `${state.actions.length} action${state.actions.length === 1 ? "" : "s"} (${done} done)`;
    authors = [...new Set([...authors, ...state.actions.map((a) => a.createdBy)])];
    filled = true;
  }
  if (def.id === TIMELINE && state.timelineCount > 0) {
    note = `${state.timelineCount} entries`;
    filled = true;
  }
  return { def, status: filled ? "filled" : def.required ? "missing" : "empty", authors, note };
}

export function checklist(rca: RcaPolicy, state: RcaState): SectionCheck[] {
  return rca.sections.map((d) => checkSection(d, state));
}

/** One thing standing between the incident and its closure, with how to do it. */
export interface Gap {
  code: "not_resolved" | "section_missing" | "procedures_missing" | "comment_missing" | "customer_not_confirmed" | "not_approved";
  text: string;
}

/** Required sections still empty (the procedures item has its own gap). */
export function missingSections(rca: RcaPolicy, state: RcaState): Gap[] {
  return checklist(rca, state)
    .filter((c) => c.status === "missing" && c.def.id !== PROCEDURES)
    .map((c) => ({ code: "section_missing" as const, text: `RCA section "${c.def.label}" is empty: /incident rca ${c.def.id} <text>` }));
}

export interface CloseRequest {
  comment: string;
  customerConfirmed: boolean;
}

export function closureGaps(rca: RcaPolicy, incident: Incident, state: RcaState, req: CloseRequest): Gap[] {
  const gaps: Gap[] = [];
  if (incident.status !== "resolved") {
    gaps.push({ code: "not_resolved", text: `it is not resolved (it is ${statusLabel(incident.status)}): /incident resolve <summary>` });
  }
  if (rcaRequiredFor(rca, incident)) {
    gaps.push(...missingSections(rca, state));
    const procedures = rca.sections.find((d) => d.id === PROCEDURES);
    if (procedures && checkSection(procedures, state).status !== "filled") {
      gaps.push({ code: "procedures_missing", text: `the procedures item is not done (the runbook written or updated): /incident rca ${PROCEDURES} <link or what changed>` });
    }
    if (rca.requireApproval && !state.approval) {
      gaps.push({ code: "not_approved", text: "the RCA is not approved by the head of team: /incident rca approve" });
    }
  }
  if (req.comment.trim() === "") {
    gaps.push({ code: "comment_missing", text: "the closing comment is missing: /incident close --customer-confirmed <closing comment>" });
  }
  if (!req.customerConfirmed) {
    gaps.push({ code: "customer_not_confirmed", text: "the customer's agreement is not recorded: add --customer-confirmed once the customer agreed to close" });
  }
  return gaps;
}
