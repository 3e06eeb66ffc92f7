/** OncallRepo on drizzle: overrides, cover requests, and the open incidents a person was paged for. */
import { and, asc, eq, gt, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { CoverRequest, NewCoverRequest, NewOverride, OncallRepo, StoredOverride } from "../app/ports.js";
import type { Executor } from "./client.js";
import { oncallCoverRequests, oncallOverrides } from "./oncall-schema.js";
import { incidents, pages } from "./schema.js";

type OverrideRow = typeof oncallOverrides.$inferSelect;
const toOverride = (r: OverrideRow): StoredOverride => ({
  id: r.id,
  schedule: r.schedule,
  platform: r.platform,
  userId: r.userId,
  from: r.from,
  to: r.to,
  createdBy: r.createdBy,
  coverRequestId: r.coverRequestId,
});

type CoverRow = typeof oncallCoverRequests.$inferSelect;
const toCover = (r: CoverRow): CoverRequest => ({
  id: r.id,
  schedule: r.schedule,
  platform: r.platform,
  channelId: r.channelId,
  askedBy: r.askedBy,
  until: r.until,
  createdAt: r.createdAt,
  messageKey: r.messageKey,
  acceptedBy: r.acceptedBy,
  acceptedAt: r.acceptedAt,
});

export class DrizzleOncallRepo implements OncallRepo {
  constructor(private readonly tx: Executor) {}

  async lockSchedule(schedule: string): Promise<void> {
    await this.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`oncall:${schedule}`}))`);
  }

  async overrides(after: Date, schedule?: string): Promise<StoredOverride[]> {
    const rows = await this.tx
      .select()
      .from(oncallOverrides)
      .where(and(isNull(oncallOverrides.removedAt), gt(oncallOverrides.to, after), schedule === undefined ? undefined : eq(oncallOverrides.schedule, schedule)))
      .orderBy(asc(oncallOverrides.from), asc(oncallOverrides.id));
    return rows.map(toOverride);
  }

  async addOverride(o: NewOverride, at: Date): Promise<StoredOverride> {
    const [row] = await this.tx
      .insert(oncallOverrides)
      .values({ schedule: o.schedule, platform: o.platform, userId: o.userId, from: o.from, to: o.to, createdBy: o.createdBy, coverRequestId: o.coverRequestId ?? null, createdAt: at })
      .returning();
    return toOverride(row!);
  }

  async override(id: number): Promise<StoredOverride | null> {
    const [row] = await this.tx.select().from(oncallOverrides).where(and(eq(oncallOverrides.id, id), isNull(oncallOverrides.removedAt)));
    return row ? toOverride(row) : null;
  }

  async removeOverride(id: number, by: string, at: Date): Promise<boolean> {
    const rows = await this.tx
      .update(oncallOverrides)
      .set({ removedAt: at, removedBy: by })
      .where(and(eq(oncallOverrides.id, id), isNull(oncallOverrides.removedAt)))
      .returning({ id: oncallOverrides.id });
    return rows.length === 1;
  }

  async addCoverRequest(c: NewCoverRequest, at: Date): Promise<CoverRequest> {
    const [row] = await this.tx.insert(oncallCoverRequests).values({ ...c, createdAt: at }).returning();
    return toCover(row!);
  }

  async coverRequest(id: number, lock = false): Promise<CoverRequest | null> {
    const q = this.tx.select().from(oncallCoverRequests).where(eq(oncallCoverRequests.id, id));
    const [row] = lock ? await q.for("update") : await q;
    return row ? toCover(row) : null;
  }

  async acceptCover(id: number, by: string, at: Date): Promise<boolean> {
    const rows = await this.tx
      .update(oncallCoverRequests)
      .set({ acceptedBy: by, acceptedAt: at })
      .where(and(eq(oncallCoverRequests.id, id), isNull(oncallCoverRequests.acceptedBy)))
      .returning({ id: oncallCoverRequests.id });
    return rows.length === 1;
  }

  async pagedOpenIncidents(platform: string, userId: string): Promise<{ reference: string; title: string }[]> {
    const paged = this.tx.selectDistinct({ id: pages.incidentId }).from(pages).where(and(eq(pages.channel, "dm"), eq(pages.target, userId)));
    return this.tx
      .select({ reference: incidents.reference, title: incidents.title })
      .from(incidents)
      .where(and(eq(incidents.platform, platform), inArray(incidents.id, paged), notInArray(incidents.status, ["resolved", "closed"])))
      .orderBy(asc(incidents.id));
  }
}
