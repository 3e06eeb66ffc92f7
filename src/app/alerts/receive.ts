/**
 * Alerts in: a monitoring notification (already parsed into an `AlertBatch` by the HTTP adapter)
 * becomes incident changes through the existing use cases — `declare`, the timeline, `changeStatus`
 * — in the one transaction of the `alert` command, with every post in the outbox. So the webhook's
 * 200 means all of it is committed, and an error leaves nothing half-done (Alertmanager retries 5xx).
 *
 * Per group (Alertmanager / Grafana `groupKey`, the generic `key`), under the group's row lock:
 * - nothing new (a repeat) → nothing changes;
 * - an open incident → the alerts attach to it (timeline entries; new firings and resolutions are
 *   posted where its people are; all resolved → the IM is asked to resolve, or the rule auto-resolves);
 * - none → a new incident (linked to the previous one), the previous one reopened (`onRefire:
 *   reopen`), a Declare button in the triage channel (`declare: triage`), or — past the rule's flood
 *   bound — the rule's "monitoring storm" incident.
 */
import { createHash } from "node:crypto";
import { allResolved, changesOf, type AlertChange } from "../../domain/alerts/dedup.js";
import { routeFor, routedIm, type Route } from "../../domain/alerts/routing.js";
import { MONITORING_USER, type AlertBatch, type NormalisedAlert } from "../../domain/alerts/types.js";
import { alertLines, alertsFiringView, alertsResolvedView, stormView, triageView } from "../../domain/alerts/views.js";
import type { Incident } from "../../domain/incident.js";
import { refusal, RefusalError } from "../../domain/refusal.js";
import type { ChatMessage } from "../../domain/views.js";
import { approversList, ensureAllowed, type Party } from "../access.js";
import { inTransaction, type AppContext, type Invocation } from "../context.js";
import type { UnitOfWork } from "../ports.js";
import { changeStatus } from "../status-change.js";
import { noticeTarget } from "../warroom.js";
import type { AlertGroup } from "./ports.js";
import { alertsTitle, type AlertDeclaration } from "../../domain/alerts/declaration.js";
import { declareRouted } from "./declare-routed.js";
import { overridesBySchedule } from "../oncall/overrides.js";

export type AlertResult = "declared" | "attached" | "unchanged" | "recorded" | "triage" | "storm" | "reopened";

export interface AlertOutcome {
  result: AlertResult;
  incident: Incident | null;
  /** The triage proposal (ALERT-<n>) when nothing was declared yet. */
  group: string;
  text: string;
}

const MINUTE_MS = 60_000;
export const groupRef = (id: number) => `ALERT-${id}`;
/**
 * The group in an outbox key: several groups attach to one incident (the storm incident; Alertmanager
 * routes with `continue`), and two of their notifications in one millisecond must not share a key.
 */
const groupTag = (b: AlertBatch): string => createHash("sha256").update(`${b.source}\u0000${b.groupKey}`).digest("hex").slice(0, 12);
const ended = (i: Incident) => i.status === "resolved" || i.status === "closed";

/** The chat where routed incidents live: the policy's, else the first of slack, discord, console running. */
export function alertPlatform(ctx: AppContext): string {
  const wanted = ctx.policy.alerts.platform;
  if (wanted && ctx.chats[wanted]) return wanted;
  const found = ["slack", "discord", "console"].find((p) => ctx.chats[p]) ?? Object.keys(ctx.chats)[0];
  if (!found) throw new RefusalError(refusal("E_NOT_CONFIGURED", "No chat platform is running to declare incidents on.", {}));
  return found;
}

/** The triage channel of the platform: the policy's, else its announcements channel. */
export function triageChannel(ctx: AppContext, platform: string): string {
  const ch = ctx.policy.alerts.triageChannel[platform] ?? ctx.chats[platform]?.announcementsChannel() ?? null;
  if (!ch) throw new RefusalError(refusal("E_NOT_CONFIGURED", `No triage channel for ${platform}: set alerts.triageChannel.${platform} in the policy file, or an announcements channel.`, {}));
  return ch;
}

/**
 * The declaration of a group's alerts, checked with the declare command's rules for the platform it
 * is declared on; the command layer gives it (it owns the table's limits and checks).
 */
export type Prepare = (route: Route, batch: AlertBatch, platform: string) => AlertDeclaration;

