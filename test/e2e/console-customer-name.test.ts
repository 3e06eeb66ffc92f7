/**
 * A customer's name reaches a stakeholder destination only when a rule for that customer chose it, or
 * the destination says `showCustomer: true`: a catch-all rule ("every P1 to #status and the status
 * page's webhook") does not tell everyone else which customer is affected. Seen as the stakeholders
 * see it: the console channels' messages and the webhook's body, from the notice to the all-clear.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/config/policy-file.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const policy = parsePolicy({
  stakeholders: {
    destinations: {
      status: { console: "status" },
      "acme-news": { console: "acme-news" },
      support: { console: "support", showCustomer: true },
      statuspage: { webhook: "https://hooks.example.com/incidents" },
      partners: { console: "partners" },
    },
    rules: [
      { priorities: ["P1", "P2"], to: ["status", "support", "statuspage"] },
      { customers: ["acme"], to: ["acme-news"] },
      { customers: ["acme", "globex"], to: ["partners"] }, // shared by two customers
    ],
  },
});

/** The messages the bot posted in `#channel`, each whole. */
const postedIn = (lines: string[], channel: string) => lines.filter((l) => l.startsWith(`[#${channel}] bot: `));

describe.each(backends)("the customer's name on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  it("is told where a rule for that customer sends, or the destination allows it; not where a catch-all rule sends", async () => {
    const hooks: { incident: { customer: string | null }; text: string }[] = [];
    const h = consoleHarness(database, { policy, paging: { webhook: { post: async (_url, body) => void hooks.push(body as never) } } });
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2 --service payments --customer acme');
    await h.type(":in #inc-20261123-0001-payment-api-down");
    await h.type("/incident resolve Rolled back release 42");

    // Each destination got the notice and the all-clear.
    for (const channel of ["status", "acme-news", "support", "partners"]) expect(postedIn(h.lines, channel).map((m) => m.split("\n")[0]!.replace(/ ·.*| INC.*/, ""))).toEqual([`[#${channel}] bot: Incident declared:`, `[#${channel}] bot: All clear:`]);
    expect(hooks.map((b) => b.incident.customer)).toEqual([null, null]);
    for (const m of [...postedIn(h.lines, "status"), ...postedIn(h.lines, "partners"), ...hooks.map((b) => JSON.stringify(b))]) expect(m.toLowerCase()).not.toContain("acme");
    // The catch-all's destinations still say what is affected, without the customer.
    expect(postedIn(h.lines, "status")[1]).toContain("What happened: Payment API down (affecting service payments).");

    for (const channel of ["acme-news", "support"]) {
      const [notice, allClear] = postedIn(h.lines, channel);
      expect(notice).toContain("Customer: acme");
      expect(allClear).toContain("What happened: Payment API down (affecting service payments, customer acme).");
    }
  });
});
