/**
 * Interactions the bot cannot use, through discord.js at the wire: each one gets a short ephemeral
 * sentence as its one answer, no internal error text, no row changed and no message posted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends, type TestDatabase } from "../../support/databases.js";
import { buttonPress, discordHarness, modalSubmit, slashCommand } from "../../support/discord-harness.js";
import { GENERAL_ID } from "../../support/fake-discord-api.js";

type Json = Record<string, any>;
const message = { id: "1100000000000000999", channel_id: GENERAL_ID };
const big = "I".repeat(6000);

const CASES: [string, () => Json][] = [
  ["a button of another app", () => buttonPress("other:thing", message)],
  ["a button with an unknown action", () => buttonPress("incident:fly:INC-2026-0001", message)],
  ["a button naming no incident", () => buttonPress("incident:ack:", message)],
  ["a form of another app", () => modalSubmit("other:form", { title: "x" })],
  ["a form whose draft does not exist", () => modalSubmit("incident:form:discord:interaction:1", { title: "x" })],
  ["an old declare form", () => modalSubmit("incident:declare:123", { title: "x", impact: ["I1"], urgency: ["U1"] })],
  ["another command", () => ({ ...slashCommand("declare", {}), data: { id: "1", name: "other", type: 1, options: [] } })],
  ["an unknown subcommand", () => slashCommand("explode", {})],
  ["a title with a NUL", () => slashCommand("declare", { title: "Pay\u0000ment", impact: "I1", urgency: "U1" })],
  ["a title with an escape", () => slashCommand("declare", { title: "Pay\u001bment", impact: "I1", urgency: "U1" })],
  ["an update with a C1 control", () => slashCommand("update", { text: "ok\u0085", incident: "INC-2026-0001" })],
  ["a huge impact", () => slashCommand("declare", { title: "x", impact: big, urgency: "U1" })],
  ["a bad level", () => slashCommand("declare", { title: "x", impact: "I9", urgency: "U1" })],
  ["an unknown option", () => slashCommand("declare", { title: "x", impact: "I1", urgency: "U1", colour: "red" })],
  ["a bad reference", () => slashCommand("ack", { incident: "nope" })],
  ["a bad duration", () => slashCommand("update", { text: "x", next: "soon", incident: "INC-2026-0001" })],
  ["help for an unknown topic", () => slashCommand("help", { topic: "whatever" })],
  ["a Slack mention as IM", () => slashCommand("declare", { title: "x", impact: "I1", urgency: "U1", im: "<!channel>" })],
];

for (const backend of backends.filter((b) => b.name === "pglite")) {
  describe(`malformed Discord interactions (${backend.name})`, () => {
    let database: TestDatabase;
    let h: Awaited<ReturnType<typeof discordHarness>>;
    beforeAll(async () => {
      database = await backend.open();
      h = await discordHarness(database);
    });
    afterAll(async () => {
      await h.close();
      await database.destroy();
    });
    const rows = async () => JSON.stringify(await database.db.execute(sql.raw("select (select count(*) from incidents) + (select count(*) from incident_events) + (select count(*) from outbox) + (select count(*) from timers) + (select count(*) from form_drafts) as n")));

    it.each(CASES)("%s gets one short ephemeral sentence and changes nothing", async (_name, make) => {
      const before = await rows();
      const posts = h.api.callsTo("POST", /^\/channels\/\d+\/messages$/).length;
      const packet = await h.send(make());
      const answers = h.api.callbacks(packet.id);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.type).toBe(4);
      expect(answers[0]!.data.flags).toBe(64);
      const text = answers[0]!.data.content as string;
      expect(text.length).toBeLessThan(400);
      expect(text).not.toMatch(/Error:|TypeError|undefined|\[object|at .*\.(ts|js):\d/);
      expect(await rows()).toBe(before);
      expect(h.api.callsTo("POST", /^\/channels\/\d+\/messages$/)).toHaveLength(posts);
    });
  });
}