export async function receiveAlerts(ctx: AppContext, inv: Invocation, batch: AlertBatch, prepare: Prepare): Promise<AlertOutcome> {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const route = routeFor(ctx.policy, batch);
    const group = await uow.alerts.lockGroup(batch.source, batch.groupKey, route.rule.name, now);
    const known = await uow.alerts.states(group.id);
    const changes = changesOf(known, batch.alerts);
    const current = group.incidentId ? await uow.incidents.get(group.incidentId, true) : null;
    const outcome = (result: AlertResult, incident: Incident | null, text: string): AlertOutcome => ({ result, incident, group: groupRef(group.id), text });
    if (changes.length === 0) return outcome("unchanged", current, "Nothing new: these alerts were seen already.");
    await uow.alerts.saveStates(group.id, changes.map((c) => ({ fingerprint: c.alert.fingerprint, status: c.kind, startsAt: c.alert.startsAt, title: c.alert.title })), now);
    if (current && !ended(current)) {
      await attach(ctx, uow, current, route, changes, batch, now);
      return outcome("attached", current, `Attached to ${current.reference}.`);
    }
    const firing = changes.filter((c) => c.kind === "firing").map((c) => c.alert);
    if (group.pending && allResolved(known, changes)) {
      // Nobody pressed Declare and the alerts cleared: the proposal is withdrawn, and the channel told.
      await uow.alerts.setGroup(group.id, { pending: false, batch: null }, now);
      const platform = alertPlatform(ctx);
      const text = `✅ ${groupRef(group.id)} (rule ${route.rule.name}): its alerts are resolved; nothing to declare.`;
      await post(uow, platform, triageChannel(ctx, platform), `alert-triage-cleared:${group.id}:${now.getTime()}`, null, { kind: "notice", headline: text, fields: [] }, now);
      return outcome("recorded", null, "Resolved while waiting in triage: the proposal is withdrawn.");
    }
    if (firing.length === 0) return outcome("recorded", current, "Recorded: no open incident to attach resolved alerts to.");
    if (group.pending) {
      await uow.alerts.setGroup(group.id, { batch }, now);
      return outcome("triage", null, `Still waiting in the triage channel (${groupRef(group.id)}).`);
    }
    const platform = alertPlatform(ctx);
    if (current && current.status === "resolved" && ctx.policy.alerts.onRefire === "reopen") {
      const system = { platform: current.platform, channelId: current.originChannel, userId: MONITORING_USER, access: { rule: "anyone" as const, does: "reopen it", approvers: [] } };
      const r = await changeStatus(ctx, system, { to: "investigating", reopen: true, text: `alerts firing again:\n${alertLines(firing)}`, incident: current.reference });
      await attach(ctx, uow, r.incident, route, changes, batch, now, false);
      return outcome("reopened", r.incident, `Reopened ${r.incident.reference}.`);
    }
    if (route.rule.declare === "triage") {
      await uow.alerts.setGroup(group.id, { pending: true, batch }, now);
      const message = triageView(groupRef(group.id), route.rule.name, batch, alertsTitle(batch, firing));
      await post(uow, platform, triageChannel(ctx, platform), `alert-triage:${group.id}:${now.getTime()}`, null, message, now);
      return outcome("triage", null, `Posted to the triage channel with a Declare button (${groupRef(group.id)}).`);
    }
    const storm = await stormCheck(ctx, uow, route, platform, batch, firing, group, now, prepare);
    if (storm) {
      await uow.alerts.setGroup(group.id, { incidentId: storm.id }, now);
      await attach(ctx, uow, storm, route, changes, batch, now);
      return outcome("storm", storm, `Past the flood bound of rule ${route.rule.name}: attached to the storm incident ${storm.reference}.`);
    }
    const system = { platform, channelId: triageChannel(ctx, platform), userId: MONITORING_USER, monitoring: true as const };
    const incident = await declareRouted(ctx, system, route, { draft: prepare(route, batch, platform), previous: current, im: routedIm(ctx.policy, route, platform, now, await overridesBySchedule(uow, now)) });
    await uow.alerts.recordOpening(incident.id, group.id, route.rule.name, false, now);
    await uow.alerts.setGroup(group.id, { incidentId: incident.id }, now);
    await record(uow, incident, changes, batch, now);
    return outcome("declared", incident, `Declared ${incident.reference} (${incident.priority}).`);
  });
}

/**
 * Alerts proposed in triage as the permission rule sees them: no incident yet, so no one is its
 * responder or manager; `responder` and `manager` read as anyone, and `approver` as the approvers.
 */
const TRIAGE: Party = {
  isResponder: () => true,
  isManager: () => true,
  refusal: (_rule, a) => {
    const who = approversList(a);
    return refusal("E_NOT_APPROVER", `Only the approvers${who ? ` (${who})` : ""} can declare alerts from triage; ask one of them to press Declare.`, {});
  },
};

/** The triage channel's Declare: the proposed alerts become an incident declared by who pressed it. */
export async function declareProposed(ctx: AppContext, inv: Invocation, ref: string, prepare: Prepare): Promise<AlertOutcome> {
  await ensureAllowed(inv, TRIAGE);
  const id = /^ALERT-(\d{1,9})$/i.exec(ref.trim())?.[1];
  return inTransaction(ctx, async (uow) => {
    const group = id ? await uow.alerts.groupById(Number(id)) : null;
    if (!group) throw new RefusalError(refusal("E_INCIDENT_NOT_FOUND", `No alert ${ref.toUpperCase() || "(none given)"} waits in triage.`, { reference: ref }));
    if (!group.pending || !group.batch) {
      const i = group.incidentId ? await uow.incidents.get(group.incidentId) : null;
      throw new RefusalError(refusal("E_ALREADY_SENT", i ? `These alerts were declared already as ${i.reference}.` : "These alerts no longer wait in triage.", { reference: ref }));
    }
    const now = ctx.clock.now();
    const batch = group.batch;
    const route = routeFor(ctx.policy, batch);
    const previous = group.incidentId ? await uow.incidents.get(group.incidentId, true) : null;
    const firing = batch.alerts.filter((a) => a.status === "firing");
    const incident = await declareRouted(ctx, { ...inv, channelId: inv.channelId || triageChannel(ctx, inv.platform) }, route, { draft: prepare(route, batch, inv.platform), previous, im: inv.userId });
    await uow.alerts.recordOpening(incident.id, group.id, route.rule.name, false, now);
    await uow.alerts.setGroup(group.id, { incidentId: incident.id, pending: false, batch: null }, now);
    await record(uow, incident, firing.map((alert) => ({ kind: "firing", alert, known: false })), batch, now);
    return { result: "declared", incident, group: groupRef(group.id), text: `Declared ${incident.reference} from ${groupRef(group.id)}.` };
  });
}

