/**
 * The status page as a view model, from the incidents of the last 90 days and their public updates.
 * Pure: the caller gives `now` (the bot's clock) and the rows (src/db/status-repo.ts reads them).
 *
 * What is public (DESIGN §2, "public wording is the IM's stakeholder text only"): an incident appears
 * on the public page when it follows the communication process (its priority has `communication:
 * true`: stakeholders were already told its title and updates), its service is a non-private service
 * of `statusPage.services`, its nature is not one of `statusPage.internalNatures` (default: security)
 * and it was not resolved as a duplicate or declined. Its public text is the communications log's
 * notice, updates and all-clear that were said to stakeholders when written (not an update of the
 * time it was P3, before it was raised) — never the war room, the SLA clock, the ladder or who responded.
 * The internal page (STATUS_PAGE_TOKEN) lists private services and every incident of the window.
 */
import { DateTime } from "luxon";
import type { Policy, ServiceState } from "../policy.js";
import { publicText } from "../comms/public.js";

export type { ServiceState } from "../policy.js";

/** What the store reads: the incidents that touch the window, filtered as `statusQuery` says. */
export interface StatusQuery {
  /** Start of the oldest day shown: incidents resolved before it are left out. */
  from: Date;
  now: Date;
  /** Services whose incidents are read; null: any (the internal page). */
  services: string[] | null;
  /** Priorities read (those following the communication process); null: any. */
  priorities: string[] | null;
  /** Updates are read for the incidents open or resolved since this (the page and the feed show no others). */
  recentFrom: Date;
  /** Natures left out. */
  internalNatures: string[];
  /** Communication kinds that are public updates. */
  updateKinds: string[];
  /** Only the communications said to stakeholders when written (the public page); false: every one of those kinds. */
  publicOnly: boolean;
}

export interface StatusIncidentRow {
  id: number;
  reference: string;
  title: string;
  service: string | null;
  impact: string;
  status: string;
  declaredAt: Date;
  resolvedAt: Date | null;
}

export interface StatusUpdateRow {
  id: number;
  incidentId: number;
  at: Date;
  kind: string;
  text: string;
}

export interface StatusData {
  incidents: StatusIncidentRow[];
  updates: StatusUpdateRow[];
}

export interface DayBar {
  /** Local date (the policy's time zone), "YYYY-MM-DD". */
  date: string;
  state: ServiceState;
  incidents: number;
}

export interface ServiceView {
  id: string;
  name: string;
  state: ServiceState;
  private: boolean;
  /** Oldest first, HISTORY_DAYS of them, the last one today. */
  days: DayBar[];
}

export interface PublicUpdate {
  id: number;
  at: Date;
  /** "Investigating", "Update", "Resolved". */
  label: string;
  text: string;
}

export interface PublicIncident {
  reference: string;
  title: string;
  /** The service's display name, or its id when the policy does not list it (internal page only). */
  service: string | null;
  /** What the incident does to its service (open), or did (resolved). */
  state: ServiceState;
  /** "Investigating", "Mitigated", "Resolved". */
  status: string;
  startedAt: Date;
  resolvedAt: Date | null;
  /** Oldest first. */
  updates: PublicUpdate[];
}

export interface FeedEntry extends PublicUpdate {
  reference: string;
  title: string;
}

export interface StatusPageView {
  title: string;
  internal: boolean;
  generatedAt: Date;
  timezone: string;
  /** The worst state of any listed service. */
  overall: ServiceState;
  services: ServiceView[];
  open: PublicIncident[];
  /** Resolved in the last RECENT_DAYS days, newest first. */
  recent: PublicIncident[];
  /** Newest first, at most FEED_MAX, of the open incidents and those resolved in the last RECENT_DAYS. */
  feed: FeedEntry[];
}

