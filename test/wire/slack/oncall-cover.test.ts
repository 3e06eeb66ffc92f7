/**
 * A cover request on Slack at the wire: posted through the outbox with an Accept button carrying the
 * request's number; the press (block_actions) takes the shift, the request is edited in place
 * (chat.update) without its button, the asker (on call) and the taker are told of the hand-off by
 * direct message, and a second press is answered ephemerally.
 */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../src/config/policy-file.js";
import { oncallOverrides } from "../../../src/db/oncall-schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { GENERAL } from "../../support/fake-slack-api.js";
import { ALICE, BOB, buttonPress, slashCommand, useSlackHarness, type SlackHarness } from "../../support/slack-harness.js";

const CAROL = "UCAROL0003";
// Alice's week from Monday 16 November 09:00 Paris, then Bob's, then Carol's.
const policy = parsePolicy({
  schedules: { desk: { timezone: "Europe/Paris", layers: [{ name: "week", participants: { slack: [ALICE, BOB, CAROL] }, period: "weekly", start: "2026-11-16" }] } },
});

describe.each(backends)("Slack cover requests on $name", (backend) => {
  let h!: SlackHarness;
  let database!: TestDatabase;
  useSlackHarness(backend, (t) => ({ h, database } = t), { policy });

  it("Accept takes the asker's shift, edits the request, and thanks a second taker", async () => {
    // Monday 23 November 11:00 Paris: Bob's week.
    await h.post(slashCommand('oncall cover desk --until "2026-11-24 09:00"', { user: BOB }));
    const request = h.api.callsTo("chat.postMessage").find((p) => p.channel === GENERAL && String(p.text).includes("asks for cover"));
    expect(request).toBeDefined();
    const button = request!.blocks.find((b: { type: string }) => b.type === "actions").elements[0];
    expect(button).toMatchObject({ action_id: "oncall_cover", value: "1", text: { text: "Accept" } });

    await h.post(buttonPress("oncall_cover", button.value, { channel: GENERAL, user: CAROL }));
    const [edit] = h.api.callsTo("chat.update");
    expect(edit).toMatchObject({ channel: GENERAL });
    expect(String(edit!.text)).toContain("covers");
    expect(String(edit!.text)).toContain(CAROL);
    expect(String(edit!.text)).toContain(BOB);
    expect(edit!.blocks.some((b: { type: string }) => b.type === "actions")).toBe(false);
    // The shift is Carol's: one override, hers, from the request.
    const taken = await database.db.select({ userId: oncallOverrides.userId, platform: oncallOverrides.platform, coverRequestId: oncallOverrides.coverRequestId }).from(oncallOverrides);
    expect(taken).toEqual([{ userId: CAROL, platform: "slack", coverRequestId: 1 }]);
    // Bob was on call: the cover is a hand-off now, told to both by direct message, once.
    const dmTexts = (user: string) => h.api.callsTo("chat.postMessage").filter((p) => p.channel === user).map((p) => String(p.text));
    expect(dmTexts(CAROL)).toEqual([expect.stringContaining("You are on call on desk (override) from 2026-11-23 11:00 UTC+01:00 until 2026-11-24 09:00 UTC+01:00.")]);
    expect(dmTexts(BOB)).toEqual([expect.stringContaining(`Your shift on desk ended at 2026-11-23 11:00 UTC+01:00; <@${CAROL}> has it now.`)]);

    await h.post(buttonPress("oncall_cover", button.value, { channel: GENERAL, user: ALICE }));
    const thanked = h.api.callsTo("chat.postEphemeral").filter((p) => p.user === ALICE).map((p) => String(p.text));
    expect(thanked).toEqual([expect.stringContaining("already covers")]);
    expect(h.api.callsTo("chat.update")).toHaveLength(1);
    expect(await database.db.select({ userId: oncallOverrides.userId }).from(oncallOverrides)).toEqual([{ userId: CAROL }]);
  });
});
