/**
 * Related incidents through the console, on every backend: a declaration names open incidents on the
 * same service or of the same nature from the last 30 minutes as possible duplicates; `--parent`
 * links a child to a major incident, whose pinned summary lists it, and resolving the parent says
 * which children are still open and how to resolve them.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { incidents } from "../../src/db/schema.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

describe.each(backends)("related incidents on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  it("flags possible duplicates from the last 30 minutes only", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Checkout errors" --impact I3 --urgency U3 --service shop');
    h.clock.advance(10 * 60_000);
    const dup = await h.type('/incident declare "Cart fails" --impact I3 --urgency U3 --service shop');
    expect(dup).toContain("Possible duplicate of INC-2026-0001 (same service or nature, declared in the last 30 minutes)");
    const other = await h.type('/incident declare "VPN down" --impact I3 --urgency U3 --service vpn --nature network');
    expect(other).not.toContain("Possible duplicate");
    h.clock.advance(31 * 60_000);
    expect(await h.type('/incident declare "Shop slow" --impact I3 --urgency U3 --service shop')).not.toContain("Possible duplicate");
  });

  it("links a child to a major incident; the parent's summary lists it; resolving the parent names it", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Datacenter power loss" --impact I1 --urgency U1');
    const child = await h.type('/incident declare "Payments unavailable" --impact I2 --urgency U3 --service payments --parent inc-2026-0001');
    expect(child).toContain("Part of INC-2026-0001.");
    expect(child).toMatch(/summary m\d+ updated[\s\S]*Child incidents: INC-2026-0002 \(declared\)/);
    const [parent, linked] = await database.db.select({ id: incidents.id, parentId: incidents.parentId }).from(incidents).orderBy(incidents.id);
    expect([parent!.parentId, linked!.parentId]).toEqual([null, parent!.id]);
    const resolved = await h.type("/incident resolve power restored --incident INC-2026-0001");
    expect(resolved).toContain("INC-2026-0002 is part of it and still open: /incident resolve <summary> --incident INC-2026-0002");
    expect(await h.type('/incident declare "x" --impact I3 --urgency U3 --parent INC-2026-0099')).toContain("--parent INC-2026-0099 does not exist");
  });

  it("links and unlinks afterwards; a duplicate resolved as such tells no stakeholder, needs no RCA and is counted apart", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Checkout errors" --impact I1 --urgency U1 --service shop');
    h.clock.advance(5 * 60_000);
    await h.type('/incident declare "Cart fails" --impact I1 --urgency U2 --service shop');
    expect(await h.type("/incident link INC-2026-0001 --incident INC-2026-0002")).toContain("INC-2026-0002 is now part of INC-2026-0001.");
    expect(await h.type("/incident link INC-2026-0002 --incident INC-2026-0001")).toContain("INC-2026-0002 is already part of INC-2026-0001; unlink it first.");
    expect(await h.type("/incident unlink --incident INC-2026-0002")).toContain("INC-2026-0002 is no longer part of INC-2026-0001.");
    expect(await h.type("/incident unlink --incident INC-2026-0002")).toContain("INC-2026-0002 is not part of another incident.");
    await h.type("/incident link INC-2026-0001 --incident INC-2026-0002");

    const before = h.lines.length;
    const dup = await h.type("/incident resolve same as INC-2026-0001 --as duplicate --incident INC-2026-0002");
    expect(dup).toContain("INC-2026-0002 is resolved as duplicate (no all-clear, no RCA).");
    expect(h.lines.slice(before).join("\n")).not.toContain("All clear");
    const close = await h.type('/incident close --customer-confirmed "duplicate of INC-2026-0001" --incident INC-2026-0002');
    expect(close).toContain("INC-2026-0002 is closed");
    const stats = await h.type("/incident stats");
    expect(stats).toContain("Incidents from");
    expect(stats).toMatch(/: 1\n/);
    expect(stats).toContain("Set apart: 1 duplicate(s), 0 declined (not counted above)");
    expect(await h.type("/incident resolve x --as mistake --incident INC-2026-0001")).toContain("--as must be one of duplicate, declined");
  });
});
