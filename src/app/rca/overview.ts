/** `/incident rca`: the checklist of sections (filled, missing, who wrote what) and what closing still needs. */
import type { Incident } from "../../domain/incident.js";
import { checklist, closureGaps, type Gap, type SectionCheck } from "../../domain/rca/gate.js";
import { rcaRequiredFor } from "../../domain/rca/policy.js";
import type { Approval, RcaSection } from "../../domain/rca/types.js";
import { targetIncident, type AppContext, type Invocation } from "../context.js";
import { loadRecord, stateOf } from "./record.js";

export interface RcaOverview {
  incident: Incident;
  required: boolean;
  checks: SectionCheck[];
  sections: RcaSection[];
  approval: Approval | null;
  /** What closing still needs besides the closing comment and the customer's agreement. */
  gaps: Gap[];
}

export async function rcaOverview(ctx: AppContext, inv: Invocation, reference?: string): Promise<RcaOverview> {
  return ctx.store.transaction(async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    const record = await loadRecord(uow, incident);
    const state = stateOf(record);
    const rca = ctx.policy.rca;
    return {
      incident,
      required: rcaRequiredFor(rca, incident),
      checks: checklist(rca, state),
      sections: record.sections,
      approval: record.approval,
      gaps: incident.status === "closed" ? [] : closureGaps(rca, incident, state, { comment: "given", customerConfirmed: true }),
    };
  });
}
