/** Assign a role (incident manager, technical lead, communications lead); hand-overs are recorded. */
import { ROLE_LABELS, type Incident, type Role } from "../domain/incident.js";
import { refusal, RefusalError } from "../domain/refusal.js";
import { noticeView } from "../domain/views.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "./context.js";
import { react } from "./reactions/index.js";
import { noticeTarget, requestInvite, requestSummarySync } from "./warroom.js";

export interface AssignRoleInput {
  role: Role;
  user: string;
  incident?: string | undefined;
}

export interface RoleAssigned {
  incident: Incident;
  previous: string | null;
}

export async function assignRole(ctx: AppContext, inv: Invocation, input: AssignRoleInput): Promise<RoleAssigned> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, input.incident);
    ensureNotClosed(i);
    const previous = i.roles[input.role] ?? null;
    if (previous === input.user) {
      throw new RefusalError(
        refusal("E_NO_CHANGE", `@${input.user} is already the ${ROLE_LABELS[input.role]} of ${i.reference}.`, { reference: i.reference }),
      );
    }
    const now = ctx.clock.now();
    await uow.incidents.setRole(i.id, input.role, input.user, now);
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: inv.userId,
      kind: previous ? "role.handed_over" : "role.assigned",
      data: { role: input.role, user: input.user, previous },
    });
    const updated = { ...i, roles: { ...i.roles, [input.role]: input.user } };
    await requestInvite(uow, updated, [input.user], now);
    if (previous) {
      // A hand-over is told to the person handing over and in the war room.
      const said = `@${inv.userId} handed the ${ROLE_LABELS[input.role]} role of ${i.reference} from @${previous} to @${input.user}.`;
      const key = `handover:${i.id}:${input.role}:${now.toISOString()}`;
      await uow.outbox.enqueue({ key: `${key}:dm`, incidentId: i.id, platform: i.platform, target: previous, action: "dm", message: noticeView(i, said) }, now);
      await uow.outbox.enqueue({ key: `${key}:warroom`, incidentId: i.id, platform: i.platform, target: noticeTarget(ctx.policy, i), action: "post", message: noticeView(i, said) }, now);
    }
    await requestSummarySync(uow, updated, now);
    await react({ ctx, uow, incident: updated, actor: inv.userId, now }, { kind: "role.assigned", role: input.role, user: input.user, previous });
    return { incident: updated, previous };
  });
}