/**
 * Past the rule's bound of new incidents per minute, the rule's open storm incident (declared now if
 * there is none, and the triage channel told); null while under the bound. The rule's row lock makes
 * the count exact across replicas.
 */
async function stormCheck(ctx: AppContext, uow: UnitOfWork, route: Route, platform: string, batch: AlertBatch, firing: NormalisedAlert[], group: AlertGroup, now: Date, prepare: Prepare): Promise<Incident | null> {
  const rule = route.rule.name;
  const limit = route.rule.maxNewPerMinute ?? ctx.policy.alerts.maxNewPerMinute;
  const { stormIncidentId } = await uow.alerts.lockRule(rule);
  const recent = await uow.alerts.openedSince(rule, new Date(now.getTime() - MINUTE_MS));
  if (recent < limit) return null;
  const open = stormIncidentId ? await uow.incidents.get(stormIncidentId, true) : null;
  if (open && !ended(open)) return open;
  const triage = triageChannel(ctx, platform);
  const system = { platform, channelId: triage, userId: MONITORING_USER, monitoring: true as const };
  const storm = await declareRouted(ctx, system, route, { draft: prepare(route, batch, platform), previous: null, im: routedIm(ctx.policy, route, platform, now, await overridesBySchedule(uow, now)), title: `Monitoring storm: rule ${rule}` });
  await uow.alerts.recordOpening(storm.id, group.id, rule, true, now);
  await uow.alerts.setStorm(rule, storm.id);
  await post(uow, platform, triage, `alert-storm:${storm.id}`, storm.id, stormView(storm, rule, recent, alertsTitle(batch, firing)), now);
  return storm;
}

/** Each firing and resolved alert is a timeline entry of the incident. */
async function record(uow: UnitOfWork, i: Incident, changes: readonly AlertChange[], batch: Pick<AlertBatch, "source">, now: Date): Promise<void> {
  for (const c of changes) {
    const a = c.alert;
    await uow.incidents.appendEvent({
      incidentId: i.id,
      at: now,
      actor: MONITORING_USER,
      kind: `alert.${c.kind}`,
      data: { source: batch.source, title: a.title, description: a.description, fingerprint: a.fingerprint, startsAt: a.startsAt, url: a.url, labels: a.labels },
    });
  }
}

/**
 * Alerts of an open incident: timeline entries, new firings and resolutions posted where its people
 * are; all resolved → the rule resolves it (`autoResolve`) or its IM is asked to (Resolve button).
 */
async function attach(ctx: AppContext, uow: UnitOfWork, i: Incident, route: Route, changes: readonly AlertChange[], batch: AlertBatch, now: Date, announceFiring = true): Promise<void> {
  await record(uow, i, changes, batch, now);
  const firing = changes.filter((c) => c.kind === "firing").map((c) => c.alert);
  const resolved = changes.filter((c) => c.kind === "resolved").map((c) => c.alert);
  const target = noticeTarget(ctx.policy, i);
  if (firing.length && announceFiring) await post(uow, i.platform, target, `alert-firing:${i.id}:${groupTag(batch)}:${now.getTime()}:${firing[0]!.fingerprint}`, i.id, alertsFiringView(i, firing), now);
  if (!resolved.length) return;
  const done = (await uow.alerts.statesOfIncident(i.id)).every((s) => s.status === "resolved");
  const auto = done && route.rule.autoResolve;
  await post(uow, i.platform, target, `alert-resolved:${i.id}:${groupTag(batch)}:${now.getTime()}:${resolved[0]!.fingerprint}`, i.id, alertsResolvedView(i, resolved, auto ? "auto" : done ? "ask" : "none"), now);
  if (!auto) return;
  const system = { platform: i.platform, channelId: i.originChannel, userId: MONITORING_USER, access: { rule: "anyone" as const, does: "resolve it", approvers: [] } };
  await changeStatus(ctx, system, { to: "resolved", text: `All its alerts are resolved (rule ${route.rule.name} resolves automatically):\n${alertLines(resolved)}`, incident: i.reference });
}

async function post(uow: UnitOfWork, platform: string, target: string, key: string, incidentId: number | null, message: ChatMessage, now: Date): Promise<void> {
  await uow.outbox.enqueue({ key, incidentId, platform, target, action: "post", message }, now);
}

