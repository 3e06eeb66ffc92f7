/**
 * The RCA part of the process policy (DESIGN §2 "RCA" and "Closure"): the template's sections, the
 * priorities that need an RCA before closure, and who validates it (the head of team).
 */

/** One section of the RCA template. `aliases` are extra names `/incident rca <section>` accepts. */
export interface RcaSectionDef {
  id: string;
  label: string;
  required: boolean;
  aliases: string[];
}

export interface RcaPolicy {
  sections: RcaSectionDef[];
  /** Priority ids whose incidents need an RCA before they close (default P1, P2). */
  requiredFor: string[];
  /**
   * The heads of team who may run `/incident rca approve`: chat user ids per platform, e.g.
   * `{ slack: ["U024BE7LH"], discord: ["80351110224678912"], console: ["carol"] }`.
   */
  approvers: Record<string, string[]>;
  /** When true, closing also needs the approval recorded. */
  requireApproval: boolean;
}

/** The section holding the runbook written or updated: the closure gate checks it on its own. */
export const PROCEDURES = "procedures";
/** The section the actions (owner, due date) belong to: filled once an action is recorded. */
export const ACTIONS = "actions";
/** Generated from the incident's events and hand-added entries. */
export const TIMELINE = "timeline";

const s = (id: string, label: string, required: boolean, aliases: string[]): RcaSectionDef => ({ id, label, required, aliases });

export const DEFAULT_RCA: RcaPolicy = {
  sections: [
    s("summary", "Summary", true, ["overview"]),
    s("impact", "Impact", true, ["customer-impact", "services"]),
    s(TIMELINE, "Timeline", false, []),
    s("root_cause", "Root cause", true, ["cause", "rootcause"]),
    s("resolution", "Resolution / workaround", true, ["workaround", "fix"]),
    s(ACTIONS, "Corrective and preventive actions", true, ["corrective-actions", "preventive-actions", "corrective", "capa"]),
    s("lessons", "Lessons learned", false, ["lessons-learned", "learned"]),
    s(PROCEDURES, "Procedures", true, ["procedure", "runbook"]),
  ],
  requiredFor: ["P1", "P2"],
  approvers: {},
  requireApproval: false,
};

/** An incident resolved as a duplicate or declined needs no RCA, whatever its priority. */
export function rcaRequiredFor(rca: RcaPolicy, i: { priority: string; outcome: string | null }): boolean {
  return i.outcome === null && rcaRequired(rca, i.priority);
}

export function rcaRequired(rca: RcaPolicy, priority: string): boolean {
  return rca.requiredFor.includes(priority);
}

export function isApprover(rca: RcaPolicy, platform: string, userId: string): boolean {
  return (rca.approvers[platform] ?? []).includes(userId);
}
