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

/**
 * One delivery of a stakeholder communication: a destination, and for an e-mail list one address of
 * it (an unsubscribed address has none), with its outbox key.
 */
export type Delivery =
  | { destination: Extract<Destination, { kind: "chat" | "webhook" }>; key: string }
  | { destination: Extract<Destination, { kind: "email" }>; address: string; key: string };

/** The deliveries of a communication to an incident's stakeholders: the one list the log and the outbox both read. */
export async function stakeholderDeliveries(ctx: AppContext, uow: UnitOfWork, i: Incident, keyOf: (d: Destination, address?: string) => string): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const d of stakeholderDestinations(ctx, i)) {
    if (d.kind !== "email") {
      out.push({ destination: d, key: keyOf(d) });
      continue;
    }
    for (const address of d.addresses) {
      if (!(await uow.mail.unsubscribed(d.name, address))) out.push({ destination: d, address, key: keyOf(d, address) });
    }
  }
  return out;
}

/** Every key `toStakeholders` would use now (for the communications log, written before the rows exist). */
export async function stakeholderKeys(ctx: AppContext, uow: UnitOfWork, i: Incident, keyOf: (d: Destination, address?: string) => string): Promise<string[]> {
  return (await stakeholderDeliveries(ctx, uow, i, keyOf)).map((d) => d.key);
}

/** A Message-ID key: letters, digits, dots and dashes only. */
const idPart = (s: string) => s.replace(/[^A-Za-z0-9.-]+/g, "-");

/**
 * Enqueues `given` to every chosen destination; answers the keys used. `warRoom` is named to
 * stakeholders on the incident's own platform only (who can join it); the incident's customer, to the
 * destinations that may name it (`showsCustomer`, destinations.ts) only.
 */
export async function toStakeholders(
  ctx: AppContext,
  uow: UnitOfWork,
  i: Incident,
  given: PublicNotice,
  keyOf: (d: Destination, address?: string) => string,
  now: Date,
  warRoom?: string | null,
): Promise<string[]> {
  const tz = ctx.policy.businessHours.timezone;
  const deliveries = await stakeholderDeliveries(ctx, uow, i, keyOf);
  /** One Message-ID per e-mail list for the communication; the incident's first on the list roots the thread. */
  const threads = new Map<string, { messageKey: string; root: string }>();
  for (const v of deliveries) {
    const d = v.destination;
    // The customer's name only where a rule for that customer (or the destination itself) allows it.
    const notice = d.showsCustomer ? given : { ...given, customer: null };
    const base = { incidentId: i.id, key: v.key, message: publicChatMessage(notice, tz, d.kind === "chat" && d.platform === i.platform ? warRoom : null) };
    if ("address" in v) {
      const list = v.destination;
      let thread = threads.get(list.name);
      if (!thread) {
        const messageKey = `${idPart(keyOf(list))}.${idPart(i.reference)}`;
        threads.set(list.name, (thread = { messageKey, root: await uow.mail.threadRoot(i.id, list.name, messageKey, now) }));
      }
      const mail = { timezone: list.timezone ?? tz, messageKey: thread.messageKey, rootKey: thread.root === thread.messageKey ? null : thread.root };
      await uow.outbox.enqueue({ ...base, platform: "email", target: v.address, action: "email", stakeholder: { destination: list.name, notice, mail } }, now);
    } else if (d.kind === "chat") {
      await uow.outbox.enqueue({ ...base, platform: d.platform, target: d.channel, action: "post", stakeholder: { destination: d.name, ...(d.implicit ? { implicit: true } : {}) } }, now);
    } else if (d.kind === "webhook") {
      await uow.outbox.enqueue({ ...base, platform: "webhook", target: d.url, action: "webhook", stakeholder: { destination: d.name, notice } }, now);
    }
  }
  return deliveries.map((v) => v.key);
}
