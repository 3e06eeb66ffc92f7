/**
 * Stakeholder destinations as pure rules: which destinations a rule chooses, the implicit
 * announcements channels of every running platform, the policy's validation sentences, the public
 * wording (no user ids, mentions, SLA clock or ladder in any public rendering), and the e-mail.
 */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/config/policy-file.js";
import { chooseDestinations, unreachableDestinations } from "../../src/domain/comms/destinations.js";
import { mailSubject, renderMail } from "../../src/domain/comms/email.js";
import { publicChatMessage, publicNotice, publicText, webhookBody, type PublicKind } from "../../src/domain/comms/public.js";
import type { Incident } from "../../src/domain/incident.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";

const incident: Incident = {
  id: 7, reference: "INC-2026-0042", year: 2026, seq: 42, title: "Payment API down", description: "Card payments fail with 502",
  nature: "application", service: "payments", customer: "acme", detectedBy: "monitoring", impact: "I1", urgency: "U2", priority: "P1",
  status: "investigating", platform: "slack", originChannel: "CGENERAL", declaredBy: "UALICE0001",
  declaredAt: new Date("2026-11-23T10:00:00Z"), respondBy: new Date("2026-11-23T10:15:00Z"), resolveBy: new Date("2026-11-23T14:00:00Z"),
  acknowledgedAt: new Date("2026-11-23T10:05:00Z"), acknowledgedBy: "UBOB000002", resolvedAt: null, closedAt: null, parentId: null,
  outcome: null, nextUpdateAt: new Date("2026-11-23T10:30:00Z"), pauses: [], roles: { im: "UALICE0001", lead: "UBOB000002" },
};

const policy = parsePolicy({
  stakeholders: {
    destinations: {
      status: { slack: "C0STATUS" },
      news: { discord: "1100000000000000004" },
      "customers-acme": { email: ["Ops@Acme.example", "ops@acme.example", "cto@acme.example"], timezone: "America/New_York" },
      hook: { webhook: "https://hooks.example.com/incidents" },
    },
    rules: [
      { priorities: ["P1"], services: ["payments"], to: ["status", "customers-acme", "news"] },
      { customers: "acme", to: "hook" },
      { priorities: ["p2"], to: ["status"] },
    ],
  },
});

describe("choosing destinations", () => {
  it("a P1 on payments goes to #status on Slack, the customers-acme list and Discord; acme's webhook by the customer rule", () => {
    expect(chooseDestinations(policy.stakeholders, incident, ["slack"]).map((d) => d.name)).toEqual(["status", "news", "customers-acme", "hook"]);
    const list = chooseDestinations(policy.stakeholders, incident, ["slack"]).find((d) => d.kind === "email");
    expect(list).toMatchObject({ addresses: ["ops@acme.example", "cto@acme.example"], timezone: "America/New_York" });
  });

  it("criteria are case-insensitive and read lists of services; no rule matching means no destination", () => {
    expect(chooseDestinations(policy.stakeholders, { ...incident, priority: "P2", service: "Checkout, PAYMENTS", customer: null }, []).map((d) => d.name)).toEqual(["status"]);
    expect(chooseDestinations(policy.stakeholders, { ...incident, priority: "P3", customer: null }, ["slack"])).toEqual([]);
  });

  it("without destinations: the own platform's announcements channel first, then the other platforms' (Slack ↔ Discord)", () => {
    const none = DEFAULT_POLICY.stakeholders;
    expect(chooseDestinations(none, incident, ["slack", "discord"]).map((d) => [d.name, d.kind === "chat" && d.platform])).toEqual([["announcements", "slack"], ["announcements@discord", "discord"]]);
    expect(chooseDestinations(none, { ...incident, platform: "discord" }, ["slack", "discord"]).map((d) => d.name)).toEqual(["announcements", "announcements@slack"]);
    expect(chooseDestinations(none, { ...incident, platform: "console" }, ["console"]).map((d) => d.name)).toEqual(["announcements"]);
  });

  it("names the destinations this deployment cannot reach", () => {
    expect(unreachableDestinations(policy.stakeholders, ["slack"], false)).toEqual([
      'stakeholder destination "news" is on discord, which is not configured: its deliveries will fail',
      'stakeholder destination "customers-acme" is an e-mail list but SMTP_URL is not set: its deliveries will fail',
    ]);
  });
});

describe("the stakeholders policy key", () => {
  const refused = (stakeholders: unknown) => {
    try {
      parsePolicy({ stakeholders });
      return "accepted";
    } catch (e) {
      return (e as Error).message;
    }
  };

  it("says what is wrong, naming the key", () => {
    expect(refused({ destinations: { a: { slack: "C1", email: ["x@y.example"] } }, rules: [{ to: ["a"] }] })).toContain("stakeholders.destinations.a must have exactly one of slack, discord, console, email, webhook (got slack and email)");
    expect(refused({ destinations: { a: { email: ["not an address"] } }, rules: [{ to: ["a"] }] })).toContain("must be an e-mail address such as ops@acme.example");
    expect(refused({ destinations: { a: { webhook: "ftp://x" } }, rules: [{ to: ["a"] }] })).toContain("must be an http:// or https:// URL");
    expect(refused({ destinations: { a: { slack: "C1" } }, rules: [{ to: ["b"] }] })).toContain('stakeholders.rules.0.to.0 references unknown destination "b"; known: a');
    expect(refused({ destinations: { a: { slack: "C1" } }, rules: [{ priorities: ["P9"], to: ["a"] }] })).toContain('references unknown priority "P9"');
    expect(refused({ destinations: { a: { slack: "C1" } } })).toContain("stakeholders.rules is empty");
    expect(refused({ destinations: { a: { slack: "C1", timezone: "Europe/Paris" } }, rules: [{ to: ["a"] }] })).toContain("is for e-mail lists only");
    expect(refused({ destinations: { "a:b": { slack: "C1" } }, rules: [] })).toContain("must be a destination name");
  });
});

