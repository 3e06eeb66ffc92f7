/**
 * A corpus of requests the bot cannot use, over the Slack wire: each one gets 200 or 401 within
 * Slack's 3 s, a short sentence where a person is waiting (the ack's own body), no internal error
 * text, no row changed and no chat call made.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ALICE, buttonPress, sign, slackHarness, slashCommand, viewSubmission, type SlackHarness, type SlackRequest } from "../../support/slack-harness.js";

const form = (p: Record<string, unknown>): SlackRequest => ({ body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(), contentType: "application/x-www-form-urlencoded", id: "x" });
const raw = (payload: string): SlackRequest => ({ body: new URLSearchParams({ payload }).toString(), contentType: "application/x-www-form-urlencoded", id: "x" });
const user = { id: ALICE, username: "alice", team_id: "T0000001" };
const big = "I".repeat(100_000);

/** Slash-command texts refused by the grammar: control characters, bad values, unknown words. */
const TEXTS: string[] = [
  ...["\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\u000e", "\u001b", "\u001f", "\u007f", "\u0085", "\u009b"].map((c) => `declare "Pay${c}ment down" --impact I1 --urgency U1`),
  "declare Payment --impact I1 --urgency U1 --service \"api\u0000\"",
  "update \"all good\u0000\" --incident INC-2026-0001",
  `declare Payment --impact ${big} --urgency U1`,
  `declare ${"x".repeat(200)} --impact I1 --urgency U1`,
  "declare Payment --impact I9 --urgency U1",
  "declare Payment --impact I1 --urgency U7",
  "declare Payment --impact I1 --urgency U1 --nature weather",
  "declare Payment --impact I1 --urgency U1 --detected-by psychic",
  "declare Payment --impact I1 --urgency U1 --im \"<!channel>\"",
  "declare Payment --impact I1 --urgency U1 --im \"<!here>\"",
  "declare Payment --impact I1 --urgency U1 --im @everyone",
  "declare Payment --impact I1 --urgency U1 --parent nonsense",
  "declare Payment --impact I1 --urgency U1 --bogus 1",
  "declare Payment --impact",
  "declare \"unclosed",
  "role im \"<!here>\" --incident INC-2026-0001",
  "role im \"<!channel>\"",
  "role boss <@UBOB000002>",
  "role im",
  "wait forever",
  "update done --next forever",
  "update done --next 0m",
  "update done --next 3d",
  "stats --from 2026-13-01",
  "stats --from 2026-11-30 --to 2026-11-01",
  "stats --nature weather",
  "action add fix it --owner @bob --due tomorrow",
  "action done two",
  "action fly",
  "timeline add",
  "timeline remove 10:00 x",
  "report fly",
  "classify",
  "classify --impact I0",
  "ack --incident INC-XYZ",
  "ack please",
  "list everything",
  "help whatever",
  `help ${"h".repeat(5000)}`,
  "explode",
  "declaer Payment",
  `${"z".repeat(3000)}`,
  "--impact I1",
  "rca --append",
  "status --incident 12",
  "mitigated \u0000",
  "resolve \"fixed\u0000\" --incident INC-2026-0001",
  "escalate \"help\u0002\"",
  "rca cause \"db\u0000\"",
  "timeline add 10:00 \"x\u0000\"",
  "close --customer-confirmed \"done\u0000\"",
  "declare Payment --impact I1 --urgency U1 --customer \"acme\u0000\"",
  "declare Payment --impact I1 --urgency U1 --description \"d\u009f\"",
  "join now",
  "stats --to yesterday",
];

