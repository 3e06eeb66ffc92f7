/**
 * What people read, through the console (issue 14, points 8 and 9): stakeholder messages in their
 * words (no SLA clock, the title not repeated as "affecting"), one duration and one time form, how
 * late an update really is, a priority label said once; typed times read as a person means them,
 * and times or due dates that cannot be right refused with a sentence.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/config/policy-file.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

const ROOM = "inc-20261123-0001-checkout-is-failing";

describe.each(backends)("what people read, on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  it("stakeholders read plain words, one duration form and one time form", async () => {
    // 10:00Z is 11:00 in Paris.
    const h = consoleHarness(database);
    await h.type('/incident declare "Checkout is failing" --impact I1 --urgency U2');
    await h.type(`:in #${ROOM}`);
    await h.type("/incident ack");
    await h.type("/incident investigating");
    const waiting = await h.type("/incident wait customer");
    const announced = waiting.split("\n").filter((l) => l.startsWith("[#announcements]")).join("\n");
    expect(announced).toContain("We are waiting on the customer to continue.");
    expect(announced).not.toContain("SLA");
    await h.type("/incident investigating");
    await h.type(":advance 8h39m26s");
    const resolved = await h.type("/incident resolve Restarted the checkout pods");
    expect(resolved).toContain("What happened: Checkout is failing.\n");
    expect(resolved).not.toContain("affecting Checkout is failing");
    expect(resolved).toContain("It lasted 8 h 39 min, from 2026-11-23 11:00 UTC+01:00 to 2026-11-23 19:39 UTC+01:00.");
    // One time form in everything the session printed: no "GMT+1" anywhere, no compact "8h39m26s".
    expect(h.lines.join("\n")).not.toMatch(/GMT|\d+h\d+m/);
  });

  it("a missed update says how late it is, in hours when it is hours", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Checkout is failing" --impact I1 --urgency U2');
    // The promise is 11:30 Paris; the bot comes back (or the clock moves) at 15:10.
    const late = await h.type(":advance 4h10m");
    expect(late).toContain(`[#${ROOM}] bot: @alice: the stakeholder update on INC-2026-0001 promised for 2026-11-23 11:30 UTC+01:00 is 3 h 40 min late and is recorded as missed.`);
    expect(late).not.toContain("10 minutes late");
  });

  it("a priority whose label repeats its id is shown once (examples/policy-4x4.yaml)", async () => {
    const h = consoleHarness(database, { policy: loadPolicy("examples/policy-4x4.yaml") });
    const declared = await h.type('/incident declare "Checkout is failing" --impact I1 --urgency U1');
    expect(declared).toContain("[#announcements] bot: Incident declared: INC-2026-0001 · EMERGENCY · Checkout is failing");
    expect(declared).not.toMatch(/EMERGENCY Emergency/i);
    // New York time, written the one way.
    expect(declared).toContain("Declared: 2026-11-23 05:00 UTC-05:00 by @alice");
  });

  it("reads 20:15 typed at 05:12 as yesterday evening; refuses a time long before the declaration and a past due date", async () => {
    // Declared Sunday 22 November 19:00 Paris; the engineer writes the timeline at 05:12 the next morning.
    const h = consoleHarness(database, { start: "2026-11-22T18:00:00Z" });
    await h.type('/incident declare "Checkout is failing" --impact I3 --urgency U3');
    await h.type(":at 2026-11-23 05:12");
    const added = await h.type("/incident timeline add 20:15 Customers report failed payments --incident INC-2026-0001");
    expect(added).toContain("INC-2026-0001: added to the timeline at 2026-11-22 20:15 UTC+01:00: Customers report failed payments");
    const old = await h.type("/incident timeline add 1999-01-01 10:00 Alert fired --incident INC-2026-0001");
    expect(old).toContain(
      "1999-01-01 10:00 is more than 7 days before the incident was declared (2026-11-22 19:00 UTC+01:00); check the date: the timeline tells this incident's story.",
    );
    expect(old).not.toContain("added to the timeline");
    const past = await h.type("/incident action add Add a payment alert --owner @bob --due 2020-01-01 --incident INC-2026-0001");
    expect(past).toContain("The due date 2020-01-01 is in the past (today is 2026-11-23); give today or a later day, such as --due 2026-11-30.");
    expect(await h.type("/incident action list --incident INC-2026-0001")).toContain("has no actions yet");
    expect(await h.type("/incident action add Add a payment alert --owner @bob --due 2026-11-23 --incident INC-2026-0001")).toContain("Add a payment alert");
  });
});
