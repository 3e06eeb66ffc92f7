/** The hand-worked month of test/integration/stats.test.ts (see its header), for the KPI and review tests. */
import { incidentEvents, incidents, rcaSections } from "../../src/db/schema.js";
import type { TestDatabase } from "./databases.js";

export const d = (iso: string) => new Date(iso);
export type Seed = { seq: number; priority: string; nature: string | null; customer: string | null; declaredAt: string; respondBy: string; resolveBy: string; ack?: string; resolved?: string; events?: [string, Record<string, unknown>][] };

export const SEEDS: Seed[] = [
  { seq: 1, priority: "P1", nature: "network", customer: "ACME", declaredAt: "2026-11-02T10:00:00Z", respondBy: "2026-11-02T10:15:00Z", resolveBy: "2026-11-02T14:00:00Z", ack: "2026-11-02T10:10:00Z", resolved: "2026-11-02T12:00:00Z",
    events: [["update.posted", { onTime: true, auto: false }], ["update.posted", { onTime: true, auto: false }], ["update.missed", {}], ["status.changed", { from: "investigating", to: "resolved", text: "Router firmware rolled back" }]] },
  { seq: 2, priority: "P2", nature: "application", customer: "ACME", declaredAt: "2026-11-05T09:00:00Z", respondBy: "2026-11-05T10:00:00Z", resolveBy: "2026-11-05T17:30:00Z", ack: "2026-11-05T10:30:00Z", resolved: "2026-11-05T17:20:00Z",
    events: [["escalated", { type: "technical", level: 2, auto: true }], ["update.posted", { onTime: false, auto: false }], ["update.posted", { onTime: true, auto: true }]] },
  { seq: 3, priority: "P3", nature: "application", customer: "Globex", declaredAt: "2026-11-10T08:00:00Z", respondBy: "2026-11-10T16:00:00Z", resolveBy: "2026-11-11T16:00:00Z", resolved: "2026-11-12T09:00:00Z",
    events: [["reopened", {}], ["escalated", { type: "managerial", level: 4, auto: false }]] },
  { seq: 4, priority: "P1", nature: null, customer: null, declaredAt: "2026-11-20T00:00:00Z", respondBy: "2026-11-20T00:15:00Z", resolveBy: "2026-11-20T04:00:00Z", ack: "2026-11-20T00:05:00Z" },
  { seq: 5, priority: "P1", nature: "network", customer: "ACME", declaredAt: "2026-10-15T10:00:00Z", respondBy: "2026-10-15T10:15:00Z", resolveBy: "2026-10-15T14:00:00Z", ack: "2026-10-15T11:00:00Z", resolved: "2026-10-15T12:00:00Z",
    events: [["escalated", { type: "technical", level: 2, auto: true }]] },
];

export async function seed(database: TestDatabase): Promise<void> {
  for (const s of SEEDS) {
    const [row] = await database.db
      .insert(incidents)
      .values({
        reference: `INC-2026-${String(s.seq).padStart(4, "0")}`, year: 2026, seq: s.seq, title: `Incident ${s.seq}`, nature: s.nature, service: "shop", customer: s.customer, detectedBy: s.seq === 3 ? "customer" : "monitoring",
        impact: "I1", urgency: "U1", priority: s.priority, status: s.resolved ? "resolved" : "investigating", platform: "console", originChannel: "general", declaredBy: "alice",
        declaredAt: d(s.declaredAt), respondBy: d(s.respondBy), resolveBy: d(s.resolveBy), acknowledgedAt: s.ack ? d(s.ack) : null, resolvedAt: s.resolved ? d(s.resolved) : null,
      })
      .returning({ id: incidents.id });
    for (const [kind, data] of s.events ?? []) await database.db.insert(incidentEvents).values({ incidentId: row!.id, at: d(s.declaredAt), actor: "alice", kind, data });
    if (s.seq === 1) await database.db.insert(rcaSections).values({ incidentId: row!.id, section: "procedures", text: "Runbook DB-7 updated", authors: ["alice"], updatedAt: d(s.declaredAt) });
  }
}

