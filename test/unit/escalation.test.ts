/** The escalation ladder's pure rules: ladder in force, steps and their bound, timeouts, the page view, the policy. */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/config.js";
import { ackTimeoutMinutes, ladderAt, managementStep, stepAt } from "../../src/domain/escalation/ladder.js";
import { pageView } from "../../src/domain/escalation/page-view.js";
import type { Incident } from "../../src/domain/incident.js";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/policy.js";

const at = (iso: string) => new Date(iso);
const withHoliday: Policy = { ...DEFAULT_POLICY, businessHours: { ...DEFAULT_POLICY.businessHours, holidays: ["2026-12-25"] } };

describe("ladder in force", () => {
  it.each([
    ["weekday 17:29 Paris (winter, UTC+1)", "2026-11-24T16:29:00Z", "businessHours"],
    ["weekday 17:31 Paris", "2026-11-24T16:31:00Z", "offHours"],
    ["weekday 09:00 Paris", "2026-11-24T08:00:00Z", "businessHours"],
    ["weekday 08:59 Paris", "2026-11-24T07:59:00Z", "offHours"],
    ["Saturday 11:00", "2026-11-28T10:00:00Z", "offHours"],
    ["holiday (Friday 25 December) 11:00", "2026-12-25T10:00:00Z", "offHours"],
    ["the day before the holiday 11:00", "2026-12-24T10:00:00Z", "businessHours"],
    // DST starts in Paris on Sunday 2026-03-29: 07:30 UTC is 08:30 local before, 09:30 local after.
    ["Friday before DST 07:30 UTC (08:30 CET)", "2026-03-27T07:30:00Z", "offHours"],
    ["Monday after DST 07:30 UTC (09:30 CEST)", "2026-03-30T07:30:00Z", "businessHours"],
    ["Monday after DST 17:29 CEST", "2026-03-30T15:29:00Z", "businessHours"],
    ["Monday after DST 17:31 CEST", "2026-03-30T15:31:00Z", "offHours"],
  ])("%s", (_, iso, ladder) => {
    expect(ladderAt(withHoliday, at(iso))).toBe(ladder);
  });
});

describe("steps, timeouts and the repeat bound", () => {
  it("climbs level by level, then repeats the top up to repeatTopLevel and stops", () => {
    const night = at("2026-11-24T02:00:00Z");
    const steps = [0, 1, 2, 3, 4, 5, 6, 7].map((s) => stepAt(DEFAULT_POLICY, s, night));
    expect(steps.map((s) => s && [s.index + 1, s.level.name, s.repeat, s.last])).toEqual([
      [1, "service desk (on call)", 0, false],
      [2, "engineering", 0, false],
      [3, "team leader", 0, false],
      [4, "management", 0, false],
      [4, "management", 1, false],
      [4, "management", 2, false],
      [4, "management", 3, true],
      null,
    ]);
  });

  it("with no repeats the top level's first page is the last", () => {
    const p: Policy = { ...DEFAULT_POLICY, escalation: { ...DEFAULT_POLICY.escalation, repeatTopLevel: 0 } };
    expect(stepAt(p, 3, at("2026-11-24T10:00:00Z"))).toMatchObject({ index: 3, last: true });
    expect(stepAt(p, 4, at("2026-11-24T10:00:00Z"))).toBeNull();
  });

  it("times out after 30 min in business hours, 90 off-hours, or the priority's override", () => {
    const p: Policy = { ...DEFAULT_POLICY, escalation: { ...DEFAULT_POLICY.escalation, priorityTimeouts: { P1: { businessHours: 15 } } } };
    const day = stepAt(p, 0, at("2026-11-24T10:00:00Z"))!;
    const night = stepAt(p, 0, at("2026-11-24T02:00:00Z"))!;
    expect(ackTimeoutMinutes(p, day.ladder, day.level, "P2")).toBe(30);
    expect(ackTimeoutMinutes(p, night.ladder, night.level, "P2")).toBe(90);
    expect(ackTimeoutMinutes(p, day.ladder, day.level, "P1")).toBe(15);
    expect(ackTimeoutMinutes(p, night.ladder, night.level, "P1")).toBe(90);
  });

  it("managerial escalation pages the level named as management", () => {
    expect(managementStep(DEFAULT_POLICY, at("2026-11-24T10:00:00Z"))).toMatchObject({ ladder: "businessHours", index: 3 });
  });
});

describe("the page view", () => {
  it("carries the summary and an Acknowledge action", () => {
    const i = { reference: "INC-2026-0001", priority: "P1", title: "API down", status: "declared", impact: "I1", urgency: "U1", roles: { im: "alice" }, declaredBy: "alice", declaredAt: at("2026-11-24T10:00:00Z"), respondBy: null, resolveBy: null, acknowledgedAt: null } as unknown as Incident;
    const v = pageView(DEFAULT_POLICY, i, { step: stepAt(DEFAULT_POLICY, 1, at("2026-11-24T10:30:00Z"))!, kind: "technical", reason: null });
    expect(v.headline).toBe("🚨 Page: INC-2026-0001 · P1 Critical · API down");
    expect(v.body).toContain("level 2 — engineering (business hours)");
    expect(v.actions).toEqual([{ id: "ack", label: "Acknowledge" }]);
    expect(v.fields.map((f) => f.label)).toContain("Status");
  });
});

describe("escalation policy validation", () => {
  it("merges a file's ladders over the defaults", () => {
    const p = parsePolicy({ escalation: { offHours: [{ name: "call center", targets: { slack: ["S1"], discord: [1234] }, email: "cc@example.com", ackTimeoutMinutes: 20 }, { name: "management", ackTimeoutMinutes: 60, webhook: "https://pager.example.com/hook" }], priorityTimeouts: { P1: { businessHours: 15 } } } });
    expect(p.escalation.offHours[0]).toMatchObject({ name: "call center", targets: { slack: ["S1"], discord: ["1234"] } });
    expect(p.escalation.businessHours).toEqual(DEFAULT_POLICY.escalation.businessHours);
    expect(p.escalation.repeatTopLevel).toBe(3);
  });

  it.each([
    [{ managementLevel: "board" }, 'escalation.managementLevel must name a level of the businessHours ladder'],
    [{ offHours: [] }, "escalation.offHours"],
    [{ priorityTimeouts: { P9: { offHours: 5 } } }, 'references unknown priority "P9"'],
    [{ businessHours: [{ name: "desk", ackTimeoutMinutes: 30, webhook: "ftp://x" }, { name: "management", ackTimeoutMinutes: 0 }] }, "http:// or https://"],
    [{ businessHours: [{ name: "management", ackTimeoutMinutes: 10 }, { name: "Management", ackTimeoutMinutes: 10 }] }, "repeats the level name"],
  ])("refuses %j", (escalation, message) => {
    expect(() => parsePolicy({ escalation })).toThrow(message);
  });
});

describe("when a handler gives up", () => {
  it("on its last counted attempt, unless the platform asked to wait (a 429 is deferred, not counted)", async () => {
    const { givesUp } = await import("../../src/app/waits.js");
    const limited = Object.assign(new Error("ratelimited"), { retryAfterMs: 30_000 });
    expect(givesUp({ lastAttempt: true }, new Error("500"))).toBe(true);
    expect(givesUp({ lastAttempt: true }, limited)).toBe(false);
    expect(givesUp({ lastAttempt: false }, new Error("500"))).toBe(false);
    expect(givesUp({ lastAttempt: true }, Object.assign(new Error("x"), { retryAfterMs: 0 }))).toBe(true);
  });
});
