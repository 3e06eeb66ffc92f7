/** What every use case receives: the ports, the policy, and who asked from where. */
import type { Incident } from "../domain/incident.js";
import type { Policy } from "../domain/policy.js";
import { RefusalError, refusal } from "../domain/refusal.js";
import type { AppDeps, UnitOfWork } from "./ports.js";

export interface AppContext extends AppDeps {
  policy: Policy;
}

/** Who runs a command, where. `requestKey` makes a retried request (Slack retry, double click) a no-op. */
export interface Invocation {
  platform: string;
  channelId: string;
  userId: string;
  requestKey?: string;
  /** Set for buttons and forms on incident messages: only the incident's responders may use them. */
  asResponder?: boolean;
}

/** Runs `fn` in one transaction, then tells the scheduler new timers may be due. */
export async function inTransaction<T>(ctx: AppContext, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const result = await ctx.store.transaction(fn);
  ctx.waker.wake();
  return result;
}

/**
 * Claims the request key inside the transaction; a key seen before means this is a retry, and the use
 * case answers E_DUPLICATE_REQUEST without changing anything.
 */
export async function claimRequest(ctx: AppContext, uow: UnitOfWork, inv: Invocation): Promise<void> {
  if (!inv.requestKey) return;
  const first = await uow.requests.claim(`${inv.platform}:${inv.requestKey}`, ctx.clock.now());
  if (!first) {
    throw new RefusalError(
      refusal("E_DUPLICATE_REQUEST", "This request was already handled.", { requestKey: inv.requestKey }),
    );
  }
}

/**
 * The incident a command is about: the one named by `reference`, or else the one whose war room the
 * command was run in. Locks the row so concurrent changes to one incident run one after the other.
 */
export async function targetIncident(
  uow: UnitOfWork,
  inv: Invocation,
  reference: string | undefined,
): Promise<Incident> {
  const found = await findTarget(uow, inv, reference);
  if (inv.asResponder) {
    // Whoever the escalation ladder paged is asked to act (acknowledge first): a responder too.
    const paged = (await uow.pages.list(found.id)).filter((p) => p.channel === "dm").map((p) => p.target);
    ensureResponder(found, inv.userId, paged);
  }
  return found;
}

/** Responders: whoever declared the incident, holds one of its roles, or was paged for it. */
export function ensureResponder(i: Incident, userId: string, paged: string[] = []): void {
  const responders = new Set([i.declaredBy, ...Object.values(i.roles), ...paged]);
  if (!responders.has(userId)) {
    throw new RefusalError(
      refusal(
        "E_NOT_RESPONDER",
        `Only the incident manager and responders of ${i.reference} can do that; ask @${i.roles.im ?? i.declaredBy} to give you a role with /incident role.`,
        { reference: i.reference, userId },
      ),
    );
  }
}

async function findTarget(uow: UnitOfWork, inv: Invocation, reference: string | undefined): Promise<Incident> {
  if (reference) {
    const found = await uow.incidents.byReference(reference, true);
    if (!found) {
      throw new RefusalError(
        refusal("E_INCIDENT_NOT_FOUND", `No incident ${reference.toUpperCase()}; /incident list shows the open ones.`, { reference }),
      );
    }
    return found;
  }
  const here = await uow.incidents.byChannel(inv.platform, inv.channelId, true);
  if (!here) {
    throw new RefusalError(
      refusal(
        "E_NOT_IN_INCIDENT_CHANNEL",
        "This channel is not an incident war room: run the command in the war room, or add --incident INC-YYYY-NNNN.",
        { channelId: inv.channelId },
      ),
    );
  }
  return here;
}

export function ensureNotClosed(i: Incident): void {
  if (i.status === "closed") {
    throw new RefusalError(
      refusal("E_INCIDENT_CLOSED", `${i.reference} is closed; closed incidents are read-only.`, { reference: i.reference }),
    );
  }
}
