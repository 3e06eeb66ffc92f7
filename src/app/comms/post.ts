/**
 * Saying something about an incident: one row in the communications log and one outbox delivery per
 * target, keyed by the log row, so `/incident comms` shows where each went and whether it arrived.
 * The target "stakeholders" stands for every destination the policy chooses (stakeholders.ts), which
 * receive the public wording only. Runs in the caller's transaction; the deliver timer sends after
 * the commit.
 */
import { publicNotice, type PublicKind } from "../../domain/comms/public.js";
import type { Incident } from "../../domain/incident.js";
import type { ChatMessage } from "../../domain/views.js";
import type { AppContext } from "../context.js";
import type { UnitOfWork } from "../ports.js";
import { commsKey, toStakeholders } from "./stakeholders.js";

/** "warroom", "stakeholders", a channel id, or a user to message directly. */
export type CommsTarget = string | { dm: string };

export const STAKEHOLDERS = "stakeholders";

export interface Said {
  kind: "notice" | "update" | "allclear" | "reminder" | "interim" | "report";
  actor: string;
  /**
   * The log's text. For what stakeholders receive (notice, update, all-clear, interim, report) it is
   * the public wording — the status page reads it; a reminder is internal and never public.
   */
  text: string;
  /** What the war room (and any other internal target) sees. */
  message: ChatMessage;
  targets: CommsTarget[];
  /** What stakeholders read, when "stakeholders" is a target: the IM's words, the next promise. */
  public?: { kind: PublicKind; text: string | null; next?: Date | null };
}

export async function say(ctx: AppContext, uow: UnitOfWork, i: Incident, s: Said, now: Date): Promise<number> {
  const id = await uow.comms.record({ incidentId: i.id, at: now, actor: s.actor, kind: s.kind, text: s.text, deliveryKeys: [], public: s.targets.includes(STAKEHOLDERS) });
  const keys: string[] = [];
  for (const t of s.targets) {
    if (t === STAKEHOLDERS) {
      const p = s.public ?? { kind: "update" as const, text: s.text };
      keys.push(...(await toStakeholders(ctx, uow, i, publicNotice(ctx.policy, i, p.kind, p.text, p.next ?? null), commsKey(`comms:${id}`), now)));
      continue;
    }
    const dm = typeof t === "object";
    const target = dm ? t.dm : t;
    const key = `comms:${id}:${dm ? "dm:" : ""}${target}`;
    await uow.outbox.enqueue({ key, incidentId: i.id, platform: i.platform, target, action: dm ? "dm" : "post", message: s.message }, now);
    keys.push(key);
  }
  await uow.comms.setDeliveryKeys(id, keys);
  return id;
}

/** Where stakeholder communications go: the war room and stakeholders for P1/P2, else where asked. */
export function stakeholderTargets(communicating: boolean, askedIn: string): CommsTarget[] {
  return communicating ? ["warroom", STAKEHOLDERS] : [askedIn];
}
