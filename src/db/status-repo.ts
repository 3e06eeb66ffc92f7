/**
 * The status page's reads: two indexed statements, no cache (every replica answers from the database,
 * so nothing can go stale between them).
 * 1. The incidents touching the window — open, or resolved since its start — through
 *    `incidents_resolved_at_idx` (resolved_at IS NULL OR resolved_at >= $from: a BitmapOr of two
 *    index ranges, so the 90 days cost the same however long the history grows).
 * 2. The public updates of those on the page (open, or resolved in the last 7 days; on the public
 *    page only those said to stakeholders, `communications.public`) through
 *    `communications_incident_idx` (incident_id IN (…)): ~90 incidents' updates, not the window's 3,000.
 * Measured in bench/status-page.ts (1,000 incidents in the window, 3,000 updates, among 10,000), on
 * the shared 2-core machine at load average 16–18: both statements 29 ms (PostgreSQL) / 45 ms (PGlite)
 * median; CPU per GET /status 25 ms (PostgreSQL) / 47 ms (PGlite), /status.json and the feed 12–29
 * ms; wall-clock medians 40–112 ms at that load. Reading all 3,000 updates instead took ~100 ms.
 */
import { and, asc, eq, gte, inArray, isNull, lte, notInArray, or } from "drizzle-orm";
import type { StatusData, StatusQuery } from "../domain/status/model.js";
import type { Executor } from "./client.js";
import { communications, incidents } from "./schema.js";

export async function statusWindow(tx: Executor, q: StatusQuery): Promise<StatusData> {
  if (q.services?.length === 0 || q.priorities?.length === 0) return { incidents: [], updates: [] };
  const rows = await tx
    .select({
      id: incidents.id,
      reference: incidents.reference,
      title: incidents.title,
      service: incidents.service,
      impact: incidents.impact,
      status: incidents.status,
      declaredAt: incidents.declaredAt,
      resolvedAt: incidents.resolvedAt,
    })
    .from(incidents)
    .where(
      and(
        or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, q.from)),
        lte(incidents.declaredAt, q.now),
        // A duplicate or a declined incident was no outage.
        isNull(incidents.outcome),
        q.services ? inArray(incidents.service, q.services) : undefined,
        q.priorities ? inArray(incidents.priority, q.priorities) : undefined,
        q.internalNatures.length ? or(isNull(incidents.nature), notInArray(incidents.nature, q.internalNatures)) : undefined,
      ),
    )
    .orderBy(asc(incidents.declaredAt), asc(incidents.id));
  const shown = rows.filter((r) => r.resolvedAt === null || r.resolvedAt >= q.recentFrom).map((r) => r.id);
  if (shown.length === 0) return { incidents: rows, updates: [] };
  const updates = await tx
    .select({ id: communications.id, incidentId: communications.incidentId, at: communications.at, kind: communications.kind, text: communications.text })
    .from(communications)
    .where(and(inArray(communications.incidentId, shown), inArray(communications.kind, q.updateKinds), lte(communications.at, q.now), q.publicOnly ? eq(communications.public, true) : undefined))
    .orderBy(asc(communications.at), asc(communications.id));
  return { incidents: rows, updates };
}
