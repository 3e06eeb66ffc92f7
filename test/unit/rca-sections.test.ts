/** Forgiving RCA section names, the closure gate (every gap, one by one and all at once), typed times. */
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/domain/incident.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { closureGaps, type RcaState } from "../../src/domain/rca/gate.js";
import { findSection, matchSection } from "../../src/domain/rca/match.js";
import { parseTimelineTime, splitTimeWords } from "../../src/domain/rca/time.js";

const sections = DEFAULT_POLICY.rca.sections;
const rca = DEFAULT_POLICY.rca;

describe("section names", () => {
  it.each([
    ["cause", "root_cause"],
    ["root-cause", "root_cause"],
    ["Root_Cause", "root_cause"],
    ["ROOTCAUSE", "root_cause"],
    ["workaround", "resolution"],
    ["lesson", "lessons"],
    ["runbook", "procedures"],
    ["CAPA", "actions"],
  ])("%s → %s", (name, id) => {
    expect(findSection(sections, name)?.id).toBe(id);
  });

  it("reads a several-word name off the front of the text", () => {
    const m = matchSection(sections, ["Root", "cause", "the", "disk", "filled"]);
    expect(m.ok && [m.value.section.id, m.value.rest.join(" ")]).toEqual(["root_cause", "the disk filled"]);
    const l = matchSection(sections, ["lessons", "learned", "alerting", "was", "late"]);
    expect(l.ok && [l.value.section.id, l.value.rest.join(" ")]).toEqual(["lessons", "alerting was late"]);
    const q = matchSection(sections, ["Resolution / workaround", "failover"]);
    expect(q.ok && q.value.section.id).toBe("resolution");
  });

  it("refuses a wrong name with the valid names, and a guess when one is close", () => {
    const bad = matchSection(sections, ["colour", "red"]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.refusal.code).toBe("E_UNKNOWN_SECTION");
    expect(bad.refusal.message).toBe(
      'There is no RCA section "colour". Sections: summary, impact, timeline, root_cause, resolution, actions, lessons, procedures.',
    );
    const typo = matchSection(sections, ["sumary", "x"]);
    expect(!typo.ok && typo.refusal.message).toContain('There is no RCA section "sumary". Did you mean "summary"?');
  });

  it("does not take an ambiguous prefix", () => {
    expect(findSection(sections, "re")).toBeUndefined();
  });
});

const base: Incident = {
  id: 1, reference: "INC-2026-0001", year: 2026, seq: 1, title: "t", description: null, nature: null, service: null, customer: null,
  detectedBy: null, impact: "I1", urgency: "U1", priority: "P1", status: "resolved", platform: "console", originChannel: "general",
  declaredBy: "alice", declaredAt: new Date(0), respondBy: null, resolveBy: null, acknowledgedAt: null, acknowledgedBy: null,
  resolvedAt: new Date(1), closedAt: null, parentId: null, outcome: null, nextUpdateAt: null, pauses: [], roles: {},
};
const at = new Date(0);
const filled = (ids: string[]): RcaState => ({
  sections: ids.map((section) => ({ section, text: `${section} text`, authors: ["bob"], updatedAt: at })),
  actions: [],
  timelineCount: 3,
  approval: null,
});
const complete = filled(["summary", "impact", "root_cause", "resolution", "actions", "procedures"]);
const ok = { comment: "fixed by failover", customerConfirmed: true };

describe("closure gate", () => {
  it("lets a complete, resolved, confirmed P1 close", () => {
    expect(closureGaps(rca, base, complete, ok)).toEqual([]);
  });

  it.each([
    ["not resolved", { ...base, status: "mitigated" as const }, complete, ok, ["not_resolved"], "it is not resolved (it is mitigated)"],
    ["a required section missing", base, filled(["summary", "impact", "resolution", "actions", "procedures"]), ok, ["section_missing"], 'RCA section "Root cause" is empty: /incident rca root_cause <text>'],
    ["procedures not done", base, filled(["summary", "impact", "root_cause", "resolution", "actions"]), ok, ["procedures_missing"], "the procedures item is not done"],
    ["no closing comment", base, complete, { comment: " ", customerConfirmed: true }, ["comment_missing"], "the closing comment is missing"],
    ["no customer agreement", base, complete, { comment: "x", customerConfirmed: false }, ["customer_not_confirmed"], "the customer's agreement is not recorded"],
  ])("refuses when %s", (_, incident, state, req, codes, text) => {
    const gaps = closureGaps(rca, incident, state, req);
    expect(gaps.map((g) => g.code)).toEqual(codes);
    expect(gaps[0]!.text).toContain(text);
  });

  it("lists every missing item at once", () => {
    const gaps = closureGaps(rca, { ...base, status: "investigating" }, filled([]), { comment: "", customerConfirmed: false });
    expect(gaps.map((g) => g.code)).toEqual([
      "not_resolved", "section_missing", "section_missing", "section_missing", "section_missing", "section_missing",
      "procedures_missing", "comment_missing", "customer_not_confirmed",
    ]);
  });

  it("counts actions as filling the actions section", () => {
    const state = { ...filled(["summary", "impact", "root_cause", "resolution", "procedures"]), actions: [{ n: 1, text: "a", owner: "bob", due: "2026-12-01", createdBy: "bob", doneAt: null, doneBy: null }] };
    expect(closureGaps(rca, base, state, ok)).toEqual([]);
  });

  it("needs no RCA for a P3 unless the policy says so", () => {
    const p3 = { ...base, priority: "P3" };
    expect(closureGaps(rca, p3, filled([]), ok)).toEqual([]);
    expect(closureGaps({ ...rca, requiredFor: ["P1", "P2", "P3"] }, p3, filled([]), ok).length).toBe(6);
  });

  it("needs the approval when the policy requires it", () => {
    expect(closureGaps({ ...rca, requireApproval: true }, base, complete, ok).map((g) => g.code)).toEqual(["not_approved"]);
    expect(closureGaps({ ...rca, requireApproval: true }, base, { ...complete, approval: { by: "carol", at } }, ok)).toEqual([]);
  });
});

describe("timeline times", () => {
  const now = new Date("2026-10-26T10:00:00Z"); // 11:00 in Paris (CET, after the DST change)
  const tz = "Europe/Paris";
  const parsed = (s: string) => {
    const r = parseTimelineTime(s, now, tz);
    return r.ok ? r.value.toISOString() : r.refusal.message;
  };

  it("reads HH:MM as today in the policy timezone", () => {
    expect(parsed("09:30")).toBe("2026-10-26T08:30:00.000Z");
  });

  it("reads local ISO times on either side of the DST change, and keeps explicit offsets", () => {
    expect(parsed("2026-10-24T23:10")).toBe("2026-10-24T21:10:00.000Z");
    expect(parsed("2026-10-25 04:00")).toBe("2026-10-25T03:00:00.000Z");
    expect(parsed("2026-10-25T01:30:00Z")).toBe("2026-10-25T01:30:00.000Z");
  });

  it("refuses the future and what is not a time", () => {
    expect(parsed("23:00")).toBe("23:00 is in the future; the timeline records what already happened.");
    expect(parsed("noon")).toContain('"noon" is not a time: give HH:MM (today) or an ISO time');
    expect(parsed("25:00")).toContain("is not a time");
  });

  it("takes a date and a time as two words", () => {
    expect(splitTimeWords(["2026-10-24", "23:10", "alerts", "fire"])).toEqual({ time: "2026-10-24 23:10", rest: ["alerts", "fire"] });
    expect(splitTimeWords(["09:30", "alerts"])).toEqual({ time: "09:30", rest: ["alerts"] });
  });
});
