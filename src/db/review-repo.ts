/**
 * What the weekly digest and the monthly report need, selected in SQL: the lists are short (open,
 * awaiting closure, the week's or month's incidents) and the groupings (recurring, downtime per
 * service) are aggregates. Downtime per service is the union of its incidents' spans within the month
 * (overlapping incidents count once), merged in the domain.
 */
import { sql } from "drizzle-orm";
import { serviceDowntime, type Digest, type ReviewIncident } from "../domain/review/documents.js";
import type { WeekCounts } from "../domain/review/chart.js";
import type { Executor } from "./client.js";
import { rawRows as rows, type Row } from "./raw-rows.js";

const iso = (d: Date) => d.toISOString();
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(String(v)));

const COLUMNS = sql`reference, priority, title, status, service, declared_at, resolved_at`;
function toIncident(r: Row): ReviewIncident {
  return { reference: String(r.reference), priority: String(r.priority), title: String(r.title), status: String(r.status), service: (r.service as string | null) ?? null, declaredAt: date(r.declared_at)!, resolvedAt: date(r.resolved_at), comment: (r.comment as string | null | undefined) ?? null };
}

export async function digestData(tx: Executor, now: Date, weekFrom: Date, threshold: number): Promise<Digest> {
  const n = iso(now);
  const w = iso(weekFrom);
  const open = await rows(tx, sql`select ${COLUMNS} from incidents where status not in ('resolved', 'closed') order by declared_at, id`);
  const awaiting = await rows(tx, sql`select ${COLUMNS} from incidents where status = 'resolved' order by resolved_at, id`);
  const recurring = await rows(
    tx,
    sql`select service, nature, count(*) as n, string_agg(reference, ', ' order by reference) as refs from incidents
      where declared_at >= ${n}::timestamptz - interval '30 days' and declared_at < ${n}::timestamptz and service is not null and nature is not null
      group by service, nature having count(*) >= ${threshold} order by count(*) desc, service, nature`,
  );
  const customer = await rows(tx, sql`select ${COLUMNS} from incidents where detected_by = 'customer' and declared_at >= ${w}::timestamptz and declared_at < ${n}::timestamptz order by declared_at, id`);
  const breaches = await rows(
    tx,
    sql`select ${COLUMNS}, 'respond-by' as what, respond_by as due from incidents
        where respond_by >= ${w}::timestamptz and respond_by < ${n}::timestamptz and coalesce(acknowledged_at, ${n}::timestamptz) > respond_by
      union all
      select ${COLUMNS}, 'resolve-by' as what, resolve_by as due from incidents
        where resolve_by >= ${w}::timestamptz and resolve_by < ${n}::timestamptz and coalesce(resolved_at, ${n}::timestamptz) > resolve_by
      order by due, reference`,
  );
  return {
    open: open.map(toIncident),
    awaitingClosure: awaiting.map(toIncident),
    recurring: recurring.map((r) => ({ service: String(r.service), nature: String(r.nature), count: Number(r.n), references: String(r.refs).split(", ") })),
    customerDetected: customer.map(toIncident),
    breaches: breaches.map((r) => ({ incident: toIncident(r), what: r.what as "respond-by" | "resolve-by" })),
  };
}

/** Incidents per ISO week (of their declaration, in `zone`) and priority, in [from, to). */
export async function weeklyCounts(tx: Executor, from: Date, to: Date, zone: string): Promise<WeekCounts[]> {
  const r = await rows(
    tx,
    sql`select to_char(date_trunc('week', declared_at at time zone ${zone}), 'IYYY-"W"IW') as week, priority, count(*) as n from incidents
      where declared_at >= ${iso(from)}::timestamptz and declared_at < ${iso(to)}::timestamptz group by 1, 2 order by 1, 2`,
  );
  const weeks = new Map<string, Record<string, number>>();
  for (const x of r) weeks.set(String(x.week), { ...(weeks.get(String(x.week)) ?? {}), [String(x.priority)]: Number(x.n) });
  return [...weeks.entries()].map(([week, counts]) => ({ week, counts }));
}

export async function monthData(tx: Executor, from: Date, to: Date): Promise<{ incidents: ReviewIncident[]; downtime: { service: string; ms: number }[] }> {
  const f = iso(from);
  const t = iso(to);
  const incidents = await rows(
    tx,
    sql`select ${COLUMNS}, (select coalesce(e.data->>'comment', e.data->>'text') from incident_events e
        where e.incident_id = incidents.id and (e.kind = 'closed' or (e.kind = 'status.changed' and e.data->>'to' = 'resolved')) order by e.at desc, e.id desc limit 1) as comment
      from incidents where declared_at >= ${f}::timestamptz and declared_at < ${t}::timestamptz order by declared_at, id`,
  );
  const spans = await rows(
    tx,
    sql`select coalesce(service, 'unspecified') as service, greatest(declared_at, ${f}::timestamptz) as start, least(coalesce(resolved_at, ${t}::timestamptz), ${t}::timestamptz) as "end"
      from incidents where declared_at < ${t}::timestamptz and coalesce(resolved_at, ${t}::timestamptz) > ${f}::timestamptz order by 1, 2`,
  );
  const downtime = serviceDowntime(spans.map((r) => ({ service: String(r.service), from: date(r.start)!, to: date(r.end)! })));
  return { incidents: incidents.map(toIncident), downtime };
}