export const HISTORY_DAYS = 90;
export const RECENT_DAYS = 7;
/**
 * Feed readers poll: the feed holds the updates of the incidents on the page (open, or resolved in the
 * last RECENT_DAYS), at most 100 (~45 kB), rather than every update of the 90 days (3,000 for 1,000
 * incidents: the read alone took twice as long in bench/status-page.ts).
 */
export const FEED_MAX = 100;
/** The communication kinds shown: the initial notice, the updates and the all-clear. */
export const PUBLIC_UPDATE_KINDS = ["notice", "update", "allclear"];

const RANK: Record<ServiceState, number> = { operational: 0, degraded: 1, outage: 2 };
export const worst = (a: ServiceState, b: ServiceState): ServiceState => (RANK[b] > RANK[a] ? b : a);

/**
 * What an open incident of this impact does to its service: `statusPage.impactStates`, else by rank
 * in the matrix — the first (most severe) level an outage, the last one operational when there are
 * three or more (I3 "insignificant or no impact"), the others degraded.
 */
export function impactState(policy: Policy, impact: string): ServiceState {
  const set = policy.statusPage.impactStates[impact];
  if (set) return set;
  const levels = policy.matrix.impacts;
  const at = levels.findIndex((l) => l.id === impact);
  if (at === 0) return "outage";
  if (at === levels.length - 1 && levels.length >= 3) return "operational";
  return "degraded";
}

const OPEN = (status: string) => status !== "resolved" && status !== "closed";

/** A workaround in place (mitigated) leaves the service degraded but usable, never down. */
function currentState(policy: Policy, i: StatusIncidentRow): ServiceState {
  const s = impactState(policy, i.impact);
  return i.status === "mitigated" && s === "outage" ? "degraded" : s;
}

function publicStatus(status: string): string {
  if (status === "mitigated") return "Mitigated";
  return OPEN(status) ? "Investigating" : "Resolved";
}

const LABELS: Record<string, string> = { notice: "Investigating", update: "Update", allclear: "Resolved" };

/**
 * The notice's stored text is the announcement's headline (reference · priority · title); the page
 * says it in a visitor's words instead, since the title and reference are shown beside it. Stored
 * text is scrubbed again (`publicText`): rows written before the public wording existed carry mentions.
 */
function visitorText(u: StatusUpdateRow): string {
  return u.kind === "notice" ? "We are aware of this incident and are investigating." : publicText(u.text);
}

/** The start of the oldest day shown, in the policy's time zone. */
export function windowStart(policy: Policy, now: Date): Date {
  return DateTime.fromJSDate(now, { zone: policy.businessHours.timezone }).startOf("day").minus({ days: HISTORY_DAYS - 1 }).toJSDate();
}

/** What the store must read for the page. */
export function statusQuery(policy: Policy, now: Date, internal: boolean): StatusQuery {
  const services = Object.entries(policy.statusPage.services);
  return {
    from: windowStart(policy, now),
    now,
    recentFrom: new Date(now.getTime() - RECENT_DAYS * 86_400_000),
    services: internal ? null : services.filter(([, s]) => !s.private).map(([id]) => id),
    priorities: internal ? null : policy.matrix.priorities.filter((p) => p.communication).map((p) => p.id),
    internalNatures: internal ? [] : policy.statusPage.internalNatures,
    updateKinds: PUBLIC_UPDATE_KINDS,
    // An update written while the incident was P3 went to no stakeholder: raised later, it stays internal.
    publicOnly: !internal,
  };
}

