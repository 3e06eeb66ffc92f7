/** IncidentRepo on drizzle: incidents, roles, the timeline and war rooms, in the caller's transaction. */
import { and, asc, desc, eq, getTableColumns, gte, isNull, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { IncidentPatch, IncidentRepo, ListFilter, NewIncident, SimilarQuery } from "../app/ports.js";
import type { ChildIncident, DetectionSource, Outcome, Incident, IncidentEvent, Role, WarRoom } from "../domain/incident.js";
import type { Status } from "../domain/lifecycle.js";
import type { Pause } from "../domain/sla.js";
import type { Executor } from "./client.js";
import { incidentEvents, incidentRoles, incidents, referenceCounters, warRooms } from "./schema.js";

type Row = typeof incidents.$inferSelect;

/**
 * An incident row with its roles in the same statement (a correlated subquery), not a second SELECT:
 * an incident is read ~12 times in a P1's life (declare, war-room steps, deliveries), and each
 * statement costs node ~0.2–0.4 ms of CPU on PostgreSQL (postgres.js's write, drizzle's building).
 */
const withRoles = {
  ...getTableColumns(incidents),
  roles: sql<{ role: string; userId: string }[]>`coalesce((select json_agg(json_build_object('role', r.role, 'userId', r.user_id)) from incident_roles r where r.incident_id = ${incidents.id}), '[]'::json)`,
};
type RowWithRoles = Row & { roles: { role: string; userId: string }[] | string };

/** The war rooms too, for the steps and deliveries that read both (a P1: ~10 statements fewer). */
const withRooms = {
  ...withRoles,
  rooms: sql<RoomJson[]>`coalesce((select json_agg(json_build_object('incidentId', w.incident_id, 'platform', w.platform, 'channelId', w.channel_id, 'channelName', w.channel_name, 'summaryMessageId', w.summary_message_id, 'summaryDigest', w.summary_digest, 'topicDigest', w.topic_digest, 'readyAt', w.ready_at, 'archivedAt', w.archived_at) order by w.platform) from war_rooms w where w.incident_id = ${incidents.id}), '[]'::json)`,
};
/** And the incidents linked to it with --parent, for the pinned summary (its sync and first post). */
const withRoomsAndChildren = {
  ...withRooms,
  children: sql<ChildIncident[]>`coalesce((select json_agg(json_build_object('reference', c.reference, 'status', c.status) order by c.id) from incidents c where c.parent_id = "incidents"."id"), '[]'::json)`, // qualified: drizzle leaves ${incidents.id} bare, which here would be c's
};
type RoomJson = Omit<WarRoom, "readyAt" | "archivedAt"> & { readyAt: string | null; archivedAt: string | null };

const parsed = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
const toRoom = ({ readyAt, archivedAt, ...r }: RoomJson): WarRoom => ({
  ...r,
  readyAt: readyAt === null ? null : new Date(readyAt),
  archivedAt: archivedAt === null ? null : new Date(archivedAt),
});
const fromRoomsRow = ({ rooms, ...row }: RowWithRoles & { rooms: RoomJson[] | string }) => ({ incident: fromRow(row), rooms: parsed(rooms).map(toRoom) });

const toPauses = (p: Row["pauses"]): Pause[] =>
  p.map((x) => ({ from: new Date(x.from), to: x.to === null ? null : new Date(x.to) }));
const fromPauses = (p: Pause[]): Row["pauses"] =>
  p.map((x) => ({ from: x.from.toISOString(), to: x.to ? x.to.toISOString() : null }));

/** json arrives parsed from postgres.js and PGlite alike; text is accepted in case a driver leaves it. */
const fromRow = ({ roles, ...row }: RowWithRoles): Incident => toIncident(row, parsed(roles));

function toIncident(row: Row, roles: { role: string; userId: string }[]): Incident {
  const { pauses, status, detectedBy, outcome, ...rest } = row;
  const held: Partial<Record<Role, string>> = {};
  for (const r of roles) held[r.role as Role] = r.userId;
  return {
    ...rest,
    status: status as Status,
    detectedBy: detectedBy as DetectionSource | null,
    outcome: outcome as Outcome | null,
    pauses: toPauses(pauses),
    roles: held,
  };
}

export class DrizzleIncidentRepo implements IncidentRepo {
  constructor(
    private readonly tx: Executor,
    /** Told each incident inserted here (the transaction's timer repo: nothing of it is stored yet). */
    private readonly inserted?: (id: number) => void,
  ) {}

  async nextSeq(year: number): Promise<number> {
    const [row] = await this.tx
      .insert(referenceCounters)
      .values({ year, last: 1 })
      .onConflictDoUpdate({ target: referenceCounters.year, set: { last: sql`${referenceCounters.last} + 1` } })
      .returning({ last: referenceCounters.last });
    return row!.last;
  }

  async insert(i: NewIncident): Promise<Incident> {
    const [row] = await this.tx
      .insert(incidents)
      .values({ ...i, pauses: fromPauses(i.pauses) })
      .returning();
    this.inserted?.(row!.id);
    return toIncident(row!, []);
  }

  private async one(where: SQL, lock: boolean): Promise<Incident | null> {
    const q = this.tx.select(withRoles).from(incidents).where(where);
    const [row] = lock ? await q.for("update") : await q;
    return row ? fromRow(row) : null;
  }

  get(id: number, lock = false) {
    return this.one(eq(incidents.id, id), lock);
  }

  async withRooms(id: number, lock = false): Promise<{ incident: Incident; rooms: WarRoom[] } | null> {
    const q = this.tx.select(withRooms).from(incidents).where(eq(incidents.id, id));
    const [row] = lock ? await q.for("update") : await q;
    if (!row) return null;
    return fromRoomsRow(row);
  }

  async withRoomsAndChildren(id: number): Promise<{ incident: Incident; rooms: WarRoom[]; children: ChildIncident[] } | null> {
    const [row] = await this.tx.select(withRoomsAndChildren).from(incidents).where(eq(incidents.id, id));
    if (!row) return null;
    const { children, ...rest } = row;
    return { ...fromRoomsRow(rest), children: parsed(children) };
  }

  byReference(reference: string, lock = false) {
    return this.one(eq(incidents.reference, reference.toUpperCase()), lock);
  }

  async byChannel(platform: string, channelId: string, lock = false) {
    const [room] = await this.tx
      .select({ id: warRooms.incidentId })
      .from(warRooms)
      .where(and(eq(warRooms.platform, platform), eq(warRooms.channelId, channelId)));
    return room ? this.get(room.id, lock) : null;
  }

  async update(id: number, patch: IncidentPatch): Promise<void> {
    const { pauses, ...rest } = patch;
    const set = pauses ? { ...rest, pauses: fromPauses(pauses) } : rest;
    if (Object.keys(set).length === 0) return;
    await this.tx.update(incidents).set(set).where(eq(incidents.id, id));
  }

  async setRole(id: number, role: Role, userId: string, at: Date): Promise<void> {
    await this.tx
      .insert(incidentRoles)
      .values({ incidentId: id, role, userId, assignedAt: at })
      .onConflictDoUpdate({ target: [incidentRoles.incidentId, incidentRoles.role], set: { userId, assignedAt: at } });
  }

  async appendEvent(e: Omit<IncidentEvent, "id">): Promise<void> {
    await this.tx.insert(incidentEvents).values(e);
  }

  async events(id: number): Promise<IncidentEvent[]> {
    return this.tx
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, id))
      .orderBy(asc(incidentEvents.at), asc(incidentEvents.id));
  }

  async list(filter: ListFilter): Promise<{ incident: Incident; rooms: WarRoom[] }[]> {
    const q = this.tx.select(withRooms).from(incidents);
    const filtered = filter.includeClosed ? q : q.where(ne(incidents.status, "closed"));
    const rows = await filtered.orderBy(desc(incidents.declaredAt), desc(incidents.id)).limit(filter.limit ?? 50);
    return rows.map(fromRoomsRow);
  }

  async similar(q: SimilarQuery): Promise<string[]> {
    const alike = [q.service ? eq(incidents.service, q.service) : undefined, q.nature ? eq(incidents.nature, q.nature) : undefined].filter((c) => c !== undefined);
    if (alike.length === 0) return [];
    const rows = await this.tx
      .select({ reference: incidents.reference })
      .from(incidents)
      .where(and(notInArray(incidents.status, ["resolved", "closed"]), gte(incidents.declaredAt, q.since), or(...alike)))
      .orderBy(desc(incidents.declaredAt), desc(incidents.id))
      .limit(q.limit);
    return rows.map((r) => r.reference);
  }

  async children(id: number): Promise<ChildIncident[]> {
    const rows = await this.tx.select({ reference: incidents.reference, status: incidents.status }).from(incidents).where(eq(incidents.parentId, id)).orderBy(asc(incidents.id));
    return rows.map((r) => ({ reference: r.reference, status: r.status as Status }));
  }

  async warRooms(id: number): Promise<WarRoom[]> {
    return this.tx
      .select({
        incidentId: warRooms.incidentId,
        platform: warRooms.platform,
        channelId: warRooms.channelId,
        channelName: warRooms.channelName,
        summaryMessageId: warRooms.summaryMessageId,
        summaryDigest: warRooms.summaryDigest,
        topicDigest: warRooms.topicDigest,
        readyAt: warRooms.readyAt,
        archivedAt: warRooms.archivedAt,
      })
      .from(warRooms)
      .where(eq(warRooms.incidentId, id));
  }

  async saveWarRoom(room: WarRoom, at: Date): Promise<void> {
    await this.tx
      .insert(warRooms)
      .values({ ...room, createdAt: at })
      .onConflictDoNothing();
  }

  async setRoomReady(id: number, platform: string, at: Date): Promise<void> {
    await this.tx
      .update(warRooms)
      .set({ readyAt: at })
      .where(and(eq(warRooms.incidentId, id), eq(warRooms.platform, platform), isNull(warRooms.readyAt)));
  }

  async setSummaryMessage(id: number, platform: string, messageId: string, digest: string): Promise<void> {
    await this.tx
      .update(warRooms)
      .set({ summaryMessageId: messageId, summaryDigest: digest })
      .where(and(eq(warRooms.incidentId, id), eq(warRooms.platform, platform)));
  }

  async setRoomDigests(id: number, platform: string, digests: { summary?: string; topic?: string }): Promise<void> {
    const set = { ...(digests.summary ? { summaryDigest: digests.summary } : {}), ...(digests.topic ? { topicDigest: digests.topic } : {}) };
    if (Object.keys(set).length === 0) return;
    await this.tx
      .update(warRooms)
      .set(set)
      .where(and(eq(warRooms.incidentId, id), eq(warRooms.platform, platform)));
  }
}
