/** The alert groups, their alerts' states and the flood counters (`app/alerts/ports.ts`). */
import { createHash } from "node:crypto";
import { and, count, eq, gte } from "drizzle-orm";
import type { AlertGroup, AlertRepo, AlertStateChange } from "../app/alerts/ports.js";
import type { KnownAlert } from "../domain/alerts/dedup.js";
import type { AlertBatch, AlertSource, AlertStatus } from "../domain/alerts/types.js";
import type { Executor } from "./client.js";
import { alertGroups, alertOpenings, alertRules, alertStates } from "./schema.js";

const keyOf = (source: string, groupKey: string) => createHash("sha256").update(`${source}\0${groupKey}`).digest("hex");

function toGroup(r: typeof alertGroups.$inferSelect): AlertGroup {
  return { id: r.id, source: r.source as AlertSource, groupKey: r.groupKey, rule: r.rule, incidentId: r.incidentId, pending: r.pending, batch: r.batch ?? null };
}

export class DrizzleAlertRepo implements AlertRepo {
  constructor(private readonly tx: Executor) {}

  async lockGroup(source: AlertSource, groupKey: string, rule: string, at: Date): Promise<AlertGroup> {
    const key = keyOf(source, groupKey);
    await this.tx.insert(alertGroups).values({ source, key, groupKey, rule, createdAt: at, updatedAt: at }).onConflictDoNothing();
    const rows = await this.tx.select().from(alertGroups).where(eq(alertGroups.key, key)).for("update");
    return toGroup(rows[0]!);
  }

  async groupById(id: number): Promise<AlertGroup | null> {
    const rows = await this.tx.select().from(alertGroups).where(eq(alertGroups.id, id)).for("update");
    return rows[0] ? toGroup(rows[0]) : null;
  }

  async setGroup(id: number, patch: { incidentId?: number | null; pending?: boolean; batch?: AlertBatch | null; rule?: string }, at: Date): Promise<void> {
    await this.tx.update(alertGroups).set({ ...patch, updatedAt: at }).where(eq(alertGroups.id, id));
  }

  async states(groupId: number): Promise<KnownAlert[]> {
    const rows = await this.tx.select().from(alertStates).where(eq(alertStates.groupId, groupId));
    return rows.map((r) => ({ fingerprint: r.fingerprint, status: r.status as AlertStatus, startsAt: r.startsAt }));
  }

  async statesOfIncident(incidentId: number): Promise<KnownAlert[]> {
    const rows = await this.tx
      .select({ fingerprint: alertStates.fingerprint, status: alertStates.status, startsAt: alertStates.startsAt })
      .from(alertStates)
      .innerJoin(alertGroups, eq(alertGroups.id, alertStates.groupId))
      .where(eq(alertGroups.incidentId, incidentId));
    return rows.map((r) => ({ fingerprint: r.fingerprint, status: r.status as AlertStatus, startsAt: r.startsAt }));
  }

  async saveStates(groupId: number, states: AlertStateChange[], at: Date): Promise<void> {
    for (const s of states) {
      await this.tx
        .insert(alertStates)
        .values({ groupId, ...s, updatedAt: at })
        .onConflictDoUpdate({ target: [alertStates.groupId, alertStates.fingerprint], set: { status: s.status, startsAt: s.startsAt, title: s.title, updatedAt: at } });
    }
  }

  async lockRule(rule: string): Promise<{ stormIncidentId: number | null }> {
    await this.tx.insert(alertRules).values({ rule }).onConflictDoNothing();
    const rows = await this.tx.select().from(alertRules).where(eq(alertRules.rule, rule)).for("update");
    return { stormIncidentId: rows[0]?.stormIncidentId ?? null };
  }

  async openedSince(rule: string, since: Date): Promise<number> {
    const rows = await this.tx
      .select({ n: count() })
      .from(alertOpenings)
      .where(and(eq(alertOpenings.rule, rule), eq(alertOpenings.storm, false), gte(alertOpenings.openedAt, since)));
    return Number(rows[0]?.n ?? 0);
  }

  async setStorm(rule: string, incidentId: number | null): Promise<void> {
    await this.tx.update(alertRules).set({ stormIncidentId: incidentId }).where(eq(alertRules.rule, rule));
  }

  async recordOpening(incidentId: number, groupId: number, rule: string, storm: boolean, at: Date): Promise<void> {
    await this.tx.insert(alertOpenings).values({ incidentId, groupId, rule, storm, openedAt: at }).onConflictDoNothing();
  }
}

