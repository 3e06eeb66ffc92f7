/**
 * The weekly review digest and the monthly report, rendered as Markdown from figures the store
 * computed: open incidents by age, incidents awaiting RCA or closure, recurring incidents (problem
 * management candidates), customer-detected incidents (monitoring gaps), SLA breaches; and per month
 * the incidents with their comments, availability per service, and the KPIs.
 */
import { formatDuration } from "../duration.js";
import { statsText, type Stats } from "../kpi/stats.js";
import { formatTime } from "../views.js";
import { COLOUR_NAMES, type WeekCounts } from "./chart.js";

export interface ReviewIncident {
  reference: string;
  priority: string;
  title: string;
  status: string;
  service: string | null;
  declaredAt: Date;
  resolvedAt: Date | null;
  /** The resolution summary or closing comment, when there is one. */
  comment?: string | null;
}

export interface Digest {
  open: ReviewIncident[];
  awaitingClosure: ReviewIncident[];
  recurring: { service: string; nature: string; count: number; references: string[] }[];
  customerDetected: ReviewIncident[];
  breaches: { incident: ReviewIncident; what: "respond-by" | "resolve-by" }[];
}

const line = (i: ReviewIncident) => `${i.reference} · ${i.priority} · ${i.title}`;
const orNone = (xs: string[]) => (xs.length ? xs : ["- none"]);

/** The digest of the week `reviewed` (calendar-runs.reviewedWeek), as it stands at `now`. */
export function digestMarkdown(d: Digest, reviewed: { week: string; days: string }, now: Date, zone: string): string {
  return [
    `# Weekly incident review ${reviewed.week} (${reviewed.days})`,
    "",
    `## Open incidents (${d.open.length})`,
    ...orNone(d.open.map((i) => `- ${line(i)} · ${i.status} · open for ${formatDuration(now.getTime() - i.declaredAt.getTime())}`)),
    "",
    `## Awaiting RCA or closure (${d.awaitingClosure.length})`,
    ...orNone(d.awaitingClosure.map((i) => `- ${line(i)} · resolved ${i.resolvedAt ? formatTime(i.resolvedAt, zone) : "?"}`)),
    "",
    "## Recurring incidents (problem management candidates)",
    ...orNone(d.recurring.map((r) => `- ${r.service} / ${r.nature}: ${r.count} incidents in 30 days (${r.references.join(", ")})`)),
    "",
    "## Detected by customers (monitoring gaps)",
    ...orNone(d.customerDetected.map((i) => `- ${line(i)} · declared ${formatTime(i.declaredAt, zone)}`)),
    "",
    `## SLA breaches in ${reviewed.week}`,
    ...orNone(d.breaches.map((b) => `- ${line(b.incident)} · ${b.what} missed`)),
    "",
  ].join("\n");
}

/** Downtime per service: the union of its incidents' spans, so overlapping incidents count once. */
export function serviceDowntime(spans: { service: string; from: Date; to: Date }[]): { service: string; ms: number }[] {
  const byService = new Map<string, [number, number][]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), [s.from.getTime(), s.to.getTime()]]);
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, xs]) => {
      let total = 0;
      let end = -Infinity;
      for (const [a, b] of xs.sort((x, y) => x[0] - y[0])) {
        if (b > end) total += b - Math.max(a, end);
        end = Math.max(end, b);
      }
      return { service, ms: total };
    });
}

export interface MonthlyReport {
  month: string;
  weeks: WeekCounts[];
  priorities: string[];
  incidents: ReviewIncident[];
  /** Downtime per service in the month, milliseconds. */
  downtime: { service: string; ms: number }[];
  periodMs: number;
  stats: Stats;
}

export function monthlyMarkdown(r: MonthlyReport, zone: string): string {
  const availability = (ms: number) => `${(Math.floor((1 - ms / r.periodMs) * 100_000) / 1000).toFixed(3)}%`;
  return [
    `# Monthly incident report ${r.month}`,
    "",
    `## Incidents (${r.incidents.length})`,
    "",
    "| Reference | Priority | Declared | Status | Title | Comment |",
    "|---|---|---|---|---|---|",
    ...r.incidents.map((i) => `| ${i.reference} | ${i.priority} | ${formatTime(i.declaredAt, zone)} | ${i.status} | ${i.title.replace(/\|/g, "\\|")} | ${(i.comment ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ")} |`),
    "",
    "## Incidents per week",
    "",
    `| Week | ${r.priorities.join(" | ")} |`,
    `|---|${r.priorities.map(() => "---|").join("")}`,
    ...r.weeks.map((w) => `| ${w.week} | ${r.priorities.map((p) => w.counts[p] ?? 0).join(" | ")} |`),
    "",
    `Chart colours: ${r.priorities.map((p, i) => `${p} ${COLOUR_NAMES[Math.min(i, COLOUR_NAMES.length - 1)]}`).join(", ")}.`,
    "",
    "## Availability per service",
    "",
    "| Service | Downtime | Availability |",
    "|---|---|---|",
    ...r.downtime.map((s) => `| ${s.service} | ${formatDuration(s.ms)} | ${availability(s.ms)} |`),
    "",
    "## KPIs",
    "",
    "```",
    statsText(r.stats, `in ${r.month}`),
    "```",
    "",
  ].join("\n");
}
