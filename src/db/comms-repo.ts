/** The communications log on drizzle: one row per communication, its deliveries read from the outbox. */
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { CommsRepo, Communication, NewCommunication } from "../app/ports.js";
import type { Executor } from "./client.js";
import { communications, outbox } from "./schema.js";

/** Where a delivery went, as `/incident comms` names it: "announcements", "customers-acme (e-mail ops@acme.example)", "status (slack)". */
function deliveryTarget(d: { platform: string; target: string; action: string; destination: string | null }): string {
  if (d.action === "dm") return `@${d.target}`;
  if (!d.destination) return d.target;
  if (d.action === "email") return `${d.destination} (e-mail ${d.target})`;
  if (d.action === "webhook") return `${d.destination} (webhook)`;
  return d.destination.startsWith("announcements") ? d.destination : `${d.destination} (${d.platform})`;
}

export class DrizzleCommsRepo implements CommsRepo {
  constructor(private readonly tx: Executor) {}

  async record(c: NewCommunication): Promise<number> {
    const [row] = await this.tx.insert(communications).values(c).returning({ id: communications.id });
    return row!.id;
  }

  async setDeliveryKeys(id: number, keys: string[]): Promise<void> {
    await this.tx.update(communications).set({ deliveryKeys: keys }).where(eq(communications.id, id));
  }

  async list(incidentId: number): Promise<Communication[]> {
    const rows = await this.tx.select().from(communications).where(eq(communications.incidentId, incidentId)).orderBy(asc(communications.at), asc(communications.id));
    const keys = rows.flatMap((r) => r.deliveryKeys);
    const sent = keys.length
      ? await this.tx
          .select({ key: outbox.key, platform: outbox.platform, target: outbox.target, action: outbox.action, status: outbox.status, attempts: outbox.attempts, lastError: outbox.lastError, destination: sql<string | null>`${outbox.payload}->'stakeholder'->>'destination'` })
          .from(outbox)
          .where(inArray(outbox.key, keys))
      : [];
    const byKey = new Map(sent.map((s) => [s.key, s]));
    return rows.map((r) => ({
      id: r.id,
      incidentId: r.incidentId,
      at: r.at,
      actor: r.actor,
      kind: r.kind,
      text: r.text,
      public: r.public,
      deliveries: r.deliveryKeys.flatMap((k) => {
        const d = byKey.get(k);
        return d ? [{ target: deliveryTarget(d), status: d.status, attempts: d.attempts, lastError: d.lastError }] : [];
      }),
    }));
  }
}
