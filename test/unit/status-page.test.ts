/** The status page's policy and pure rules: impact → state, the policy key, escaping, the bars. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadPolicy, parsePolicy } from "../../src/config.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { escapeHtml } from "../../src/domain/status/html.js";
import { buildStatusPage, impactState, statusQuery } from "../../src/domain/status/model.js";

describe("status page rules", () => {
  it("derives a service's state from the impact: the first level an outage, the last (of 3+) operational", () => {
    expect(["I1", "I2", "I3"].map((i) => impactState(DEFAULT_POLICY, i))).toEqual(["outage", "degraded", "operational"]);
    const four = loadPolicy("examples/policy-4x4.yaml");
    expect(["I1", "I2", "I3", "I4"].map((i) => impactState(four, i))).toEqual(["outage", "degraded", "degraded", "operational"]);
    const set = parsePolicy({ statusPage: { impactStates: { I3: "degraded" } } });
    expect(impactState(set, "I3")).toBe("degraded");
  });

  it("reads statusPage from the policy file, services in order, private false by default", () => {
    const p = parsePolicy({ statusPage: { title: "Acme", services: { payments: { name: "Payments" }, ledger: { name: "Ledger", private: true } } } });
    expect(p.statusPage).toEqual({
      title: "Acme",
      services: { payments: { name: "Payments", private: false }, ledger: { name: "Ledger", private: true } },
      internalNatures: ["security"],
      impactStates: {},
    });
    expect(statusQuery(p, new Date("2026-12-05T12:00:00Z"), false)).toMatchObject({ services: ["payments"], priorities: ["P1", "P2"], internalNatures: ["security"] });
    expect(statusQuery(p, new Date("2026-12-05T12:00:00Z"), true)).toMatchObject({ services: null, priorities: null, internalNatures: [] });
    expect(() => parsePolicy({ statusPage: { impactStates: { I9: "outage" } } })).toThrow(ConfigError);
    expect(() => parsePolicy({ statusPage: { impactStates: { I9: "outage" } } })).toThrow('statusPage.impactStates.I9 references unknown impact "I9"');
    expect(() => parsePolicy({ statusPage: { services: { pay: { name: "Pay", public: true } } } })).toThrow(/unknown key "public"/);
  });

  it("escapes the five characters that matter in HTML and XML", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("counts an incident on every local day it overlaps, open ones up to now, in the policy's time zone", () => {
    const p = parsePolicy({ statusPage: { services: { api: { name: "API" } } } });
    const now = new Date("2026-12-05T12:00:00Z");
    const row = (id: number, impact: string, from: string, to: string | null) => ({ id, reference: `INC-2026-000${id}`, title: `t${id}`, service: "api", impact, status: to ? "resolved" : "investigating", declaredAt: new Date(from), resolvedAt: to ? new Date(to) : null });
    const v = buildStatusPage(p, { incidents: [row(1, "I2", "2026-12-01T22:30:00Z", "2026-12-01T23:30:00Z"), row(2, "I1", "2026-12-04T20:00:00Z", null)], updates: [] }, now, false);
    const bad = v.services[0]!.days.filter((d) => d.incidents).map((d) => [d.date, d.state]);
    // 22:30Z and 23:30Z on 1 December are 23:30 and 00:30 in Paris: two local days.
    expect(bad).toEqual([["2026-12-01", "degraded"], ["2026-12-02", "degraded"], ["2026-12-04", "outage"], ["2026-12-05", "outage"]]);
    expect(v.services[0]!.state).toBe("outage");
    expect(v.overall).toBe("outage");
  });
});
