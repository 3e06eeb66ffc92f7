/**
 * GET /oncall/<schedule>.ics on the bot's own HTTP server (port 0), read back with ical.js as a
 * calendar client would: the token rules, and the shifts of examples/oncall.yaml's desk across the
 * spring change (29 March 2026) with an override made by command cutting a weekend shift.
 */
import ICAL from "ical.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { calendarText, oncallCalendarRoutes } from "../../src/adapters/http/oncall-calendar.js";
import type { HttpDeps } from "../../src/adapters/http/routes.js";
import { startHttpServer } from "../../src/adapters/http/server.js";
import type { AppContext } from "../../src/commands/index.js";
import { loadPolicy } from "../../src/config/policy-file.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const TOKEN = "calendar-token-0123456789";
const policy = loadPolicy("examples/oncall.yaml");

async function serve(token: string | undefined, app: () => AppContext | null) {
  const deps = { env: token ? { oncallCalendarToken: token } : {}, app } as unknown as HttpDeps;
  const { server, port } = await startHttpServer(0, oncallCalendarRoutes(deps));
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  };
  return { get, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface Event {
  uid: string;
  start: string;
  end: string;
  summary: string;
}

function events(text: string): { calendar: ICAL.Component; events: Event[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const list = calendar.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), summary: e.summary };
  });
  return { calendar, events: list };
}

describe.each(backends)("the on-call calendar feed on $name", (backend) => {
  let database: TestDatabase;
  let close: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await close?.();
    close = null;
    await database.destroy();
  });

  it("answers 404 with a sentence when no token is configured, 401 without the token, 404 for an unknown schedule, 503 before the bot", async () => {
    const h = consoleHarness(database, { start: "2026-03-20T10:00:00Z", policy });
    const off = await serve(undefined, () => h.bot.ctx);
    expect(await off.get(`/oncall/desk.ics?token=${TOKEN}`)).toMatchObject({ status: 404, body: "On-call calendar feeds are off: set ONCALL_CALENDAR_TOKEN to serve them.\n" });
    await off.close();
    let ready = false;
    const on = await serve(TOKEN, () => (ready ? h.bot.ctx : null));
    close = on.close;
    expect((await on.get("/oncall/desk.ics")).status).toBe(401);
    expect((await on.get("/oncall/desk.ics?token=wrong")).status).toBe(401);
    expect((await on.get("/oncall/desk.ics", { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await on.get(`/oncall/desk.ics?token=${TOKEN}`)).status).toBe(503);
    ready = true;
    expect(await on.get(`/oncall/nope.ics?token=${TOKEN}`)).toMatchObject({ status: 404, body: 'No schedule "nope": the feeds are /oncall/<schedule>.ics for the schedules of the policy.\n' });
    expect((await on.get(`/oncall/constructor.ics?token=${TOKEN}`)).status).toBe(404);
    expect((await on.get(`/oncall/desk?token=${TOKEN}`)).status).toBe(404);
    expect((await on.get("/oncall/desk.ics", { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("publishes 8 weeks of shifts, overrides applied, across the spring change; valid iCalendar with stable UIDs", async () => {
    // Friday 20 March 2026, 11:00 Paris. Weeks of the off-hours rotation from 5 January: 23 March → owen (week 11), 30 March → olivia.
    const h = consoleHarness(database, { start: "2026-03-20T10:00:00Z", policy });
    await h.type(":as owen");
    expect(await h.type("/incident oncall override desk @kai --from 2026-03-28 12:00 --to 2026-03-28 18:00")).toContain("Override #1");
    const feed = await serve(TOKEN, () => h.bot.ctx);
    close = feed.close;
    const res = await feed.get(`/oncall/desk.ics?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/calendar; charset=utf-8");

    // The shape Google Calendar and Outlook want: CRLF, lines folded at 75 octets, the calendar's headers.
    expect(res.body.split("\r\n").every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(res.body.replace(/\r\n/g, "")).not.toContain("\n");
    const { calendar, events: list } = events(res.body);
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(String(calendar.getFirstPropertyValue("prodid"))).toContain("incident-bot");
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("On call: desk");
    for (const v of calendar.getAllSubcomponents("vevent")) expect(v.getFirstPropertyValue("dtstamp")).not.toBeNull();

    // The weekend before the change: owen from Friday 17:30 CET, kai's override on Saturday 12:00–18:00,
    // owen again until Monday 09:00 CEST — 07:00Z, an hour earlier in UTC than the Monday before.
    const weekend = list.filter((e) => e.start >= "2026-03-27T16:30:00.000Z" && e.start < "2026-03-30T08:00:00.000Z");
    expect(weekend.map((e) => [e.start, e.end, e.summary])).toEqual([
      ["2026-03-27T16:30:00.000Z", "2026-03-28T11:00:00.000Z", "desk: @owen on call"],
      ["2026-03-28T11:00:00.000Z", "2026-03-28T17:00:00.000Z", "desk: @kai on call (override)"],
      ["2026-03-28T17:00:00.000Z", "2026-03-30T07:00:00.000Z", "desk: @owen on call"],
      ["2026-03-30T07:00:00.000Z", "2026-03-30T15:30:00.000Z", "desk: @dana on call"],
    ]);
    // The Monday before the change the desk started at 09:00 CET (08:00Z); the autumn change is past the 8 weeks.
    expect(list.find((e) => e.start === "2026-03-23T08:00:00.000Z")?.summary).toMatch(/^desk: @(dana|dave) on call$/);
    // The first shift is the one going on at midnight Paris today, with its real start (Thursday 17:30).
    expect([list[0]!.start, list[0]!.end > "2026-03-19T23:00:00.000Z"]).toEqual(["2026-03-19T16:30:00.000Z", true]);
    expect(list.at(-1)!.end).toBe("2026-05-15T10:00:00.000Z"); // 8 weeks ahead
    expect(new Set(list.map((e) => e.uid)).size).toBe(list.length);
    // Shifts are contiguous (desk always has someone).
    list.slice(1).forEach((e, i) => expect(e.start).toBe(list[i]!.end));

    // An hour later the same shifts keep their UIDs.
    await h.type(":advance 1h");
    const again = events((await feed.get(`/oncall/desk.ics`, { authorization: `Bearer ${TOKEN}` })).body).events;
    const before = new Map(list.map((e) => [e.uid, e]));
    const kept = again.filter((e) => e.end < "2026-05-15T10:00:00.000Z");
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.map((e) => [e.uid, e.start])).toEqual(kept.map((e) => [e.uid, before.get(e.uid)?.start]));
    // The next day too: the feed starts a day later, and the shifts both feeds show keep their UIDs.
    await h.type(":advance 23h");
    const tomorrow = events((await feed.get(`/oncall/desk.ics?token=${TOKEN}`)).body).events;
    const shared = tomorrow.filter((e) => e.end < "2026-05-15T10:00:00.000Z");
    expect(shared.length).toBeGreaterThan(10);
    expect(shared.map((e) => [e.uid, e.start])).toEqual(shared.map((e) => [e.uid, before.get(e.uid)?.start]));
  });
});
