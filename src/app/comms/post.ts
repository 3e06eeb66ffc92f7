/**
 * Saying something about an incident: one row in the communications log and one outbox delivery per
 * target, keyed by the log row, so `/incident comms` shows where each went and whether it arrived.
 * Runs in the caller's transaction; the deliver timer sends after the commit.
 */
import type { Incident } from "../../domain/incident.js";
import type { ChatMessage } from "../../domain/views.js";
import type { UnitOfWork } from "../ports.js";

/** "warroom", "announcements", a channel id, or a user to message directly. */
export type CommsTarget = string | { dm: string };

export interface Said {
  kind: "notice" | "update" | "allclear" | "reminder" | "interim" | "report";
  actor: string;
  text: string;
  message: ChatMessage;
  targets: CommsTarget[];
}

export async function say(uow: UnitOfWork, i: Incident, s: Said, now: Date): Promise<number> {
  const id = await uow.comms.record({ incidentId: i.id, at: now, actor: s.actor, kind: s.kind, text: s.text, deliveryKeys: [] });
  const keys: string[] = [];
  for (const t of s.targets) {
    const dm = typeof t === "object";
    const target = dm ? t.dm : t;
    const key = `comms:${id}:${dm ? "dm:" : ""}${target}`;
    await uow.outbox.enqueue({ key, incidentId: i.id, platform: i.platform, target, action: dm ? "dm" : "post", message: s.message }, now);
    keys.push(key);
  }
  await uow.comms.setDeliveryKeys(id, keys);
  return id;
}

/** Where stakeholder communications go: the war room and announcements for P1/P2, else where asked. */
export function stakeholderTargets(communicating: boolean, askedIn: string): CommsTarget[] {
  return communicating ? ["warroom", "announcements"] : [askedIn];
}
