/** The pure rules of DESIGN §2: priority matrix, lifecycle, references and war-room names, durations. */
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/config.js";
import { derivePriority, isCommunicating, priorityRank } from "../../src/domain/classification.js";
import { formatDuration, parseDuration } from "../../src/domain/duration.js";
import { allowedMoves, isOpen, isWaiting, transition, type Status } from "../../src/domain/lifecycle.js";
import { DEFAULT_POLICY, type PriorityMatrix } from "../../src/domain/policy.js";
import { formatReference, parseReference, referenceYear, slugify, warRoomName } from "../../src/domain/reference.js";

const priorityOf = (m: PriorityMatrix, i: string, u: string) => {
  const r = derivePriority(m, i, u);
  if (!r.ok) throw new Error(r.refusal.message);
  return r.value.id;
};

describe("priority matrix, DESIGN defaults", () => {
  // DESIGN §2: I1×U1 P1, I1×U2 P1, I1×U3 P2; I2×U1 P2, I2×U2 P2, I2×U3 P3; I3×anything P3.
  const cells: [string, string, string][] = [
    ["I1", "U1", "P1"], ["I1", "U2", "P1"], ["I1", "U3", "P2"],
    ["I2", "U1", "P2"], ["I2", "U2", "P2"], ["I2", "U3", "P3"],
    ["I3", "U1", "P3"], ["I3", "U2", "P3"], ["I3", "U3", "P3"],
  ];
  it.each(cells)("%s × %s → %s", (i, u, p) => {
    expect(priorityOf(DEFAULT_POLICY.matrix, i, u)).toBe(p);
  });

  it("accepts lowercase levels", () => {
    expect(priorityOf(DEFAULT_POLICY.matrix, "i2", "u1")).toBe("P2");
  });

  it("refuses an unknown level, listing the allowed ones", () => {
    const r = derivePriority(DEFAULT_POLICY.matrix, "I9", "U1");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe("E_BAD_LEVEL");
    expect(r.refusal.message).toBe('Impact must be one of I1, I2, I3 (got "I9").');
    const u = derivePriority(DEFAULT_POLICY.matrix, "I1", "U0");
    expect(!u.ok && u.refusal.message).toBe('Urgency must be one of U1, U2, U3 (got "U0").');
  });

  it("only P1 and P2 follow the communication process", () => {
    expect(["P1", "P2", "P3"].map((p) => isCommunicating(DEFAULT_POLICY.matrix, p))).toEqual([true, true, false]);
    expect(priorityRank(DEFAULT_POLICY.matrix, "P1")).toBeLessThan(priorityRank(DEFAULT_POLICY.matrix, "P3"));
  });
});

describe("priority matrix as data: a 4×4 with named priorities", () => {
  // Expected grid written out by hand (rows I1..I4, columns U1..U4).
  const E = "EMERGENCY", H = "HIGH", S = "STANDARD", L = "SCHEDULED";
  const grid = [
    [E, E, H, S],
    [E, H, H, S],
    [H, S, S, L],
    [S, S, L, L],
  ];
  const expectGrid = (m: PriorityMatrix) => {
    grid.forEach((row, i) => row.forEach((p, u) => expect(priorityOf(m, `I${i + 1}`, `U${u + 1}`), `I${i + 1}×U${u + 1}`).toBe(p)));
  };

  it("loaded from examples/policy-4x4.yaml", () => {
    const policy = loadPolicy("examples/policy-4x4.yaml");
    expectGrid(policy.matrix);
    expect(policy.matrix.priorities.map((p) => p.label)).toEqual(["Emergency", "High", "Standard", "Scheduled"]);
    expect(isCommunicating(policy.matrix, "HIGH")).toBe(true);
    expect(isCommunicating(policy.matrix, "STANDARD")).toBe(false);
  });

  it("given inline", () => {
    const level = (id: string) => ({ id, label: id, description: id });
    const matrix: PriorityMatrix = {
      impacts: ["I1", "I2", "I3", "I4"].map(level),
      urgencies: ["U1", "U2", "U3", "U4"].map(level),
      priorities: [E, H, S, L].map((id, n) => ({ id, label: id, communication: n < 2 })),
      cells: Object.fromEntries(grid.map((row, i) => [`I${i + 1}`, Object.fromEntries(row.map((p, u) => [`U${u + 1}`, p]))])),
    };
    expectGrid(matrix);
    const r = derivePriority(matrix, "I5", "U1");
    expect(!r.ok && r.refusal.message).toBe('Impact must be one of I1, I2, I3, I4 (got "I5").');
  });
});