export function buildStatusPage(policy: Policy, data: StatusData, now: Date, internal: boolean): StatusPageView {
  const zone = policy.businessHours.timezone;
  const listed = Object.entries(policy.statusPage.services).filter(([, s]) => internal || !s.private);
  const listedIds = new Set(listed.map(([id]) => id));
  // The store filtered already; this keeps the page right whatever it was given.
  const incidents = data.incidents.filter((i) => internal || (i.service !== null && listedIds.has(i.service)));
  const byIncident = new Map<number, StatusUpdateRow[]>();
  for (const u of data.updates) {
    const list = byIncident.get(u.incidentId);
    if (list) list.push(u);
    else byIncident.set(u.incidentId, [u]);
  }
  const nameOf = (service: string | null) => (service === null ? null : (policy.statusPage.services[service]?.name ?? service));
  const view = (i: StatusIncidentRow): PublicIncident => ({
    reference: i.reference,
    title: publicText(i.title),
    service: nameOf(i.service),
    state: OPEN(i.status) ? currentState(policy, i) : impactState(policy, i.impact),
    status: publicStatus(i.status),
    startedAt: i.declaredAt,
    resolvedAt: OPEN(i.status) ? null : i.resolvedAt,
    updates: (byIncident.get(i.id) ?? [])
      .slice()
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
      .map((u) => ({ id: u.id, at: u.at, label: LABELS[u.kind] ?? "Update", text: visitorText(u) })),
  });

  // Days: local midnights from the window start; an incident counts on every day it overlaps.
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const dayStarts = Array.from({ length: HISTORY_DAYS }, (_, k) => today.minus({ days: HISTORY_DAYS - 1 - k }));
  const bounds = [...dayStarts.map((d) => d.toMillis()), today.plus({ days: 1 }).toMillis()];
  const perService = new Map<string, { state: ServiceState; incidents: number }[]>();
  for (const [id] of listed) perService.set(id, dayStarts.map(() => ({ state: "operational" as ServiceState, incidents: 0 })));
  for (const i of incidents) {
    const days = i.service === null ? undefined : perService.get(i.service);
    if (!days) continue;
    const start = i.declaredAt.getTime();
    const end = i.resolvedAt && !OPEN(i.status) ? i.resolvedAt.getTime() : now.getTime();
    const state = impactState(policy, i.impact);
    for (let k = dayIndex(bounds, start); k < HISTORY_DAYS && bounds[k]! <= end; k++) {
      if (k < 0) continue;
      if (bounds[k + 1]! <= start) continue;
      const d = days[k]!;
      d.incidents++;
      d.state = worst(d.state, state);
    }
  }

  const open = incidents.filter((i) => OPEN(i.status));
  const services: ServiceView[] = listed.map(([id, s]) => ({
    id,
    name: s.name,
    private: s.private,
    state: open.filter((i) => i.service === id).reduce<ServiceState>((acc, i) => worst(acc, currentState(policy, i)), "operational"),
    days: dayStarts.map((d, k) => ({ date: d.toISODate()!, ...perService.get(id)![k]! })),
  }));
  const recentFrom = now.getTime() - RECENT_DAYS * 86_400_000;
  const recent = incidents
    .filter((i) => !OPEN(i.status) && i.resolvedAt !== null && i.resolvedAt.getTime() >= recentFrom)
    .sort((a, b) => b.resolvedAt!.getTime() - a.resolvedAt!.getTime() || b.id - a.id);
  const shown = new Map(incidents.map((i) => [i.id, i]));
  const feed = data.updates
    .filter((u) => shown.has(u.incidentId))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id)
    .slice(0, FEED_MAX)
    .map((u) => {
      const i = shown.get(u.incidentId)!;
      return { id: u.id, at: u.at, label: LABELS[u.kind] ?? "Update", text: visitorText(u), reference: i.reference, title: publicText(i.title) };
    });
  return {
    title: policy.statusPage.title,
    internal,
    generatedAt: now,
    timezone: zone,
    overall: services.reduce<ServiceState>((acc, s) => worst(acc, s.state), "operational"),
    services,
    open: open.sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime() || b.id - a.id).map(view),
    recent: recent.map(view),
    feed,
  };
}

/** The index of the day holding `t` (-1 before the window). */
function dayIndex(bounds: number[], t: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  if (t < bounds[0]!) return 0;
  while (lo < hi - 1) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}
