/**
 * Communications logged before the log said which were public: the migration marks public the initial
 * notices and those said to stakeholders (a delivery to a stakeholder destination, or a P1/P2's
 * war-room post, which always goes with them), not a reminder, nor an update of a P3 said only in its channel — so, after the upgrade, the public
 * status page still leaves out what a P3 (later raised) said to its team alone.
 */
import { describe, expect, it } from "vitest";
import { statusWindow } from "../../src/db/status-repo.js";
import { statusQuery } from "../../src/domain/status/model.js";
import { STATUS_POLICY } from "../support/status-fixture.js";
import { migratedBefore } from "../support/migrations.js";

describe("communications logged before migration 0016", () => {
  it("are public when they were said to stakeholders, and only then", async () => {
    const old = await migratedBefore("0016_public_communications");
    try {
      await old.client.exec(`
        insert into incidents (reference, year, seq, title, service, impact, urgency, priority, status, platform, origin_channel, declared_by, declared_at)
          values ('INC-2026-0001', 2026, 1, 'Receipts show the wrong total', 'payments', 'I1', 'U1', 'P1', 'investigating', 'slack', 'CGENERAL', 'UALICE', '2026-12-01T09:00:00Z');
        insert into communications (incident_id, at, actor, kind, text, delivery_keys) values
          (1, '2026-12-01T09:00:00Z', 'UALICE', 'update', 'Finance thinks the Henderson refund caused it', '["comms:1:CGENERAL"]'),
          (1, '2026-12-01T09:01:00Z', 'bot', 'notice', 'INC-2026-0001 raised', '["notice:1", "announce:1:slack"]'),
          (1, '2026-12-01T09:02:00Z', 'UALICE', 'update', 'A fix is being deployed', '["comms:3:warroom", "comms:3:announcements"]'),
          (1, '2026-12-01T09:03:00Z', 'UALICE', 'update', 'Deployed in one region', '["comms:4:warroom", "comms:4:dest:status", "comms:4:dest:customers:ops@acme.example"]'),
          (1, '2026-12-01T09:04:00Z', 'bot', 'reminder', 'An update is due', '["comms:5:warroom", "comms:5:dm:UALICE"]'),
          (1, '2026-12-01T09:05:00Z', 'UALICE', 'update', 'Refunds are flowing again', '["comms:6:warroom"]');
      `);

      await old.finish();

      const rows = await old.client.query<{ text: string; public: boolean }>("select text, public from communications order by id");
      expect(rows.rows.map((r) => [r.text, r.public])).toEqual([
        ["Finance thinks the Henderson refund caused it", false],
        ["INC-2026-0001 raised", true],
        ["A fix is being deployed", true],
        ["Deployed in one region", true],
        ["An update is due", false],
        ["Refunds are flowing again", true], // a P1's update: stakeholders were a target, though no rule matched
      ]);
      const policy = { ...STATUS_POLICY, statusPage: { ...STATUS_POLICY.statusPage, services: { payments: { name: "Payments", private: false } } } };
      const page = await statusWindow(old.db as never, statusQuery(policy, new Date("2026-12-01T10:00:00Z"), false));
      expect(page.updates.map((u) => u.text)).toEqual(["INC-2026-0001 raised", "A fix is being deployed", "Deployed in one region", "Refunds are flowing again"]);
    } finally {
      await old.close();
    }
  }, 120_000); // a new PGlite and every migration: seconds on a busy machine
});
