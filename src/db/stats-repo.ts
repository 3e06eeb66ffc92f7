/**
 * KPIs computed in SQL over the period's incidents (one aggregate query per figure group; nothing
 * loads every incident). The definitions are in src/domain/kpi/stats.ts.
 */
import { sql } from "drizzle-orm";
import type { Stats, StatsFilter } from "../domain/kpi/stats.js";
import type { Executor } from "./client.js";
import { rawRows as rows } from "./raw-rows.js";

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));


export async function computeStats(tx: Executor, f: StatsFilter): Promise<Stats> {
  const period = sql`declared_at >= ${f.from.toISOString()}::timestamptz and declared_at < ${f.to.toISOString()}::timestamptz
    ${f.customer ? sql`and customer = ${f.customer}` : sql``} ${f.nature ? sql`and nature = ${f.nature}` : sql``}`;
  // Duplicates and declined ones were no outage: counted apart, left out of every other figure.
  const scope = sql`select * from incidents where ${period} and outcome is null`;
  const setAside = await rows(tx, sql`select outcome, count(*) as n from incidents where ${period} and outcome is not null group by 1`);
  const ms = (a: string, b: string) => sql.raw(`extract(epoch from (${b} - ${a})) * 1000`);
  const [main] = await rows(
    tx,
    sql`with i as (${scope}) select
      count(*) as total,
      count(*) filter (where respond_by is not null) as respond_of,
      count(*) filter (where respond_by is not null and acknowledged_at <= respond_by) as respond_met,
      count(*) filter (where resolve_by is not null and resolved_at is not null) as resolve_of,
      count(*) filter (where resolved_at <= resolve_by) as resolve_met,
      (select count(distinct e.incident_id) from incident_events e join i on i.id = e.incident_id where e.kind = 'escalated') as escalated,
      avg(${ms("declared_at", "acknowledged_at")}) filter (where acknowledged_at is not null) as mtta,
      avg(${ms("declared_at", "resolved_at")}) filter (where resolved_at is not null) as downtime,
      (select count(distinct r.incident_id) from rca_sections r join i on i.id = r.incident_id where r.section = 'procedures' and length(trim(r.text)) > 0) as procedures,
      (select count(*) from incident_events e join i on i.id = e.incident_id where e.kind = 'update.posted' and coalesce(e.data->>'auto', 'false') = 'false' and e.data->>'onTime' = 'true') as updates_on_time,
      (select count(*) from incident_events e join i on i.id = e.incident_id where (e.kind = 'update.posted' and coalesce(e.data->>'auto', 'false') = 'false') or e.kind = 'update.missed') as updates_of
    from i`,
  );
  const shares = async (col: string) =>
    (await rows(tx, sql`with i as (${scope}) select coalesce(${sql.raw(col)}, 'unspecified') as key, count(*) as n from i group by 1 order by 2 desc, 1`)).map((r) => ({ key: String(r.key), count: num(r.n) }));
  const downtimeBy = async (col: string) =>
    (
      await rows(
        tx,
        sql`with i as (${scope}) select coalesce(${sql.raw(col)}, 'unspecified') as key, avg(${ms("declared_at", "resolved_at")}) as mean, count(*) as n
          from i where resolved_at is not null group by 1 order by 1`,
      )
    ).map((r) => ({ key: String(r.key), meanMs: Math.round(num(r.mean)), count: num(r.n) }));
  const m = main!;
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    total: num(m.total),
    byNature: await shares("nature"),
    byPriority: await shares("priority"),
    respondBy: { met: num(m.respond_met), of: num(m.respond_of) },
    resolveBy: { met: num(m.resolve_met), of: num(m.resolve_of) },
    escalated: num(m.escalated),
    meanTimeToAcknowledgeMs: round(orNull(m.mtta)),
    meanDowntimeMs: round(orNull(m.downtime)),
    downtimeByCustomer: await downtimeBy("customer"),
    downtimeByNature: await downtimeBy("nature"),
    procedures: num(m.procedures),
    updates: { met: num(m.updates_on_time), of: num(m.updates_of) },
    duplicates: num(setAside.find((r) => r.outcome === "duplicate")?.n),
    declined: num(setAside.find((r) => r.outcome === "declined")?.n),
  };
}
