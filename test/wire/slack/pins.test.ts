/**
 * The 📌 path at the Slack wire, on every backend: a message pinned in a war room (pin_added), or
 * marked with the pushpin reaction (its text read through conversations.history), joins the
 * incident's timeline and its report; a redelivered event adds nothing; pins elsewhere are ignored.
 * Closing archives the war room through conversations.archive after the policy's delay.
 */
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { incidentEvents, outbox, timelineEntries, warRooms } from "../../../src/db/schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { GENERAL } from "../../support/fake-slack-api.js";
import { BOB, eventCallback, type SlackHarness, useSlackHarness, slashCommand } from "../../support/slack-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";

describe.each(backends)("Slack pins on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  useSlackHarness(backend, (t) => ({ h, database } = t));

  it("adds pinned and 📌-marked war-room messages to the timeline, once, and ignores other channels", async () => {
    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2'));
    const room = h.api.channelByName(ROOM)!;
    // Human messages in the room; Slack timestamps are epoch seconds (1795000000 = 2026-11-18 11:06:40Z).
    h.api.channels.get(room)!.messages.set("1795000000.000001", { text: "db-1 disk at 100 %", user: BOB });
    h.api.channels.get(room)!.messages.set("1795000120.000001", { text: "failover started", user: BOB });
    const pin = eventCallback({ type: "pin_added", user: BOB, channel_id: room, item: { type: "message", channel: room, created_by: BOB, message: { type: "message", text: "db-1 disk at 100 %", user: BOB, ts: "1795000000.000001" } }, event_ts: "1795000200.000100" });
    expect((await h.post(pin)).status).toBe(200);
    await h.post(pin); // Slack redelivers
    await h.post(eventCallback({ type: "reaction_added", user: BOB, reaction: "pushpin", item: { type: "message", channel: room, ts: "1795000120.000001" }, item_user: BOB, event_ts: "1795000210.000100" }));
    await h.post(eventCallback({ type: "reaction_added", user: BOB, reaction: "thumbsup", item: { type: "message", channel: room, ts: "1795000120.000001" }, event_ts: "1795000211.000100" }));
    await h.post(eventCallback({ type: "pin_added", user: BOB, channel_id: GENERAL, item: { type: "message", channel: GENERAL, message: { text: "lunch?", user: BOB, ts: "1795000300.000001" } }, event_ts: "1795000300.000100" }));
    const rows = await database.db.select().from(timelineEntries).orderBy(timelineEntries.id);
    expect(rows.map((r) => [r.source, r.text, r.author, r.at.toISOString()])).toEqual([
      ["pin", "db-1 disk at 100 %", BOB, "2026-11-18T11:06:40.000Z"],
      ["pin", "failover started", BOB, "2026-11-18T11:08:40.000Z"],
    ]);
    expect(h.api.callsTo("conversations.history")).toEqual([expect.objectContaining({ channel: room, latest: "1795000120.000001" })]);
  });

  it("archives the war room after closing, with a last message pointing to the report", async () => {
    await h.post(slashCommand('declare "Payment API down" --impact I3 --urgency U3'));
    await h.post(slashCommand("classify --impact I1 --urgency U1 --incident INC-2026-0001"));
    const room = h.api.channelByName(ROOM)!;
    for (const line of [
      "resolve rolled back",
      "rca summary Payment API returned 502s",
      "rca impact All card payments for 2 hours",
      "rca root-cause Connection pool exhausted",
      "rca resolution Rolled back release 42",
      "rca actions Pool sizing alarms",
      "rca procedures Runbook DB-7 updated",
      "close --customer-confirmed Rolled back; customer agreed",
    ]) {
      await h.post(slashCommand(line, { channel: room }));
    }
    await h.advance(7 * 24 * 3_600_000);
    expect(h.api.callsTo("conversations.archive")).toEqual([expect.objectContaining({ channel: room })]);
    const last = h.api.callsTo("chat.postMessage").filter((p) => p.channel === room).at(-1)!;
    expect(last.text).toContain("INC-2026-0001 is closed and this war room is now archived.");
    const [row] = await database.db.select().from(warRooms);
    expect(row!.archivedAt).not.toBeNull();
  });

  it("archiving is a keyed outbox row: a failed archive is retried alone, the last message is not posted again", async () => {
    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U1'));
    const room = h.api.channelByName(ROOM)!;
    for (const line of [
      "resolve rolled back",
      "rca summary Payment API returned 502s",
      "rca impact All card payments for 2 hours",
      "rca root-cause Connection pool exhausted",
      "rca resolution Rolled back release 42",
      "rca actions Pool sizing alarms",
      "rca procedures Runbook DB-7 updated",
      "close --customer-confirmed Rolled back; customer agreed",
    ]) {
      await h.post(slashCommand(line, { channel: room }));
    }
    h.api.fail("conversations.archive", { status: 500 });
    await h.advance(7 * 24 * 3_600_000);
    const lastWords = () => h.api.callsTo("chat.postMessage").filter((p) => p.channel === room && String(p.text).includes("this war room is now archived"));
    expect(lastWords()).toHaveLength(1);
    const [pending] = await database.db.select().from(outbox).where(eq(outbox.key, "closing:archive:1:slack"));
    expect(pending).toMatchObject({ status: "pending", action: "archive", attempts: 1 });
    expect(pending!.externalId).toMatch(/^\d+\.\d+$/); // the last message's ts, stored before the archive step
    expect((await database.db.select().from(warRooms))[0]!.archivedAt).toBeNull();

    await h.advance(60_000);
    expect(h.api.callsTo("conversations.archive")).toHaveLength(2);
    expect(lastWords()).toHaveLength(1);
    const [sent] = await database.db.select().from(outbox).where(eq(outbox.key, "closing:archive:1:slack"));
    expect(sent).toMatchObject({ status: "sent", externalId: pending!.externalId });
    expect((await database.db.select().from(warRooms))[0]!.archivedAt).not.toBeNull();
    const archived = (await database.db.select().from(incidentEvents)).filter((e) => e.kind === "warroom.archived");
    expect(archived).toHaveLength(1);
  });
});
