/** What every use case receives: the ports, the policy, and who asked from where. */
import type { Incident } from "../domain/incident.js";
import type { Policy } from "../domain/policy.js";
import { RefusalError, refusal } from "../domain/refusal.js";
import { approversList, ensureAllowed, type Party } from "./access.js";
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
  /** Who may run the command on its incident; set by `execute` from the command table and the policy. */
  access?: AccessCheck;
  /**
   * "outbox": a public answer is posted through the outbox with the change, not by the adapter (Slack
   * buttons and forms, whose only other way to answer is a chat call that could fail after the change).
   */
  confirm?: "outbox";
  /** The monitoring system itself (the alert webhooks): only they set it, and only it runs `alert`. */
  monitoring?: true;
}

/** A permission rule as `execute` resolved it: checked where the incident is found, under its row lock. */
export interface AccessCheck {
  rule: "anyone" | "responder" | "manager" | "approver" | "monitoring";
  /** What the refusal says one may not do: "acknowledge it". */
  does: string;
  /** The approvers of the platform (rule "approver"). */
  approvers: readonly string[];
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
  await ensureAllowed(inv, incidentParty(uow, found));
  return found;
}

/** Responders: whoever declared the incident, holds one of its roles, was paged for it or joined it. */
export async function isResponder(uow: UnitOfWork, i: Incident, userId: string): Promise<boolean> {
  if (i.declaredBy === userId || Object.values(i.roles).includes(userId)) return true;
  if ((await uow.pages.list(i.id)).some((p) => p.channel === "dm" && p.target === userId)) return true;
  return (await uow.incidents.events(i.id)).some((e) => e.kind === JOINED && e.actor === userId);
}

/** The timeline event of `/incident join`. */
export const JOINED = "responder.joined";

/** An incident as the permission rule sees it: its responders, its manager (IM or comms lead). */
function incidentParty(uow: UnitOfWork, i: Incident): Party {
  const im = i.roles.im ?? i.declaredBy;
  return {
    isResponder: (userId) => isResponder(uow, i, userId),
    isManager: (userId) => i.roles.im === userId || i.roles.comms === userId,
    refusal: (rule, a, userId) => {
      ensureNotClosed(i); // on a closed incident, "read-only" is the sentence that helps
      const context = { reference: i.reference, userId };
      if (rule === "responder") return refusal("E_NOT_RESPONDER", `Only responders of ${i.reference} can ${a.does}; run /incident join to become one.`, context);
      if (rule === "manager") {
        return refusal("E_NOT_MANAGER", `Only the incident manager (@${im}) or the communications lead of ${i.reference} can ${a.does}; ask @${im} to hand it over with /incident role im @${userId}.`, context);
      }
      const who = approversList(a);
      return refusal(
        "E_NOT_APPROVER",
        who
          ? `Only the head of team can ${a.does} of ${i.reference} (approvers: ${who}).`
          : `Only the head of team can ${a.does} of ${i.reference}, and none is configured for this platform: set rca.approvers in the policy file.`,
        context,
      );
    },
  };
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
