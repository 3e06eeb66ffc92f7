/** `/incident rca <section> <text> [--append]` and `/incident rca approve` (heads of team only). */
import type { Incident } from "../../domain/incident.js";
import { missingSections } from "../../domain/rca/gate.js";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import { PROCEDURES, type RcaSectionDef } from "../../domain/rca/policy.js";
import type { Approval, RcaSection } from "../../domain/rca/types.js";
import { checkSection } from "../../domain/rca/gate.js";
import { refusal, RefusalError } from "../../domain/refusal.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import { loadRecord, stateOf } from "./record.js";

export interface SetSectionInput {
  section: RcaSectionDef;
  text: string;
  append: boolean;
  incident?: string | undefined;
}

export async function setRcaSection(ctx: AppContext, inv: Invocation, input: SetSectionInput): Promise<{ incident: Incident; section: RcaSection }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    const now = ctx.clock.now();
    const section = await uow.rca.setSection(i.id, input.section.id, input.text, inv.userId, now, input.append);
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: inv.userId,
      kind: RCA_EVENTS.sectionSet,
      data: { section: input.section.id, by: inv.userId, append: input.append },
    });
    return { incident: i, section };
  });
}

/**
 * The RCA form (Slack / Discord modal): every changed section at once, in one transaction, one
 * `rca.section_set` event per section. Unknown ids are ignored (the form is built from the policy).
 */
export async function setRcaSections(ctx: AppContext, inv: Invocation, texts: Record<string, string>, reference?: string): Promise<{ incident: Incident; changed: string[] }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    const now = ctx.clock.now();
    const stored = await uow.rca.sections(i.id);
    const changed: string[] = [];
    for (const def of ctx.policy.rca.sections) {
      const text = texts[def.id]?.trim();
      if (text === undefined || text === (stored.find((s) => s.section === def.id)?.text ?? "")) continue;
      await uow.rca.setSection(i.id, def.id, text, inv.userId, now, false);
      await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: RCA_EVENTS.sectionSet, data: { section: def.id, by: inv.userId, append: false } });
      changed.push(def.id);
    }
    return { incident: i, changed };
  });
}

export async function approveRca(ctx: AppContext, inv: Invocation, reference?: string): Promise<{ incident: Incident; approval: Approval }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    const rca = ctx.policy.rca;
    const state = stateOf(await loadRecord(uow, i));
    const gaps = missingSections(rca, state).map((g) => g.text);
    const procedures = rca.sections.find((d) => d.id === PROCEDURES);
    if (procedures && checkSection(procedures, state).status !== "filled") gaps.push(`RCA section "${procedures.label}" is empty: /incident rca ${PROCEDURES} <text>`);
    if (gaps.length > 0) {
      throw new RefusalError(
        refusal("E_RCA_INCOMPLETE", [`The RCA of ${i.reference} is not complete yet:`, ...gaps.map((g) => `  - ${g}`)].join("\n"), { reference: i.reference }),
      );
    }
    const now = ctx.clock.now();
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: RCA_EVENTS.approved, data: { by: inv.userId } });
    return { incident: i, approval: { by: inv.userId, at: now } };
  });
}
