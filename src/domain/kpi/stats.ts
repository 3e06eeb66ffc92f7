/**
 * The KPIs of DESIGN §2 "Review and KPIs", as figures the store computes (in SQL) and this module
 * turns into the review's text. Definitions (the tests work them out by hand from these):
 * - respond-by met: acknowledged at or before respond-by (the stored deadline already excludes time
 *   spent waiting); counted over incidents that have a respond-by.
 * - resolve-by met: resolved at or before resolve-by, over resolved incidents that have a resolve-by.
 * - with escalation: at least one `escalated` event (technical ladder move or managerial escalation).
 * - time to acknowledge: declared → first acknowledgement; downtime: declared → (last) resolution.
 * - procedures: incidents whose RCA `procedures` section is written.
 * - updates on time: updates posted by people on time, over those plus the ones recorded missed.
 */
import { formatDuration } from "../duration.js";

export interface StatsFilter {
  from: Date;
  /** Exclusive. */
  to: Date;
  customer?: string | undefined;
  nature?: string | undefined;
}

export interface Share {
  key: string;
  count: number;
}

export interface Ratio {
  met: number;
  of: number;
}

export interface Stats {
  total: number;
  byNature: Share[];
  byPriority: Share[];
  respondBy: Ratio;
  resolveBy: Ratio;
  escalated: number;
  /** Milliseconds, null when nothing to average. */
  meanTimeToAcknowledgeMs: number | null;
  meanDowntimeMs: number | null;
  downtimeByCustomer: { key: string; meanMs: number; count: number }[];
  downtimeByNature: { key: string; meanMs: number; count: number }[];
  procedures: number;
  updates: Ratio;
  /** Resolved as a duplicate or declined: not in `total` nor in any other figure. */
  duplicates: number;
  declined: number;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return "n/a";
  const p = (part / whole) * 100;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

const mean = (ms: number | null) => (ms === null ? "n/a" : formatDuration(ms));

export function statsText(s: Stats, period: string): string {
  const apart = s.duplicates + s.declined > 0 ? `\n  Set apart: ${s.duplicates} duplicate(s), ${s.declined} declined (not counted above)` : "";
  if (s.total === 0) return `No incidents ${period}.${apart}`;
  const shares = (xs: Share[]) => xs.map((x) => `${x.key} ${percent(x.count, s.total)} (${x.count})`).join(", ");
  const downtime = (xs: Stats["downtimeByCustomer"]) => xs.map((x) => `${x.key} ${mean(x.meanMs)} (${x.count})`).join(", ") || "n/a";
  return [
    `Incidents ${period}: ${s.total}`,
    `  By nature: ${shares(s.byNature)}`,
    `  By priority: ${shares(s.byPriority)}`,
    `  Respond-by met: ${percent(s.respondBy.met, s.respondBy.of)} (${s.respondBy.met}/${s.respondBy.of}); resolve-by met: ${percent(s.resolveBy.met, s.resolveBy.of)} (${s.resolveBy.met}/${s.resolveBy.of})`,
    `  Handled without escalation: ${percent(s.total - s.escalated, s.total)}; with escalation: ${percent(s.escalated, s.total)} (${s.escalated})`,
    `  Mean time to acknowledge: ${mean(s.meanTimeToAcknowledgeMs)}`,
    `  Mean downtime: ${mean(s.meanDowntimeMs)}; by customer: ${downtime(s.downtimeByCustomer)}; by nature: ${downtime(s.downtimeByNature)}`,
    `  Procedures written or updated: ${s.procedures}`,
    `  Updates on time: ${percent(s.updates.met, s.updates.of)} (${s.updates.met}/${s.updates.of})`,
  ].join("\n") + apart;
}
