/**
 * Saying something to stakeholders: one outbox row per destination the policy's rules choose (per
 * address for an e-mail list: each member gets their own unsubscribe link and their own delivery
 * result, so a refused address never makes the others receive a mail twice), all rendered from one
 * `PublicNotice`. Keys are `<base>:<destination>`, so a retried step or a second replica adds nothing.
 * Runs in the caller's transaction; the deliver timer sends after the commit.
 */
import { chooseDestinations, destinationKeyPart, type Destination } from "../../domain/comms/destinations.js";
import { publicChatMessage, type PublicNotice } from "../../domain/comms/public.js";
import type { Incident } from "../../domain/incident.js";
import type { AppContext } from "../context.js";
import type { UnitOfWork } from "../ports.js";

/**
 * The destinations of an incident's stakeholder communications. Without configured destinations:
 * the incident's own platform's announcements channel (as always: delivered, or cancelled when none is
 * set) and those of the other chat platforms running that have one.
 */
export function stakeholderDestinations(ctx: AppContext, i: Incident): Destination[] {
  const platforms = Object.keys(ctx.chats).filter((p) => p === i.platform || ctx.chats[p]!.announcementsChannel());
  return chooseDestinations(ctx.policy.stakeholders, i, platforms);
}

/** The outbox key of one delivery of the communication `base` (`comms:12`) to a destination. */
export const commsKey = (base: string) => (d: Destination, address?: string) => `${base}:${destinationKeyPart(d, address)}`;

/** The announcement's keys keep their old form on the platforms' own channels: `announce:<id>:<platform>`. */
export const announceKey = (i: Pick<Incident, "id">) => (d: Destination, address?: string) =>
  d.kind === "chat" && d.implicit ? `announce:${i.id}:${d.platform}` : `announce:${i.id}:${destinationKeyPart(d, address)}`;

/** Every key `toStakeholders` would use (for the communications log, written before the rows exist). */
export function stakeholderKeys(ctx: AppContext, i: Incident, keyOf: (d: Destination, address?: string) => string): string[] {
  return stakeholderDestinations(ctx, i).flatMap((d) => (d.kind === "email" ? d.addresses.map((a) => keyOf(d, a)) : [keyOf(d)]));
}

/** A Message-ID key: letters, digits, dots and dashes only. */
const idPart = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, "-");

/**
 * Enqueues `notice` to every chosen destination; answers the keys used. `warRoom` is named to
 * stakeholders on the incident's own platform only (who can join it).
 */
export async function toStakeholders(
  ctx: AppContext,
  uow: UnitOfWork,
  i: Incident,
  notice: PublicNotice,
  keyOf: (d: Destination, address?: string) => string,
  now: Date,
  warRoom?: string | null,
): Promise<string[]> {
  const tz = ctx.policy.businessHours.timezone;
  const keys: string[] = [];
  for (const d of stakeholderDestinations(ctx, i)) {
    const base = { incidentId: i.id, message: publicChatMessage(notice, tz, d.kind === "chat" && d.platform === i.platform ? warRoom : null) };
    if (d.kind === "chat") {
      const key = keyOf(d);
      await uow.outbox.enqueue({ ...base, key, platform: d.platform, target: d.channel, action: "post", stakeholder: { destination: d.name, ...(d.implicit ? { implicit: true } : {}) } }, now);
      keys.push(key);
    } else if (d.kind === "webhook") {
      const key = keyOf(d);
      await uow.outbox.enqueue({ ...base, key, platform: "webhook", target: d.url, action: "webhook", stakeholder: { destination: d.name, notice } }, now);
      keys.push(key);
    } else {
      // One Message-ID for the communication on this list; the incident's first on the list roots the thread.
      const messageKey = `${idPart(keyOf(d))}.${idPart(i.reference)}`;
      const root = await uow.mail.threadRoot(i.id, d.name, messageKey, now);
      for (const address of d.addresses) {
        if (await uow.mail.unsubscribed(d.name, address)) continue;
        const token = await uow.mail.token(d.name, address, now);
        const key = keyOf(d, address);
        const mail = { timezone: d.timezone ?? tz, messageKey, rootKey: root === messageKey ? null : root, token };
        await uow.outbox.enqueue({ ...base, key, platform: "email", target: address, action: "email", stakeholder: { destination: d.name, notice, mail } }, now);
        keys.push(key);
      }
    }
  }
  return keys;
}