const PAYLOADS: [string, SlackRequest][] = [
  ["unknown action id", buttonPress("incident_fly", "INC-2026-0001", { channel: "C1" })],
  ["button without incident", buttonPress("incident_ack", "", { channel: "C1" })],
  ["button with a huge value", buttonPress("incident_ack", "X".repeat(5000), { channel: "C1" })],
  ["block_actions without actions", form({ type: "block_actions", user, trigger_id: "1.2.3", channel: { id: "C1" }, team: { id: "T0000001" } })],
  ["block_actions with no action", form({ type: "block_actions", user, trigger_id: "1.2.3", channel: { id: "C1" }, actions: [] })],
  ["block_actions with a garbled action", form({ type: "block_actions", user, trigger_id: "1.2.3", channel: { id: "C1" }, actions: [{ foo: 1 }] })],
  ["unknown shortcut", form({ type: "shortcut", callback_id: "do_things", user, trigger_id: "1.2.3", team: { id: "T0000001" } })],
  ["unknown message action", form({ type: "message_action", callback_id: "do_things", user, trigger_id: "1.2.3", channel: { id: "C1" }, message: { ts: "1" }, team: { id: "T0000001" } })],
  ["unknown modal callback", viewSubmission("some_modal", {}, { title: "x" })],
  ["old declare modal callback", viewSubmission("incident_declare", { channelId: "C1" }, { title: "x" })],
  ["form without metadata", form({ type: "view_submission", user, view: { id: "V1", callback_id: "incident_form", state: { values: {} } } })],
  ["form with garbled metadata", form({ type: "view_submission", user, view: { id: "V2", callback_id: "incident_form", private_metadata: "{not json", state: { values: {} } } })],
  ["form with metadata of another shape", form({ type: "view_submission", user, view: { id: "V3", callback_id: "incident_form", private_metadata: "[1,2]", state: { values: {} } } })],
  ["form without state", form({ type: "view_submission", user, view: { id: "V4", callback_id: "incident_form", private_metadata: JSON.stringify({ draftKey: "slack:x" }) } })],
  ["form with garbled state", form({ type: "view_submission", user, view: { id: "V5", callback_id: "incident_form", private_metadata: JSON.stringify({ draftKey: "slack:x" }), state: "nope" } })],
  ["form whose draft does not exist", viewSubmission("incident_form", { draftKey: "slack:command:nothing" }, { title: "Payment down" })],
  ["form with a huge draft key", viewSubmission("incident_form", { draftKey: "k".repeat(5000) }, { title: "x" })],
  ["bad JSON payload", raw("{not json")],
  ["payload that is a string", raw("\"hello\"")],
  ["payload of an unknown type", form({ type: "mystery", user })],
];

for (const backend of backends.filter((b) => b.name === "pglite")) {
  describe(`malformed Slack requests (${backend.name})`, () => {
    let h: SlackHarness;
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.open();
      h = await slackHarness(database);
    });
    afterAll(async () => {
      await h.close();
      await database.destroy();
    });

    const rows = async () => {
      const r = await database.db.execute(
        "select (select count(*) from incidents) + (select count(*) from incident_events) + (select count(*) from outbox) + (select count(*) from timers) + (select count(*) from processed_requests) + (select count(*) from form_drafts) as n" as never,
      );
      return JSON.stringify(r);
    };

    async function expectRefusedCleanly(r: SlackRequest, headers?: Record<string, string>) {
      const before = await rows();
      const calls = h.api.calls.length;
      const started = performance.now();
      const res = await h.post(r, headers);
      expect(performance.now() - started).toBeLessThan(3000);
      expect([200, 401]).toContain(res.status);
      expect(res.body).not.toMatch(/Error:|at .*\.(ts|js):\d|TypeError|undefined|\[object/);
      expect(res.body.length).toBeLessThan(3100);
      expect(await rows()).toBe(before);
      expect(h.api.calls.length).toBe(calls);
      return res;
    }

    it.each(TEXTS.map((t, n) => [n, t] as const))("slash command %i gets a short sentence in the ack and changes nothing", async (_n, text) => {
      const res = await expectRefusedCleanly(slashCommand(text));
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as { text: string; response_type: string };
      expect(body.response_type).toBe("ephemeral");
      expect(body.text.split("\n")[0]!.length).toBeLessThan(400);
      expect(body.text).toMatch(/[.?)]/);
    });

    it.each(PAYLOADS)("%s is acknowledged and changes nothing", async (_name, r) => {
      await expectRefusedCleanly(r);
    });

    const now = () => Math.floor(Date.now() / 1000);
    it.each([
      ["signed an hour ahead", (b: string) => sign(b, undefined, now() + 3600)],
      ["signed ten minutes ahead", (b: string) => sign(b, undefined, now() + 600)],
      ["signed an hour ago", (b: string) => sign(b, undefined, now() - 3600)],
      ["signed with another secret", (b: string) => sign(b, "another-secret")],
      ["not signed", () => ({})],
      ["signed without a timestamp", (b: string) => ({ "x-slack-signature": sign(b)["x-slack-signature"]! })],
    ] as const)("a declare %s gets 401 and creates nothing", async (_name, headers) => {
      const r = slashCommand("declare \"Payment API down\" --impact I1 --urgency U1");
      const res = await expectRefusedCleanly(r, headers(r.body));
      expect(res.status).toBe(401);
    });
  });
}
