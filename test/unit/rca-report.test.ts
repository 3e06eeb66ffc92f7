/**
 * The incident report against a golden file, byte for byte: a fixture P1 that starts on 2026-10-24
 * (CEST, UTC+2) and ends on 2026-10-26 (CET, UTC+1), with two entries at 02:30 local on the night
 * the clocks go back (one in each pass of the repeated hour). UPDATE_GOLDEN=1 rewrites the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Incident, IncidentEvent } from "../../src/domain/incident.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { renderReport, reportFilename, type ReportInput } from "../../src/domain/rca/report.js";
import { mergeTimeline } from "../../src/domain/rca/timeline.js";

const GOLDEN = fileURLToPath(new URL("../golden/incident-report.md", import.meta.url));
const d = (iso: string) => new Date(iso);

const incident: Incident = {
  id: 7, reference: "INC-2026-0042", year: 2026, seq: 42, title: "Payment API down", description: "Card payments fail with 502.",
  nature: "storage", service: "payments", customer: "ACME | Retail", detectedBy: "monitoring", impact: "I1", urgency: "U2", priority: "P1",
  status: "closed", platform: "console", originChannel: "general", declaredBy: "alice", declaredAt: d("2026-10-24T21:10:00Z"),
  respondBy: null, resolveBy: null, acknowledgedAt: d("2026-10-24T21:14:00Z"), acknowledgedBy: "bob",
  resolvedAt: d("2026-10-26T08:30:00Z"), closedAt: d("2026-10-27T09:00:00Z"), parentId: null, outcome: null, nextUpdateAt: null, pauses: [], roles: { im: "alice", lead: "bob" },
};

let id = 0;
const ev = (at: string, actor: string, kind: string, data: Record<string, unknown> = {}): IncidentEvent => ({ id: ++id, incidentId: 7, at: d(at), actor, kind, data });

const events: IncidentEvent[] = [
  ev("2026-10-24T21:10:00Z", "alice", "declared", { title: "Payment API down", priority: "P1" }),
  ev("2026-10-24T21:10:00Z", "alice", "role.assigned", { role: "im", user: "alice" }),
  ev("2026-10-24T21:11:00Z", "bot", "warroom.opened", { name: "inc-20261024-0042-payment-api-down" }),
  ev("2026-10-24T21:14:00Z", "bob", "acknowledged"),
  ev("2026-10-24T21:20:00Z", "bob", "status.changed", { from: "declared", to: "investigating" }),
  ev("2026-10-24T21:30:00Z", "bob", "rca.section_set", { section: "summary", by: "bob", append: false }),
  ev("2026-10-25T03:15:00Z", "bob", "status.changed", { from: "investigating", to: "mitigated", text: "traffic moved to the standby cluster" }),
  ev("2026-10-26T08:30:00Z", "bob", "status.changed", { from: "mitigated", to: "resolved", text: "disk extended, primary back" }),
  ev("2026-10-27T08:00:00Z", "carol", "rca.approved", { by: "carol" }),
  ev("2026-10-27T09:00:00Z", "alice", "closed", { comment: "Customer confirmed payments are normal.", customerConfirmed: true }),
];

const s = (section: string, text: string, authors: string[]) => ({ section, text, authors, updatedAt: d("2026-10-26T12:00:00Z") });

const input: ReportInput = {
  policy: DEFAULT_POLICY,
  incident,
  events,
  sections: [
    s("summary", "Card payments failed for 35 hours.", ["bob"]),
    s("impact", "All card payments of ACME failed;\nrefunds were delayed.", ["alice", "bob"]),
    s("root_cause", "The database volume filled up: log rotation was off.", ["bob"]),
    s("resolution", "Failover to the standby, then the volume was extended.", ["bob"]),
    s("lessons", "Disk alerts fired too late.", ["alice"]),
    s("procedures", "Runbook RB-12 \"database volume full\" written.", ["bob"]),
  ],
  actions: [
    { n: 1, text: "Alert at 80 % disk", owner: "bob", due: "2026-11-15", createdBy: "alice", doneAt: d("2026-10-27T08:00:00Z"), doneBy: "bob" },
    { n: 2, text: "Turn log rotation on everywhere", owner: "dave", due: "2026-12-01", createdBy: "alice", doneAt: null, doneBy: null },
  ],
  entries: [
    { at: d("2026-10-24T20:55:00Z"), text: "First customer complaints to the service desk", author: "erin", source: "manual" },
    { at: d("2026-10-25T00:30:00Z"), text: "Disk at 100 % on db-1", author: "bob", source: "pin" },
    { at: d("2026-10-25T01:30:00Z"), text: "Standby promoted", author: "bob", source: "manual" },
  ],
  approval: { by: "carol", at: d("2026-10-27T08:00:00Z") },
  closure: { by: "alice", at: d("2026-10-27T09:00:00Z"), comment: "Customer confirmed payments are normal." },
};

describe("incident report", () => {
  it("matches the golden file byte for byte", () => {
    const md = renderReport(input);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, md);
    expect(md).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("puts the repeated 02:30 of the DST night in order, with its offset change", () => {
    const md = renderReport(input);
    expect(md).toContain("| Start | 2026-10-24 23:10 (UTC+02:00) |");
    expect(md).toContain("| End | 2026-10-26 09:30 (UTC+01:00) |");
    // 23:10 CEST to 09:30 CET is 34 h 20 min on the wall clock, but the clocks went back: 35 h 20 min passed.
    expect(md).toContain("| Duration | 1 d 11 h 20 min |");
    const rows = md.split("\n").filter((l) => l.startsWith("| 2026-10-25 |"));
    expect(rows).toEqual([
      "| 2026-10-25 | 02:30 | 📌 Disk at 100 % on db-1 (pinned by @bob) |",
      "| 2026-10-25 | 02:30 | Standby promoted |",
      "| 2026-10-25 | 04:15 | Mitigated: traffic moved to the standby cluster |",
    ]);
  });

  it("leaves bookkeeping events out of the timeline and sorts hand-added entries in", () => {
    const lines = mergeTimeline(events, input.entries).map((l) => l.text);
    expect(lines[0]).toBe("First customer complaints to the service desk");
    expect(lines.some((l) => l.includes("section"))).toBe(false);
    expect(lines.at(-1)).toBe("Closed: Customer confirmed payments are normal.");
    expect(reportFilename(incident)).toBe("INC-2026-0042-report.md");
  });
});
