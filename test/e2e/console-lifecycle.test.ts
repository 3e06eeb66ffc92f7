/**
 * End to end through the console adapter, on every backend: declaring a P1 opens its war room, posts
 * and pins the summary and announces it; status changes update the summary; a P3 raised to P1 gets a
 * war room then; missing impact/urgency is asked for; the SLA clock pauses while waiting.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { incidentEvents, incidentRoles, incidents, outbox, warRooms } from "../../src/db/schema.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";

describe.each(backends)("console lifecycle on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const kinds = async (id: number) =>
    (await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, id)).orderBy(asc(incidentEvents.id))).map((e) => e.kind);

  it("declares a P1: war room, pinned summary, announcement, stored with its timeline", async () => {
    const h = consoleHarness(database);
    const out = await h.type('/incident declare "Payment API down" --impact I1 --urgency U2 --service payments --detected-by monitoring');
    expect(out).toContain("[#general] bot: Declared INC-2026-0001 · P1 Critical · Payment API down.");
    expect(out).toContain(`War room: #${ROOM}`);
    expect(out).toContain(`[#${ROOM}] * channel created · topic: P1 Critical · declared · IM @alice · INC-2026-0001 · members: @alice`);
    expect(out).toMatch(new RegExp(`\\[#${ROOM}\\] bot: 📌 INC-2026-0001 · P1 Critical · Payment API down`));
    expect(out).toContain(`[#${ROOM}] * pinned`);
    expect(out).toContain("[#announcements] bot: Incident declared: INC-2026-0001 · P1 Critical · Payment API down");
    expect(out).toContain(`War room: #${ROOM}`);

    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ reference: "INC-2026-0001", priority: "P1", impact: "I1", urgency: "U2", status: "declared", service: "payments", detectedBy: "monitoring", declaredBy: "alice" });
    expect(row!.respondBy!.toISOString()).toBe("2026-11-23T10:15:00.000Z");
    expect(row!.resolveBy!.toISOString()).toBe("2026-11-23T14:00:00.000Z");
    expect(await database.db.select({ role: incidentRoles.role, user: incidentRoles.userId }).from(incidentRoles)).toEqual([{ role: "im", user: "alice" }]);
    expect(await kinds(row!.id)).toEqual(["declared", "role.assigned", "page.sent", "warroom.opened"]);
    const [room] = await database.db.select().from(warRooms);
    expect(room).toMatchObject({ platform: "console", channelId: ROOM, channelName: ROOM });
    expect(room!.summaryMessageId).not.toBeNull();
    // The level-1 page (escalation), the initial notice in the war room (communications), the announcement.
    const sent = await database.db.select({ target: outbox.target, action: outbox.action, status: outbox.status }).from(outbox).orderBy(asc(outbox.id));
    expect(sent).toEqual([
      { target: "desk", action: "dm", status: "sent" },
      { target: "warroom", action: "post", status: "sent" },
      { target: "announcements", action: "post", status: "sent" },
    ]);

    const list = await h.type("/incident list");
    expect(list).toContain(`INC-2026-0001 · P1 Critical · declared · Payment API down · #${ROOM}`);
  });

  it("runs a life in the war room: investigate, wait (SLA paused), mitigate, resolve, reopen", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    await h.type(`:in #${ROOM}`);
    await h.type(":as bob");
    // Not a responder yet: refused with the way in; after joining, bob works the incident.
    expect(await h.type("/incident investigating")).toContain("Only responders of INC-2026-0001 can change its status; run /incident join to become one.");
    expect(await h.type("/incident join")).toContain("You are now a responder of INC-2026-0001");
    expect(await h.type("/incident investigating")).toContain("INC-2026-0001 is being investigated. Now: P1 Critical · investigating.");
    h.clock.advance(5 * 60_000);
    const waiting = await h.type("/incident wait customer");
    expect(waiting).toContain("is waiting on the customer (SLA clock paused)");
    expect(waiting).toContain("(summary m1 updated)");
    h.clock.advance(30 * 60_000);
    await h.type("/incident investigating");
    const [afterWait] = await database.db.select().from(incidents);
    // 5 min counted, 30 min paused: respond-by moves from 10:15 to 10:45, resolve-by from 14:00 to 14:30.
    expect(afterWait!.respondBy!.toISOString()).toBe("2026-11-23T10:45:00.000Z");
    expect(afterWait!.resolveBy!.toISOString()).toBe("2026-11-23T14:30:00.000Z");
    expect(afterWait!.pauses).toEqual([{ from: "2026-11-23T10:05:00.000Z", to: "2026-11-23T10:35:00.000Z" }]);
    expect(await h.type("/incident mitigated traffic moved to the standby cluster")).toContain("is mitigated");
    // Resolving speaks for the incident: the incident manager or the communications lead only.
    expect(await h.type("/incident resolve primary database failed over; fixed")).toContain("Only the incident manager (@alice) or the communications lead of INC-2026-0001 can resolve it");
    await h.type(":as alice");
    await h.type("/incident role comms @bob");
    await h.type(":as bob");
    expect(await h.type("/incident resolve primary database failed over; fixed")).toContain("is resolved");
    const summary = h.lines.filter((l) => l.includes("(summary m1 updated)")).at(-1)!;
    expect(summary).toContain("📌 INC-2026-0001");
    expect(h.lines.slice(-8).join("\n")).toContain("Status: resolved");
    expect(await h.type("/incident investigating")).toContain("is resolved: to work on it again, run /incident reopen <reason>.");
    expect(await h.type("/incident reopen customer still sees errors")).toContain("INC-2026-0001 is reopened");
    const [row] = await database.db.select().from(incidents);
    expect(row!.status).toBe("investigating");
    expect(row!.resolvedAt).toBeNull();
    const events = await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, row!.id)).orderBy(asc(incidentEvents.id));
    const changes = events.filter((e) => e.kind === "status.changed" || e.kind === "reopened");
    expect(changes.map((e) => [e.kind, e.actor, e.data.to, e.data.text ?? null])).toEqual([
      ["status.changed", "bob", "investigating", null],
      ["status.changed", "bob", "waiting_customer", null],
      ["status.changed", "bob", "investigating", null],
      ["status.changed", "bob", "mitigated", "traffic moved to the standby cluster"],
      ["status.changed", "bob", "resolved", "primary database failed over; fixed"],
      ["reopened", "bob", "investigating", "customer still sees errors"],
    ]);
    const status = await h.type("/incident status");
    expect(status).toContain("(only @bob)");
    expect(status).toContain("Reopened: customer still sees errors");
    // One rendering of events everywhere: words and people, never internal event names.
    expect(status).toMatch(/Timeline \(latest 12 of \d+; \/incident report has all\):/);
    expect(status).toContain("Resolved: primary database failed over; fixed");
    expect(status).not.toMatch(/page\.sent|update\.posted|responder\.joined|role\.assigned|status\.changed/);
    expect(status.split("\n").length).toBeLessThan(40);
  });

  it("a P3 has no war room until it is raised to P1, which opens one and keeps the IM", async () => {
    const h = consoleHarness(database);
    const out = await h.type('/incident declare "Slow reports page" --impact I3 --urgency U3');
    expect(out).toContain("INC-2026-0001 · P3 Low · Slow reports page");
    expect(out).toContain("no war room");
    expect(await database.db.select().from(warRooms)).toEqual([]);
    expect(await h.type("/incident classify --impact I1")).toContain("This channel is not an incident war room");
    const r = await h.type("/incident classify --impact I1 --urgency U1 --incident INC-2026-0001");
    expect(r).toContain("reclassified P3 → P1");
    expect(r).toContain("War room: #inc-20261123-0001-slow-reports-page");
    expect(r).toContain("[#inc-20261123-0001-slow-reports-page] * channel created");
    expect(r).toContain("[#announcements] bot: Incident declared: INC-2026-0001 · P1 Critical");
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ priority: "P1", impact: "I1", urgency: "U1" });
    expect(row!.respondBy!.toISOString()).toBe("2026-11-23T10:15:00.000Z");
    const roles = await database.db.select().from(incidentRoles);
    expect(roles.map((x) => [x.role, x.userId])).toEqual([["im", "alice"]]);
    expect(await kinds(row!.id)).toEqual(["declared", "role.assigned", "classified", "page.sent", "warroom.opened"]);
  });

  it("asks for impact and urgency when they are missing, showing the level definitions", async () => {
    const h = consoleHarness(database);
    const ask = await h.type('/incident declare "Checkout errors" --nature application');
    expect(ask).toContain("Impact? How much of production is affected:");
    expect(ask).not.toContain("Title?");
    expect(ask).toContain("I1 — Total outage: Total unavailability of production.");
    expect(await database.db.select().from(incidents)).toEqual([]);
    expect(await h.type("I9")).toContain("Impact must be one of I1, I2, I3 (got \"I9\"). Answer again, or :cancel.");
    const u = await h.type("i2");
    expect(u).toContain("Urgency? How critical the affected system is:");
    expect(u).toContain("U1 — Critical business:");
    const done = await h.type("U1");
    expect(done).toContain("Declared INC-2026-0001 · P2 Major · Checkout errors.");
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ impact: "I2", urgency: "U1", priority: "P2", nature: "application" });
  });

  it("hands roles over and records who had them", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    await h.type(`:in #${ROOM}`);
    expect(await h.type("/incident role im @bob")).toContain("INC-2026-0001: @bob is now incident manager (was @alice, who is told).");
    // The hand-over is told to the previous IM and in the war room.
    expect(h.lines).toContain(`[DM @alice] bot: @alice handed the incident manager role of INC-2026-0001 from @alice to @bob.`);
    expect(h.lines).toContain(`[#${ROOM}] bot: @alice handed the incident manager role of INC-2026-0001 from @alice to @bob.`);
    // alice no longer speaks for the incident; bob, the new IM, does.
    expect(await h.type("/incident role lead <@U777|dave>")).toContain("Only the incident manager (@bob) or the communications lead of INC-2026-0001 can hand its roles over");
    await h.type(":as bob");
    expect(await h.type("/incident role lead <@U777|dave>")).toContain("@U777 is now technical lead.");
    expect(await h.type("/incident role im @bob")).toContain("@bob is already the incident manager of INC-2026-0001.");
    const roles = await database.db.select().from(incidentRoles).orderBy(incidentRoles.role);
    expect(roles.map((x) => [x.role, x.userId])).toEqual([["im", "bob"], ["lead", "U777"]]);
    const events = await database.db.select().from(incidentEvents).orderBy(asc(incidentEvents.id));
    expect(events.filter((e) => e.kind.startsWith("role.")).map((e) => [e.kind, e.data])).toEqual([
      ["role.assigned", { role: "im", user: "alice" }],
      ["role.handed_over", { role: "im", user: "bob", previous: "alice" }],
      ["role.assigned", { role: "lead", user: "U777", previous: null }],
    ]);
  });
});
