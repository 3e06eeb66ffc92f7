/** The RCA keys of the policy file: defaults, overrides, and what is refused (with the key path). */
import { describe, expect, it } from "vitest";
import { ConfigError, parsePolicy } from "../../src/config.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";

function problem(raw: unknown): string {
  try {
    parsePolicy(raw, "policy.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("rca policy", () => {
  it("defaults to the DESIGN §2 template, P1 and P2, no approver and 7 days", () => {
    const p = parsePolicy({});
    expect(p.rca.sections.map((s) => [s.id, s.required])).toEqual([
      ["summary", true], ["impact", true], ["timeline", false], ["root_cause", true],
      ["resolution", true], ["actions", true], ["lessons", false], ["procedures", true],
    ]);
    expect(p.rca.requiredFor).toEqual(["P1", "P2"]);
    expect(p.rca.approvers).toEqual({});
    expect(p.archiveAfterDays).toBe(7);
  });

  it("takes overrides key by key", () => {
    const p = parsePolicy({ rca: { requiredFor: ["P1", "P2", "P3"], approvers: { slack: ["U024BE7LH"], console: ["carol"] } }, archiveAfterDays: 3 });
    expect(p.rca.requiredFor).toEqual(["P1", "P2", "P3"]);
    expect(p.rca.approvers.console).toEqual(["carol"]);
    expect(p.rca.sections).toEqual(DEFAULT_POLICY.rca.sections);
    expect(p.rca.requireApproval).toBe(false);
    expect(p.archiveAfterDays).toBe(3);
    const own = parsePolicy({ rca: { sections: [{ id: "what", label: "What happened", required: true }, { id: "procedures", label: "Runbook", required: true, aliases: ["rb"] }] } });
    expect(own.rca.sections[0]).toEqual({ id: "what", label: "What happened", required: true, aliases: [] });
  });

  it.each([
    [{ rca: { requiredFor: ["P9"] } }, 'rca.requiredFor.0 references unknown priority "P9"'],
    [{ rca: { sections: [{ id: "summary", label: "Summary", required: true }] } }, 'must include a section with id "procedures"'],
    [{ rca: { sections: [{ id: "Root cause", label: "x", required: true }] } }, "must be a lower-case id"],
    [{ rca: { sections: [{ id: "procedures", label: "Procedures", required: true }, { id: "runbook", label: "Procedures", required: false }] } }, 'uses the name "Procedures", which already names section "procedures"'],
    [{ rca: { approvers: { slack: "U1" } } }, "rca.approvers.slack"],
    [{ rca: { colour: "red" } }, 'unknown key "colour"'],
    [{ archiveAfterDays: 0 }, "archiveAfterDays must be a positive whole number of days"],
  ])("refuses %j", (raw, message) => {
    expect(problem(raw)).toContain(message);
  });
});
