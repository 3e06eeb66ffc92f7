/** The communication rules: cadence and the promise, on-time, report deadlines, and what is said. */
import { describe, expect, it } from "vitest";
import { cadenceMinutes, isOnTime, missedAt, nextUpdateAt, reportDeadlines } from "../../src/domain/comms/cadence.js";
import { allClearView, initialNoticeView, reminderView, updateView } from "../../src/domain/comms/messages.js";
import type { Incident } from "../../src/domain/incident.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";

const at = (iso: string) => new Date(iso);
const incident: Incident = {
  id: 1, reference: "INC-2026-0042", year: 2026, seq: 42, title: "Payment API down", description: "Card payments fail with 502",
  nature: "application", service: "payments", customer: "ACME", detectedBy: "monitoring", impact: "I1", urgency: "U2", priority: "P1",
  status: "investigating", platform: "console", originChannel: "general", declaredBy: "alice", declaredAt: at("2026-11-23T10:00:00Z"),
  respondBy: null, resolveBy: null, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, closedAt: null,
  parentId: null, outcome: null, nextUpdateAt: at("2026-11-23T10:30:00Z"), pauses: [], roles: { im: "bob" },
};

describe("the next-update promise", () => {
  it("follows the priority's cadence: P1 30 min, P2 60 min, P3 none", () => {
    expect([cadenceMinutes(DEFAULT_POLICY, "P1"), cadenceMinutes(DEFAULT_POLICY, "P2"), cadenceMinutes(DEFAULT_POLICY, "P3")]).toEqual([30, 60, null]);
    expect(nextUpdateAt(DEFAULT_POLICY, "P1", at("2026-11-23T10:00:00Z"))).toEqual(at("2026-11-23T10:30:00Z"));
    expect(nextUpdateAt(DEFAULT_POLICY, "P2", at("2026-11-23T10:00:00Z"))).toEqual(at("2026-11-23T11:00:00Z"));
    expect(nextUpdateAt(DEFAULT_POLICY, "P3", at("2026-11-23T10:00:00Z"))).toBeNull();
  });

  it("an explicit --next wins, even for a priority without cadence", () => {
    expect(nextUpdateAt(DEFAULT_POLICY, "P1", at("2026-11-23T10:00:00Z"), 45 * 60_000)).toEqual(at("2026-11-23T10:45:00Z"));
    expect(nextUpdateAt(DEFAULT_POLICY, "P3", at("2026-11-23T10:00:00Z"), 2 * 3_600_000)).toEqual(at("2026-11-23T12:00:00Z"));
  });

  it("is kept until the grace has passed", () => {
    const due = at("2026-11-23T10:30:00Z");
    expect(missedAt(DEFAULT_POLICY, due)).toEqual(at("2026-11-23T10:40:00Z"));
    expect(isOnTime(DEFAULT_POLICY, due, at("2026-11-23T10:39:59Z"))).toBe(true);
    expect(isOnTime(DEFAULT_POLICY, due, at("2026-11-23T10:40:00Z"))).toBe(true);
    expect(isOnTime(DEFAULT_POLICY, due, at("2026-11-23T10:40:01Z"))).toBe(false);
    expect(isOnTime(DEFAULT_POLICY, null, at("2026-11-23T23:00:00Z"))).toBe(true);
  });

  it("puts the customer report reminder at +20 h and the deadline at +24 h", () => {
    expect(reportDeadlines(DEFAULT_POLICY, at("2026-11-23T11:20:00Z"))).toEqual({ reminderAt: at("2026-11-24T07:20:00Z"), dueAt: at("2026-11-24T11:20:00Z") });
  });
});

describe("what is said", () => {
  it("the initial notice: affected, impact, priority, IM and the next update in the policy timezone", () => {
    const m = initialNoticeView(DEFAULT_POLICY, incident);
    expect(m.headline).toBe("Incident notice: INC-2026-0042 · P1 Critical · Payment API down");
    expect(m.fields.map((f) => [f.label, f.value])).toEqual([
      ["Affected", "service payments, customer ACME"],
      ["Impact", "I1 — Total outage: Total unavailability of production."],
      ["Priority", "P1 Critical"],
      ["Incident manager", "@bob"],
      ["Next update", "2026-11-23 11:30 GMT+1"],
    ]);
  });

  it("an update: status, impact, actions in progress, next update", () => {
    const m = updateView(DEFAULT_POLICY, incident, "Rolling back", null);
    expect(m.fields.map((f) => [f.label, f.value])).toEqual([
      ["Status", "investigating"],
      ["Impact", "I1 — Total outage: Total unavailability of production."],
      ["Actions in progress", "Rolling back"],
      ["Next update", "none scheduled"],
    ]);
  });

  it("the all-clear says what happened, how it was fixed and how long it lasted", () => {
    const m = allClearView(DEFAULT_POLICY, incident, "Rolled back release 42.", at("2026-11-23T11:35:00Z"));
    expect(m.headline).toBe("All clear: INC-2026-0042 · Payment API down is resolved");
    expect(m.body).toBe(
      "What happened: Payment API down: Card payments fail with 502 (affecting service payments, customer ACME).\n" +
        "How it was fixed: Rolled back release 42.\n" +
        "It lasted 1h35m, from 2026-11-23 11:00 GMT+1 to 2026-11-23 12:35 GMT+1. The incident report will follow.",
    );
  });

  it("reminders name the IM and the promised time; the second says it is recorded missed", () => {
    const due = at("2026-11-23T10:30:00Z");
    expect(reminderView(DEFAULT_POLICY, incident, due, false).headline).toBe("@bob: a stakeholder update on INC-2026-0042 is due now (2026-11-23 11:30 GMT+1). Post it: /incident update <text> [--next 30m]");
    expect(reminderView(DEFAULT_POLICY, incident, due, true).headline).toMatch(/^@bob: the stakeholder update on INC-2026-0042 promised for 2026-11-23 11:30 GMT\+1 is 10 minutes late and is recorded as missed\./);
  });
});
