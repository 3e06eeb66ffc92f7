/**
 * The one permission check. `execute` resolves the command's rule (the table's default, or the
 * policy's override) onto the invocation; the use case calls `ensureAllowed` where it has found what
 * the command acts on — an incident, a schedule, an alert proposal — under its lock. That thing is a
 * `Party`: it says who its responders and managers are, and how a refusal names it. The rule itself
 * (what `anyone`, `responder`, `manager` and `approver` let in) is read here and nowhere else.
 *
 * The `monitoring` rule needs no party: `execute` checks it (`ensureMonitoring`) before the use case runs.
 */
import { refusal, RefusalError, type Refusal } from "../domain/refusal.js";
import type { AccessCheck, Invocation } from "./context.js";

/** The rules a party's people decide; `anyone` and `monitoring` need none. */
export type PartyRule = "responder" | "manager" | "approver";

/** What a command acts on, as the permission rule sees it. */
export interface Party {
  isResponder(userId: string): Promise<boolean> | boolean;
  isManager(userId: string): Promise<boolean> | boolean;
  /** The refusal of someone the rule leaves out: one sentence naming the rule and the way forward. */
  refusal(rule: PartyRule, access: AccessCheck, userId: string): Refusal;
}

/** Refuses the invocation unless its rule lets its user act on `party`. No rule on it: nothing to check. */
export async function ensureAllowed(inv: Pick<Invocation, "access" | "userId">, party: Party): Promise<void> {
  const a = inv.access;
  if (!a || a.rule === "anyone" || a.rule === "monitoring") return;
  const allowed =
    a.rule === "responder" ? await party.isResponder(inv.userId) : a.rule === "manager" ? await party.isManager(inv.userId) : a.approvers.includes(inv.userId);
  if (!allowed) throw new RefusalError(party.refusal(a.rule, a, inv.userId));
}

/** The `monitoring` rule: only the alert webhooks' invocation runs it (they alone set `monitoring`). */
export function ensureMonitoring(inv: Pick<Invocation, "access" | "monitoring">): void {
  if (inv.access?.rule === "monitoring" && !inv.monitoring) {
    throw new RefusalError(refusal("E_BAD_ARGUMENT", "Alerts come in only through the monitoring webhooks (/alerts/…).", {}));
  }
}

/** The approvers as a refusal lists them: "@bob, @carol" ("" when none is configured). */
export const approversList = (a: AccessCheck): string => a.approvers.map((u) => `@${u}`).join(", ");
