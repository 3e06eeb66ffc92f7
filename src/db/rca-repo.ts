/** RcaRepo on drizzle: RCA sections, actions, timeline entries and war-room archiving. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { RcaRepo } from "../app/ports.js";
import type { RcaAction, RcaSection, TimelineEntry } from "../domain/rca/types.js";
import type { Executor } from "./client.js";
import { rcaActions, rcaSections, timelineEntries, warRooms } from "./schema.js";

type ActionRow = typeof rcaActions.$inferSelect;
const toAction = ({ incidentId: _, createdAt: __, ...a }: ActionRow): RcaAction => a;

export class DrizzleRcaRepo implements RcaRepo {
  constructor(private readonly tx: Executor) {}

  async sections(incidentId: number): Promise<RcaSection[]> {
    const rows = await this.tx.select().from(rcaSections).where(eq(rcaSections.incidentId, incidentId));
    return rows.map(({ section, text, authors, updatedAt }) => ({ section, text, authors, updatedAt }));
  }

  async setSection(incidentId: number, section: string, text: string, author: string, at: Date, append: boolean): Promise<RcaSection> {
    const where = and(eq(rcaSections.incidentId, incidentId), eq(rcaSections.section, section));
    const [old] = await this.tx.select().from(rcaSections).where(where);
    const next: RcaSection = {
      section,
      text: append && old && old.text.trim() !== "" ? `${old.text}\n${text}` : text,
      authors: old ? (old.authors.includes(author) ? old.authors : [...old.authors, author]) : [author],
      updatedAt: at,
    };
    await this.tx
      .insert(rcaSections)
      .values({ incidentId, ...next })
      .onConflictDoUpdate({ target: [rcaSections.incidentId, rcaSections.section], set: { text: next.text, authors: next.authors, updatedAt: at } });
    return next;
  }

  async actions(incidentId: number): Promise<RcaAction[]> {
    const rows = await this.tx.select().from(rcaActions).where(eq(rcaActions.incidentId, incidentId)).orderBy(asc(rcaActions.n));
    return rows.map(toAction);
  }

  async addAction(incidentId: number, a: Omit<RcaAction, "n" | "doneAt" | "doneBy">, at: Date): Promise<RcaAction> {
    const [last] = await this.tx
      .select({ n: sql<number>`coalesce(max(${rcaActions.n}), 0)::int` })
      .from(rcaActions)
      .where(eq(rcaActions.incidentId, incidentId));
    const [row] = await this.tx
      .insert(rcaActions)
      .values({ incidentId, n: (last?.n ?? 0) + 1, ...a, createdAt: at })
      .returning();
    return toAction(row!);
  }

  async completeAction(incidentId: number, n: number, by: string, at: Date): Promise<void> {
    await this.tx
      .update(rcaActions)
      .set({ doneAt: at, doneBy: by })
      .where(and(eq(rcaActions.incidentId, incidentId), eq(rcaActions.n, n)));
  }

  async timelineEntries(incidentId: number): Promise<TimelineEntry[]> {
    const rows = await this.tx
      .select()
      .from(timelineEntries)
      .where(eq(timelineEntries.incidentId, incidentId))
      .orderBy(asc(timelineEntries.at), asc(timelineEntries.id));
    return rows.map(({ at, text, author, source }) => ({ at, text, author, source: source === "pin" ? "pin" : "manual" }));
  }

  async addTimelineEntry(incidentId: number, e: TimelineEntry, at: Date): Promise<void> {
    await this.tx.insert(timelineEntries).values({ incidentId, ...e, createdAt: at });
  }

  async markArchived(incidentId: number, platform: string, at: Date): Promise<void> {
    await this.tx
      .update(warRooms)
      .set({ archivedAt: at })
      .where(and(eq(warRooms.incidentId, incidentId), eq(warRooms.platform, platform)));
  }
}
