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
});