describe("public wording", () => {
  const tz = "Europe/Paris";
  const kinds: [PublicKind, string | null][] = [["announcement", null], ["update", "Rolled back; <@UBOB000002> and @carol watch it, ask ops@acme.example"], ["allclear", "Fixed by <!channel> @here"], ["interim", null], ["report", "| 10:05 | Acknowledged by @UBOB000002 |"]];

  it("scrubs mentions and user ids from free text, keeping e-mail addresses", () => {
    expect(publicText("Rolled back; <@UBOB000002> and @carol watch it, <!here>, ask ops@acme.example")).toBe("Rolled back; the team and the team watch it, the team, ask ops@acme.example");
  });

  it("nothing internal reaches a public rendering: no user ids, mentions, SLA clock, roles or acknowledger", () => {
    for (const [kind, text] of kinds) {
      const n = publicNotice(DEFAULT_POLICY, { ...incident, resolvedAt: new Date("2026-11-23T12:00:00Z") }, kind, text, incident.nextUpdateAt);
      const mail = renderMail(n, { timezone: "America/New_York", list: "customers-acme", unsubscribeUrl: "https://bot.example/unsubscribe/abc" });
      const all = [JSON.stringify(publicChatMessage(n, tz, "inc-room")), JSON.stringify(webhookBody(n, "comms:1:dest:hook", "hook")), mail.subject, mail.text, mail.html].join("\n").replace(/ops@acme\.example/g, "");
      for (const internal of ["UALICE0001", "UBOB000002", "@", "Respond by", "Resolve by", "14:00", "Roles", "Incident manager", "Acknowledged:", "mentions\":true"]) {
        expect(all, `${kind}: ${internal}`).not.toContain(internal);
      }
    }
  });

  it("a mention in the title reaches no stakeholder: the subject and every part say the team", () => {
    const n = publicNotice(DEFAULT_POLICY, { ...incident, title: "Checkout down for <@U024BE7LH> and @alice" }, "announcement", null, null);
    expect(n.title).toBe("Checkout down for the team and the team");
    expect(mailSubject(n)).not.toMatch(/U024BE7LH|@alice/);
  });

  it("renders the e-mail: subject, both parts, times in the list's timezone", () => {
    const n = publicNotice(DEFAULT_POLICY, incident, "update", "Rolled back release 42", incident.nextUpdateAt);
    expect(mailSubject(n)).toBe("[P1] INC-2026-0042 Payment API down — investigating");
    const m = renderMail(n, { timezone: "America/New_York", list: "customers-acme", unsubscribeUrl: "https://bot.example/unsubscribe/abc" });
    expect(m.text).toBe(
      [
        "Update on INC-2026-0042 · P1 Critical · Payment API down",
        "",
        "Status: investigating",
        "Impact: Total outage: Total unavailability of production.",
        "Actions in progress: Rolled back release 42",
        "Next update: 2026-11-23 05:30 UTC-05:00",
        "",
        "-- ",
        'You receive this as a member of the "customers-acme" list. Unsubscribe: https://bot.example/unsubscribe/abc',
        "",
      ].join("\n"),
    );
    expect(m.html).toContain("<td>2026-11-23 05:30 UTC-05:00</td>");
    expect(m.html).toContain('<a href="https://bot.example/unsubscribe/abc">Unsubscribe</a>');
    const x = renderMail(publicNotice(DEFAULT_POLICY, { ...incident, title: "<script>x</script>" }, "announcement", null, null), { timezone: "UTC", list: "l", unsubscribeUrl: null });
    expect(x.html).not.toContain("<script>");
  });
});

describe("examples/stakeholders.yaml", () => {
  it("loads; a P1 on payments for acme reaches Slack #status, Acme's list, Discord, the webhook and the console", async () => {
    const { loadPolicy } = await import("../../src/config/policy-file.js");
    const p = loadPolicy("examples/stakeholders.yaml");
    const chosen = chooseDestinations(p.stakeholders, incident, ["slack"]);
    expect(chosen.map((d) => d.name)).toEqual(["status", "announcements-discord", "customers-acme", "statuspage", "console-status", "support"]);
    // Acme's name: to Acme's list (its customer rule matched) and to support (showCustomer), not to the others.
    expect(chosen.filter((d) => d.showsCustomer).map((d) => d.name)).toEqual(["customers-acme", "support"]);
    expect(chooseDestinations(p.stakeholders, { ...incident, priority: "P3", service: null }, ["slack"]).map((d) => d.name)).toEqual(["customers-acme"]);
  });
});
