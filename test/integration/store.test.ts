/** The Store behaviour suite, run on PGlite and (with TEST_DATABASE_URL) PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewIncident, Store } from "../../src/app/ports.js";
import { ManualClock } from "../../src/clock.js";
import { outbox, timers } from "../../src/db/schema.js";
import { DrizzleStore } from "../../src/db/store.js";
import { backends, type TestDatabase } from "../support/databases.js";

const T0 = new Date("2026-11-23T10:00:00Z");

function newIncident(seq: number, over: Partial<NewIncident> = {}): NewIncident {
  return {
    reference: `INC-2026-${String(seq).padStart(4, "0")}`,
    year: 2026,
    seq,
    title: `Incident ${seq}`,
    parentId: null,
    description: null,
    nature: "network",
    service: "payments",
    customer: null,
    detectedBy: "monitoring",
    impact: "I1",
    urgency: "U2",
    priority: "P1",
    status: "declared",
    platform: "console",
    originChannel: "general",
    declaredBy: "alice",
    declaredAt: T0,
    respondBy: new Date("2026-11-23T10:15:00Z"),
    resolveBy: new Date("2026-11-23T14:00:00Z"),
    pauses: [],
    ...over,
  };
}

describe.each(backends)("store on $name", (backend) => {
  let database: TestDatabase;
  let store: Store;
  const clock = new ManualClock(T0);
  beforeEach(async () => {
    database = await backend.open();
    store = new DrizzleStore(database.db, clock);
  });
  afterEach(() => database.destroy());

  it("hands out gap-free sequence numbers per year, even to concurrent transactions", async () => {
    const seqs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.transaction((uow) => uow.incidents.nextSeq(i % 2 ? 2026 : 2027))),
    );
    expect(seqs.filter((_, i) => i % 2).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seqs.filter((_, i) => !(i % 2)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("stores an incident with roles, pauses and timestamps and finds it by id, reference and war room", async () => {
    const pauses = [{ from: new Date("2026-11-23T10:05:00Z"), to: null }];
    const id = await store.transaction(async (uow) => {
      const i = await uow.incidents.insert(newIncident(1, { pauses }));
      await uow.incidents.setRole(i.id, "im", "alice", T0);
      await uow.incidents.setRole(i.id, "im", "bob", T0); // hand-over replaces
      await uow.incidents.setRole(i.id, "lead", "carol", T0);
      await uow.incidents.saveWarRoom({ incidentId: i.id, platform: "slack", channelId: "C1", channelName: "inc-x", summaryMessageId: null }, T0);
      return i.id;
    });
    const got = await store.transaction((uow) => uow.incidents.get(id));
    expect(got).toMatchObject({ reference: "INC-2026-0001", status: "declared", roles: { im: "bob", lead: "carol" }, pauses });
    expect(got!.declaredAt.toISOString()).toBe(T0.toISOString());
    expect(got!.respondBy!.toISOString()).toBe("2026-11-23T10:15:00.000Z");
    const byRef = await store.transaction((uow) => uow.incidents.byReference("inc-2026-0001"));
    expect(byRef?.id).toBe(id);
    const byRoom = await store.transaction((uow) => uow.incidents.byChannel("slack", "C1"));
    expect(byRoom?.id).toBe(id);
    expect(await store.transaction((uow) => uow.incidents.byChannel("discord", "C1"))).toBeNull();

    // With its war rooms, in one read: their times come back as the same instants.
    const ready = new Date("2026-11-23T10:01:02.345Z");
    await store.transaction(async (uow) => {
      await uow.incidents.saveWarRoom({ incidentId: id, platform: "discord", channelId: "D1", channelName: "inc-x", summaryMessageId: null }, T0);
      await uow.incidents.setSummaryMessage(id, "slack", "m1", "digest");
      await uow.incidents.setRoomReady(id, "slack", ready);
    });
    const both = await store.autocommit((uow) => uow.incidents.withRooms(id, false));
    expect(both?.incident).toEqual(got);
    expect(both?.rooms).toEqual([
      { incidentId: id, platform: "discord", channelId: "D1", channelName: "inc-x", summaryMessageId: null, summaryDigest: null, topicDigest: null, readyAt: null, archivedAt: null },
      { incidentId: id, platform: "slack", channelId: "C1", channelName: "inc-x", summaryMessageId: "m1", summaryDigest: "digest", topicDigest: null, readyAt: ready, archivedAt: null },
    ]);
    expect(await store.transaction((uow) => uow.incidents.withRooms(id + 1, true))).toBeNull();
  });

  it("rejects a second incident with the same reference, leaving the first intact", async () => {
    await store.transaction((uow) => uow.incidents.insert(newIncident(1)));
    await expect(store.transaction((uow) => uow.incidents.insert(newIncident(1, { title: "dup" })))).rejects.toThrow();
    const all = await store.transaction((uow) => uow.incidents.list({ includeClosed: true }));
    expect(all.map((l) => l.incident.title)).toEqual(["Incident 1"]);
  });

  it("rolls back everything a failed transaction wrote", async () => {
    await expect(
      store.transaction(async (uow) => {
        const i = await uow.incidents.insert(newIncident(1));
        await uow.incidents.appendEvent({ incidentId: i.id, at: T0, actor: "alice", kind: "declared", data: {} });
        await uow.timers.schedule({ kind: "k", key: "k1", incidentId: i.id, dueAt: T0 });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const all = await store.transaction((uow) => uow.incidents.list({ includeClosed: true }));
    expect(all).toEqual([]);
    expect(await database.db.select().from(timers)).toEqual([]);
  });

  it("keeps the timeline in order and lists open incidents newest first", async () => {
    await store.transaction(async (uow) => {
      const a = await uow.incidents.insert(newIncident(1));
      const b = await uow.incidents.insert(newIncident(2, { declaredAt: new Date("2026-11-23T11:00:00Z") }));
      await uow.incidents.insert(newIncident(3, { status: "closed" }));
      await uow.incidents.appendEvent({ incidentId: a.id, at: new Date("2026-11-23T10:02:00Z"), actor: "bob", kind: "status.changed", data: { to: "investigating" } });
      await uow.incidents.appendEvent({ incidentId: a.id, at: T0, actor: "alice", kind: "declared", data: {} });
      await uow.incidents.appendEvent({ incidentId: b.id, at: T0, actor: "alice", kind: "declared", data: {} });
    });
    const open = (await store.transaction((uow) => uow.incidents.list({}))).map((l) => l.incident);
    expect(open.map((i) => i.reference)).toEqual(["INC-2026-0002", "INC-2026-0001"]);
    const all = await store.transaction((uow) => uow.incidents.list({ includeClosed: true }));
    expect(all).toHaveLength(3);
    const events = await store.transaction((uow) => uow.incidents.events(open[1]!.id));
    expect(events.map((e) => [e.kind, e.actor, e.at.toISOString()])).toEqual([
      ["declared", "alice", "2026-11-23T10:00:00.000Z"],
      ["status.changed", "bob", "2026-11-23T10:02:00.000Z"],
    ]);
    expect(events[1]!.data).toEqual({ to: "investigating" });
  });

  it("writes a transaction's timers as if one at a time: a key scheduled twice, a replace, then a cancel of some kinds", async () => {
    const later = new Date(T0.getTime() + 60_000);
    await store.transaction(async (uow) => {
      const i = await uow.incidents.insert(newIncident(1));
      expect(await uow.timers.cancel(i.id, ["reminder"])).toBe(0); // a new incident has no timers yet
      await uow.timers.schedule({ kind: "reminder", key: "r1", incidentId: i.id, dueAt: later, payload: { n: 1 } });
      await uow.timers.schedule({ kind: "reminder", key: "r1", incidentId: i.id, dueAt: T0, payload: { n: 2 } }); // ignored: key taken
      await uow.timers.schedule({ kind: "sync", key: "s1", incidentId: i.id, dueAt: later, replace: true, payload: { n: 1 } });
      await uow.timers.schedule({ kind: "sync", key: "s1", incidentId: i.id, dueAt: T0, replace: true, payload: { n: 2 } }); // replaces: earlier due, new payload
      await uow.timers.schedule({ kind: "page", key: "p1", incidentId: i.id, dueAt: T0 });
      expect(await uow.timers.cancel(i.id, ["page"])).toBe(1); // sees the page scheduled just before
      await uow.timers.schedule({ kind: "page", key: "p2", incidentId: i.id, dueAt: T0 });
      expect(await uow.timers.cancel(i.id, ["reminder"])).toBe(1); // written by the flush before the page's cancel
      await uow.timers.schedule({ kind: "reminder", key: "r2", incidentId: i.id, dueAt: later });
    });
    const rows = await database.db.select().from(timers).orderBy(timers.key);
    expect(rows.map((t) => [t.key, t.status, t.dueAt.toISOString(), t.payload])).toEqual([
      ["p1", "cancelled", T0.toISOString(), {}],
      ["p2", "pending", T0.toISOString(), {}],
      ["r1", "cancelled", later.toISOString(), { n: 1 }],
      ["r2", "pending", later.toISOString(), {}],
      ["s1", "pending", T0.toISOString(), { n: 2 }],
    ]);
  });

  it("starts a timer parked on a signal not yet raised, in a transaction only; raising the signal releases it", async () => {
    await store.transaction(async (uow) => {
      await uow.timers.signal("ready:old", T0);
      await uow.timers.schedule({ kind: "post", key: "p-new", dueAt: T0, waitFor: "ready:new" });
      await uow.timers.schedule({ kind: "post", key: "p-old", dueAt: T0, waitFor: "ready:old" }); // raised already
    });
    await store.autocommit((uow) => uow.timers.schedule({ kind: "post", key: "p-auto", dueAt: T0, waitFor: "ready:new" }));
    const states = async () => (await database.db.select().from(timers).orderBy(timers.key)).map((t) => [t.key, t.status, t.waitFor]);
    expect(await states()).toEqual([
      ["p-auto", "pending", null], // outside a transaction it starts pending (and parks itself when it runs)
      ["p-new", "waiting", "ready:new"],
      ["p-old", "pending", null],
    ]);
    expect(await store.transaction((uow) => uow.timers.signal("ready:new", T0))).toBe(1);
    expect(await states()).toEqual([
      ["p-auto", "pending", null],
      ["p-new", "pending", null],
      ["p-old", "pending", null],
    ]);
  });

  it("claims a request key once", async () => {
    const first = await store.transaction((uow) => uow.requests.claim("slack:abc", T0));
    const again = await store.transaction((uow) => uow.requests.claim("slack:abc", T0));
    expect([first, again]).toEqual([true, false]);
  });

  it("queues a delivery once per key, with a deliver timer, and records its fate", async () => {
    const message = { kind: "notice" as const, headline: "hello", fields: [] };
    const d = { key: "announce:1", platform: "console", target: "announcements", action: "post" as const, message };
    await store.transaction((uow) => uow.outbox.enqueue(d, T0));
    await store.transaction((uow) => uow.outbox.enqueue({ ...d, message: { ...message, headline: "again" } }, T0));
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows).toHaveLength(1);
    const due = await database.db.select().from(timers);
    expect(due.map((t) => [t.kind, t.payload])).toEqual([["deliver", { outboxId: rows[0]!.id, platform: "console" }]]);
    const id = rows[0]!.id;
    await store.transaction((uow) => uow.outbox.markAttempt(id, "429 rate limited", false));
    await store.transaction((uow) => uow.outbox.markSent(id, "m1", T0));
    const got = await store.transaction((uow) => uow.outbox.get(id));
    expect(got).toMatchObject({ status: "sent", attempts: 2, message: { headline: "hello" } });
  });
});
