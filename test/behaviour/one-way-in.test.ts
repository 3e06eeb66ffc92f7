/**
 * The behaviour suite of "one way in", written once and run on every surface (the console, Slack at
 * the wire, Discord at the wire) and every store: declaring inline and by form, the permission rules
 * and their sentences, joining, a hand-over told to the previous IM, a button that opens a form, and
 * the closure gate. Each surface's driver (test/support/surfaces.ts) only translates.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends, type TestDatabase } from "../support/databases.js";
import { SURFACES, type Surface } from "../support/surfaces.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";

const P1 = { title: "Payment API down", impact: "I1", urgency: "U2" };
const REF = "INC-2026-0001";

for (const backend of backends) {
  describe.each(SURFACES)(`one way in on $name (${backend.name})`, ({ open }) => {
    let database: TestDatabase;
    let s: Surface;
    beforeEach(async () => {
      database = await backend.open();
      s = await open(database);
    });
    afterEach(async () => {
      await s.close();
      await database.destroy();
    });

    const count = async (table: string) => {
      const rows = (await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { n: number }[] | { rows: { n: number }[] };
      return Array.isArray(rows) ? rows[0]!.n : rows.rows[0]!.n;
    };

    it("declares inline, and by form when impact and urgency are missing", async () => {
      const inline = await s.command("alice", "declare", P1);
      expect(inline.text).toContain(`Declared ${REF} · P1 Critical · Payment API down.`);
      expect(inline.private).toBe(false);

      const asked = await s.command("bob", "declare", { title: "Checkout slow", service: "checkout" });
      expect(asked.form).toContain("impact");
      expect(asked.private).toBe(true);
      expect(await count("incidents")).toBe(1);
      const done = await s.submit("bob", { impact: "I2", urgency: "U1" });
      expect(done.text).toContain("Declared INC-2026-0002 · P2 Major · Checkout slow.");
      // What was given inline before the form opened is kept (stored with the form, not in memory).
      const rows = (await database.db.execute(sql.raw("select service from incidents where seq = 2"))) as unknown as { service: string }[] | { rows: { service: string }[] };
      expect((Array.isArray(rows) ? rows : rows.rows)[0]!.service).toBe("checkout");
    });

    it("refuses an outsider with the rule and the way in, the same by command and by button; join lets them work", async () => {
      await s.command("alice", "declare", P1);
      const events = await count("incident_events");
      const byCommand = await s.command("bob", "ack", {}, "warroom");
      expect(byCommand.text).toContain(`Only responders of ${REF} can acknowledge it; run /incident join to become one.`);
      expect(byCommand.private).toBe(true);
      const byButton = await s.press("bob", "ack");
      expect(byButton.text).toContain(`Only responders of ${REF} can acknowledge it; run /incident join to become one.`);
      expect(byButton.private).toBe(true);
      expect(await count("incident_events")).toBe(events);

      expect((await s.command("bob", "join", {}, "warroom")).text).toContain(`You are now a responder of ${REF}`);
      expect(s.warRoom()).toContain(`@bob joined ${REF} as a responder.`);
      const ack = await s.press("bob", "ack");
      expect(ack.text).toContain(`${REF} acknowledged by @bob (within respond-by).`);
      expect(ack.private).toBe(false);
    });

    it("keeps speaking for the incident to its manager; a hand-over is told to the previous IM and in the war room", async () => {
      await s.command("alice", "declare", P1);
      await s.command("bob", "join", {}, "warroom");
      const refused = await s.command("bob", "update", { text: "Failing over to the standby" }, "warroom");
      expect(refused.text).toContain(`Only the incident manager (@alice) or the communications lead of ${REF} can post its stakeholder updates`);
      expect(refused.private).toBe(true);

      const handed = await s.command("alice", "role", { role: "im", user: "@bob" }, "warroom");
      expect(handed.text).toContain(`${REF}: @bob is now incident manager (was @alice, who is told).`);
      expect(s.dms("alice")).toContain(`@alice handed the incident manager role of ${REF} from @alice to @bob.`);
      expect(s.warRoom()).toContain(`@alice handed the incident manager role of ${REF} from @alice to @bob.`);
      expect((await s.command("bob", "update", { text: "Failing over to the standby" }, "warroom")).text).toContain(`${REF}: update posted to stakeholders`);
      expect((await s.command("alice", "resolve", { summary: "fixed" }, "warroom")).text).toContain("Only the incident manager (@bob)");
    });

    it("the Resolve button opens the form only for who may resolve; the submission resolves", async () => {
      await s.command("alice", "declare", P1);
      await s.command("bob", "join", {}, "warroom");
      const outsider = await s.press("carol", "resolve");
      expect(outsider.form).toBeNull();
      expect(outsider.text).toContain(`can resolve it`);
      expect((await s.press("bob", "resolve")).text).toContain("Only the incident manager (@alice)");
      const form = await s.press("alice", "resolve");
      expect(form.form).toEqual(["summary"]);
      const done = await s.submit("alice", { summary: "Rolled back release 42" });
      expect(done.text).toContain(`${REF} is resolved.`);
    });

    it("an answer about an incident goes to its war room: run elsewhere, the person gets a private copy", async () => {
      await s.command("alice", "declare", P1);
      const elsewhere = await s.command("alice", "role", { role: "lead", user: "@bob", incident: REF }, "general");
      expect(elsewhere.private).toBe(true);
      expect(elsewhere.text).toContain(`${REF}: @bob is now technical lead.`);
      expect(elsewhere.text).toContain("(Posted in #inc-20261123-0001-payment-api-down.)");
      expect(s.warRoom()).toContain(`${REF}: @bob is now technical lead.`);
    });

    it("a permission changed in the policy holds on every surface", async () => {
      await s.close();
      s = await open(database, { ...DEFAULT_POLICY, permissions: { update: "responder" } });
      await s.command("alice", "declare", P1);
      await s.command("bob", "join", {}, "warroom");
      expect((await s.command("bob", "update", { text: "Failing over to the standby" }, "warroom")).text).toContain(`${REF}: update posted to stakeholders`);
      expect((await s.command("carol", "update", { text: "x" }, "warroom")).text).toContain(`Only responders of ${REF} can post its stakeholder updates`);
    });

    it("the closure gate lists what is missing, whichever surface asks", async () => {
      await s.command("alice", "declare", P1);
      const gate = await s.command("alice", "close", { comment: "done", "customer-confirmed": true }, "warroom");
      expect(gate.text).toContain(`${REF} cannot be closed yet; missing:`);
      expect(gate.text).toContain("it is not resolved");
      expect(gate.private).toBe(true);
    });
  });
}
