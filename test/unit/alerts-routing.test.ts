/** Alert routing rules, deduplication decisions and the `alerts` policy key's errors. */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/config/policy-file.js";
import { changesOf } from "../../src/domain/alerts/dedup.js";
import { routeFor, routedIm, routedPolicy } from "../../src/domain/alerts/routing.js";
import type { AlertBatch, NormalisedAlert } from "../../src/domain/alerts/types.js";
import { parseAlerts } from "../../src/adapters/http/alert-payloads.js";

const alert = (o: Partial<NormalisedAlert> = {}): NormalisedAlert => ({ fingerprint: "f1", status: "firing", title: "Down", description: null, labels: {}, startsAt: "2026-11-23T10:00:00Z", url: null, ...o });
const batch = (labels: Record<string, string>): AlertBatch => ({ source: "alertmanager", groupKey: "g", title: null, labels, alerts: [alert({ labels })] });

describe("alert routing", () => {
  const policy = parsePolicy({
    alerts: {
      rules: [
        { name: "db", matchRegex: { instance: "db-[0-9]+" }, impact: "I1", urgency: "U1", escalation: { ladder: "dba" } },
        { name: "crit", match: { severity: "critical" }, impact: "I1", urgency: "U2" },
      ],
      ladders: { dba: { businessHours: [{ name: "dba", targets: { console: ["d"] }, ackTimeoutMinutes: 5 }], offHours: [{ name: "dba", targets: { console: ["n"] }, ackTimeoutMinutes: 5 }] } },
    },
  });

  it("takes the first rule whose matchers hold; regular expressions are anchored; no match → the middle levels", () => {
    expect(routeFor(policy, batch({ instance: "db-12" })).rule.name).toBe("db");
    expect(routeFor(policy, batch({ instance: "db-12.example", severity: "critical" })).rule.name).toBe("crit");
    const fallback = routeFor(policy, batch({ service: "web" }));
    expect(fallback).toMatchObject({ rule: { name: "default", declare: "auto" }, impact: "I2", urgency: "U2", service: "web" });
  });

  it("a named ladder replaces the policy's ladders; a schedule that no longer exists leaves them", () => {
    expect(routedPolicy(policy, { ladder: "dba" }).escalation.businessHours.map((l) => l.name)).toEqual(["dba"]);
    expect(routedPolicy(policy, { schedule: "gone" })).toBe(policy);
  });

  it("the incident manager of a rule with a schedule is who is on call now, an override included (as the page)", () => {
    const scheduled = parsePolicy({
      schedules: { payments: { timezone: "UTC", layers: [{ name: "week", participants: { console: ["pat"] }, handOff: "09:00", period: "weekly", start: "2026-11-02" }] } },
      alerts: { rules: [{ name: "pay", match: { service: "payments" }, impact: "I1", urgency: "U1", escalation: { schedule: "payments" } }] },
    });
    const route = routeFor(scheduled, batch({ service: "payments" }));
    const at = new Date("2026-11-24T12:00:00Z");
    expect(routedIm(scheduled, route, "console", at)).toBe("pat");
    const cover = { id: 1, platform: "console", userId: "kai", from: new Date("2026-11-24T11:00:00Z"), to: new Date("2026-11-24T13:00:00Z") };
    expect(routedIm(scheduled, route, "console", at, { payments: [cover] })).toBe("kai");
  });

  it("policy errors name the key", () => {
    expect(() => parsePolicy({ alerts: { rules: [{ name: "x", impact: "I9" }] } })).toThrow(/alerts\.rules\.0\.impact.*unknown impact "I9"/);
    expect(() => parsePolicy({ alerts: { rules: [{ name: "x", matchRegex: { a: "(" } }] } })).toThrow(/alerts\.rules\.0\.matchRegex\.a.*regular expression/);
    // Patterns that backtrack exponentially on a label value are refused; RE2-style ones pass.
    for (const slow of ["(a+)+x", "(db-[0-9]*)*", "(.*a){3}", "(a)\\1"]) {
      expect(() => parsePolicy({ alerts: { rules: [{ name: "x", matchRegex: { a: slow } }] } }), slow).toThrow(/alerts\.rules\.0\.matchRegex\.a.*repeat a repeated group/);
    }
    expect(() => parsePolicy({ alerts: { rules: [{ name: "x", matchRegex: { a: "(db|cache)-[0-9]+" } }] } })).not.toThrow();
    expect(() => parsePolicy({ alerts: { rules: [{ name: "x", escalation: { schedule: "nope" } }] } })).toThrow(/alerts\.rules\.0\.escalation\.schedule.*unknown schedule "nope"/);
    expect(() => parsePolicy({ alerts: { maxNewPerMinute: 0 } })).toThrow(/alerts\.maxNewPerMinute/);
  });
});

describe("deduplication", () => {
  it("a repeat changes nothing; a new startsAt is a new firing; resolved once", () => {
    const known = [{ fingerprint: "f1", status: "firing" as const, startsAt: "2026-11-23T10:00:00Z" }];
    expect(changesOf(known, [alert()])).toEqual([]);
    expect(changesOf(known, [alert({ startsAt: "2026-11-23T12:00:00Z" })])).toMatchObject([{ kind: "firing", known: true }]);
    expect(changesOf(known, [alert({ status: "resolved" })])).toMatchObject([{ kind: "resolved" }]);
    expect(changesOf([{ ...known[0]!, status: "resolved" }], [alert({ status: "resolved" })])).toEqual([]);
    expect(changesOf([], [alert({ fingerprint: "f2" })])).toMatchObject([{ kind: "firing", known: false }]);
  });
});

describe("webhook payloads that are not what they say", () => {
  const am = (over: Record<string, unknown> = {}, alert: Record<string, unknown> = {}) => ({
    version: "4",
    groupKey: "{}:{alertname=\"X\"}",
    status: "firing",
    alerts: [{ status: "firing", labels: { alertname: "X" }, startsAt: "2026-12-05T10:00:00Z", ...alert }],
    ...over,
  });
  it("control characters in the group key are cleaned, not stored", () => {
    const r = parseAlerts("alertmanager", am({ groupKey: "g\u0000k" }));
    expect(r.ok && r.batch.groupKey).toBe("g k");
  });
  it("a start time that is not a time, an over-long label and a title of the wrong type are one sentence each", () => {
    expect(parseAlerts("alertmanager", am({}, { startsAt: "yesterday" }))).toEqual({ ok: false, reason: "alerts[0].startsAt must be a time such as 2026-12-05T10:00:00Z." });
    const long = parseAlerts("alertmanager", am({}, { labels: { alertname: "x".repeat(2000) } }));
    expect(long.ok ? null : long.reason).toBe("alerts[0].labels.alertname must have values of at most 1024 characters.");
    expect(parseAlerts("webhook", { key: "k", status: "firing", title: 5 })).toEqual({ ok: false, reason: "title must be text." });
  });
});