describe("lifecycle", () => {
  const allowed: [Status, Status][] = [
    ["declared", "investigating"], ["declared", "mitigated"], ["declared", "resolved"],
    ["investigating", "waiting_customer"], ["investigating", "waiting_vendor"], ["investigating", "mitigated"], ["investigating", "resolved"],
    ["waiting_customer", "investigating"], ["waiting_customer", "waiting_vendor"], ["waiting_vendor", "resolved"],
    ["mitigated", "investigating"], ["mitigated", "waiting_vendor"], ["mitigated", "resolved"],
    ["resolved", "investigating"], ["resolved", "closed"],
  ];
  it.each(allowed)("%s → %s is allowed", (from, to) => {
    expect(transition(from, to, "INC-2026-0001")).toEqual({ ok: true, value: to });
  });

  it("refuses a disallowed move, naming where the incident can go", () => {
    const r = transition("declared", "closed", "INC-2026-0001");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe("E_TRANSITION_NOT_ALLOWED");
    expect(r.refusal.message).toBe("INC-2026-0001 is declared and cannot become closed; from here it can become: investigating, mitigated, resolved.");
    expect(transition("declared", "waiting_customer").ok).toBe(false);
    expect(transition("mitigated", "closed").ok).toBe(false);
  });

  it("closed is final and read-only", () => {
    expect(allowedMoves("closed")).toEqual([]);
    const r = transition("closed", "investigating", "INC-2026-0003");
    expect(!r.ok && r.refusal.code).toBe("E_INCIDENT_CLOSED");
    expect(!r.ok && r.refusal.message).toBe("INC-2026-0003 is closed; closed incidents are read-only.");
  });

  it("a move to the same status is no change", () => {
    const r = transition("investigating", "investigating");
    expect(!r.ok && r.refusal.code).toBe("E_NO_CHANGE");
  });

  it("knows which statuses wait and which are open", () => {
    expect(isWaiting("waiting_customer") && isWaiting("waiting_vendor")).toBe(true);
    expect(isWaiting("mitigated")).toBe(false);
    expect(isOpen("mitigated")).toBe(true);
    expect(isOpen("resolved") || isOpen("closed")).toBe(false);
  });
});

describe("references and war-room names", () => {
  it("formats and parses INC-YYYY-NNNN", () => {
    expect(formatReference("INC", 2026, 42)).toBe("INC-2026-0042");
    expect(formatReference("OPS", 2027, 12345)).toBe("OPS-2027-12345");
    expect(parseReference("inc-2026-0042")).toEqual({ prefix: "INC", year: 2026, seq: 42 });
    expect(parseReference("INC-26-1")).toBeNull();
    expect(parseReference("hello")).toBeNull();
  });

  it("numbers by the year in the policy timezone", () => {
    // 2026-12-31 23:30Z is already 2027-01-01 00:30 in Paris, and still 2026 in New York.
    const at = new Date("2026-12-31T23:30:00Z");
    expect(referenceYear(at, "Europe/Paris")).toBe(2027);
    expect(referenceYear(at, "America/New_York")).toBe(2026);
  });

  it("slugifies to lowercase ASCII words", () => {
    expect(slugify("Payment API down!")).toBe("payment-api-down");
    expect(slugify("Échec de la base — réplication")).toBe("echec-de-la-base-replication");
    expect(slugify("  --Hello__World--  ")).toBe("hello-world");
    expect(slugify("支付失败")).toBe("");
    expect(slugify("Łódź Straße Ærø")).toBe("lodz-strasse-aero");
  });

  it("names war rooms inc-<day>-<seq>-<slug> in the policy timezone", () => {
    const at = new Date("2026-11-22T10:00:00Z");
    expect(warRoomName(1, at, "Payment API down", "Europe/Paris")).toBe("inc-20261122-0001-payment-api-down");
    // 23:30Z on the 22nd is the 23rd in Paris.
    expect(warRoomName(7, new Date("2026-11-22T23:30:00Z"), "x", "Europe/Paris")).toBe("inc-20261123-0007-x");
  });

  it("keeps within the platform's length, only a-z 0-9 - _, and drops non-Latin titles", () => {
    const at = new Date("2026-11-22T10:00:00Z");
    const long = "Checkout latency spikes across every region after the database failover drill went wrong";
    for (const max of [80, 100]) {
      const name = warRoomName(12, at, long, "Europe/Paris", max);
      expect(name.length).toBeLessThanOrEqual(max);
      expect(name).toMatch(/^[a-z0-9_-]+$/);
      expect(name.endsWith("-")).toBe(false);
      expect(name.startsWith("inc-20261122-0012-checkout-latency")).toBe(true);
    }
    expect(warRoomName(3, at, "決済システム障害", "Europe/Paris")).toBe("inc-20261122-0003");
  });
});

describe("durations", () => {
  it.each([
    ["30m", 30 * 60_000],
    ["2h", 2 * 3_600_000],
    ["1h30m", 90 * 60_000],
    ["45s", 45_000],
    ["1d", 86_400_000],
    ["2H", 2 * 3_600_000],
  ])("%s → %i ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "30", "m30", "1.5h", "-5m", "0m", "soon"])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it("writes durations one way: the two largest units, the second rounded", () => {
    expect(formatDuration(90 * 60_000)).toBe("1 h 30 min");
    expect(formatDuration((8 * 3600 + 39 * 60 + 26) * 1000)).toBe("8 h 39 min");
    expect(formatDuration((86_400 + 8 * 3600 + 41 * 60 + 6) * 1000)).toBe("1 d 9 h");
    expect(formatDuration(86_400_000 + 61_000)).toBe("1 d");
    expect(formatDuration(270_000)).toBe("4 min 30 s");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration((23 * 3600 + 59 * 60 + 50) * 1000)).toBe("1 d"); // rounding carries up
    expect(formatDuration(0)).toBe("0 s");
  });
});
