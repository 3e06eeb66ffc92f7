/**
 * Slack modals and buttons at the wire, on every backend: declare without levels opens a modal (with
 * the trigger id) whose errors come back inside it; a submission declares once even when submitted
 * twice; Acknowledge and Resolve work for responders, outsiders get the console's sentence
 * ephemerally; the pinned summary is updated in place; user text cannot page the workspace.
 */
import { describe, expect, it } from "vitest";
import { incidentEvents, incidents } from "../../../src/db/schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ANNOUNCEMENTS, GENERAL } from "../../support/fake-slack-api.js";
import { DEFAULT_POLICY } from "../../../src/domain/policy.js";
import { ALICE, BOB, buttonPress, slackHarness, type SlackHarness, useSlackHarness, slashCommand, viewSubmission } from "../../support/slack-harness.js";

const ROOM = "inc-20261123-0001-payment-api-down";

describe.each(backends)("Slack interactions on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  useSlackHarness(backend, (t) => ({ h, database } = t));

  const declareP1 = async () => {
    await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2'));
    return h.api.channelByName(ROOM)!;
  };

  it("declare without impact and urgency opens the modal with the trigger id and the level definitions", async () => {
    const cmd = slashCommand('declare "Checkout slow" --service shop');
    await h.post(cmd);
    const [open] = h.api.callsTo("views.open");
    expect(open!.trigger_id).toBe(cmd.id);
    expect(open!.view.callback_id).toBe("incident_form");
    // Every field of the declare form, from the command table; what was given inline is pre-filled.
    expect(open!.view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(["title", "impact", "urgency", "description", "nature", "service", "customer", "detected-by", "im", "parent"]);
    expect(open!.view.blocks.find((b: { block_id: string }) => b.block_id === "service").element.initial_value).toBe("shop");
    const impact = open!.view.blocks.find((b: { block_id: string }) => b.block_id === "impact");
    expect(impact.element.options[0]).toMatchObject({ value: "I1", text: { text: "I1 — Total outage" }, description: { text: "Total unavailability of production." } });
    expect(open!.view.blocks.find((b: { block_id: string }) => b.block_id === "title").element.initial_value).toBe("Checkout slow");
    expect(await database.db.select().from(incidents)).toEqual([]);
  });

  const declareForm = async () => {
    await h.post(slashCommand("declare"));
    return JSON.parse(h.api.callsTo("views.open").at(-1)!.view.private_metadata) as { draftKey: string };
  };

  it("a modal with bad input answers response_action errors and stores nothing", async () => {
    const res = await h.post(viewSubmission("incident_form", await declareForm(), { title: "", urgency: { selected: "U1" } }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_action: "errors", errors: { title: "The title is missing.", impact: "Choose the impact." } });
    expect(await database.db.select().from(incidents)).toEqual([]);
  });

  it("a modal submitted twice declares once", async () => {
    const submit = viewSubmission("incident_form", await declareForm(), { title: "Payment API down", impact: { selected: "I1" }, urgency: { selected: "U2" }, nature: { selected: "network" } });
    expect((await h.post(submit)).status).toBe(200);
    await h.post(submit);
    expect(await database.db.select().from(incidents)).toEqual([expect.objectContaining({ priority: "P1", nature: "network", originChannel: GENERAL })]);
    expect(h.api.callsTo("conversations.create")).toHaveLength(1);
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === ANNOUNCEMENTS)).toHaveLength(1);
    const said = h.api.callsTo("chat.postMessage").filter((p) => p.channel === GENERAL);
    expect(said).toHaveLength(1);
    expect(said[0]!.text).toContain("Declared INC-2026-0001");
  });

  it("Acknowledge by a responder updates the pinned summary in place; a double click changes nothing", async () => {
    const room = await declareP1();
    const summaryTs = [...h.api.channels.get(room)!.messages.keys()][0]!;
    const click = buttonPress("incident_ack", "INC-2026-0001", { channel: room });
    await h.post(click);
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === room).map((p) => p.text)).toContain("INC-2026-0001 acknowledged by <@UALICE0001> (within respond-by).");
    const updates = h.api.callsTo("chat.update");
    expect(updates.at(-1)).toMatchObject({ channel: room, ts: summaryTs });
    expect(JSON.stringify(updates.at(-1)!.blocks)).toContain("<@UALICE0001>");
    const calls = h.api.calls.length;
    await h.post(click);
    expect(h.api.calls.length).toBe(calls);
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ acknowledgedBy: ALICE });
  });

  it("Resolve opens a modal; its submission resolves and the summary's buttons give way to the RCA form", async () => {
    const room = await declareP1();
    await h.post(buttonPress("incident_resolve", "INC-2026-0001", { channel: room }));
    const [open] = h.api.callsTo("views.open");
    expect(open!.view.callback_id).toBe("incident_form");
    const empty = await h.post(viewSubmission("incident_form", JSON.parse(open!.view.private_metadata), { summary: "" }));
    expect(JSON.parse(empty.body)).toEqual({ response_action: "errors", errors: { summary: "The resolution summary is missing." } });
    await h.post(viewSubmission("incident_form", JSON.parse(open!.view.private_metadata), { summary: "Rolled back release 42" }));
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ status: "resolved" });
    const last = h.api.callsTo("chat.update").at(-1)!;
    const buttons = last.blocks.find((b: { type: string }) => b.type === "actions").elements;
    expect(buttons.map((b: { action_id: string }) => b.action_id)).toEqual(["incident_rca"]);
    expect(h.api.channels.get(room)!.topic).toBe(`P1 Critical · resolved · IM @${ALICE} · INC-2026-0001`);

    // The RCA form: every section of the policy, prefilled; the submission stores the changed ones.
    await h.post(slashCommand("rca summary Card payments failed", { channel: room }));
    await h.post(buttonPress("incident_rca", "INC-2026-0001", { channel: room }));
    const form = h.api.callsTo("views.open").at(-1)!;
    expect(form.view.callback_id).toBe("incident_form");
    expect(form.view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(["summary", "impact", "timeline", "root_cause", "resolution", "actions", "lessons", "procedures"]);
    expect(form.view.blocks[0].element.initial_value).toBe("Card payments failed");
    await h.post(viewSubmission("incident_form", JSON.parse(form.view.private_metadata), { summary: "Card payments failed", root_cause: "Connection pool exhausted", procedures: "Runbook DB-7 updated" }));
    expect(h.api.callsTo("chat.postMessage").at(-1)!.text).toBe("INC-2026-0001: RCA updated by <@UALICE0001> (root_cause, procedures).");
    await h.post(buttonPress("incident_rca", "INC-2026-0001", { channel: room, user: BOB }));
    expect(h.api.callsTo("chat.postEphemeral").at(-1)!.text).toContain("Only responders of INC-2026-0001 can write its RCA; run /incident join to become one.");
  });

  it("Post update opens a modal; the submission posts a structured update to the war room and announcements", async () => {
    const room = await declareP1();
    await h.post(buttonPress("incident_update", "INC-2026-0001", { channel: room }));
    const [open] = h.api.callsTo("views.open");
    expect(open!.view.callback_id).toBe("incident_form");
    const meta = JSON.parse(open!.view.private_metadata);
    const bad = await h.post(viewSubmission("incident_form", meta, { text: "Rolling back", next: "soon" }));
    // A bad value is shown beside its input, before the modal closes.
    expect(JSON.parse(bad.body)).toEqual({ response_action: "errors", errors: { next: '--next takes a duration between 1m and 24h, such as 30m or 1h30m (got "soon").' } });
    const submit = viewSubmission("incident_form", meta, { text: "Rolling back release 42", next: "20m" });
    await h.post(submit);
    await h.post(submit);
    const updates = h.api.callsTo("chat.postMessage").filter((p) => p.text.startsWith("Update on INC-2026-0001"));
    expect(updates.map((u) => u.channel).sort()).toEqual([ANNOUNCEMENTS, room].sort());
    expect(JSON.stringify(updates[0]!.blocks)).toContain("*Actions in progress*\\nRolling back release 42");
    expect(JSON.stringify(updates[0]!.blocks)).toContain("*Next update*\\n2026-11-23 11:20 UTC+01:00");
    expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === room && p.text.includes("update posted to stakeholders"))).toHaveLength(1);
  });

  it("the IM's update reminder mentions them, in the war room and by direct message", async () => {
    const room = await declareP1();
    await h.advance(30 * 60_000);
    const reminders = h.api.callsTo("chat.postMessage").filter((p) => /stakeholder update on INC-2026-0001 is due now/.test(p.text));
    expect(reminders.map((r) => r.channel).sort()).toEqual([ALICE, room].sort());
    expect(reminders[0]!.text).toMatch(/^<@UALICE0001>: a stakeholder update/);
  });

  it("refusals to slash commands are ephemeral and use the console's sentences", async () => {
    // A line the grammar refuses is answered in the ack itself: no chat call at all.
    const early = await h.post(slashCommand("frobnicate", { responseUrl: h.api.responseUrl("u1") }));
    const unknown = JSON.parse(early.body);
    expect(unknown).toMatchObject({ response_type: "ephemeral" });
    expect(unknown.text).toContain('Unknown subcommand "frobnicate". Try /incident help.');
    await h.post(slashCommand("investigating", { responseUrl: h.api.responseUrl("u2") }));
    const [outside] = h.api.callsTo("response_url");
    expect(outside!.text).toContain("This channel is not an incident war room: run the command in the war room, or add --incident INC-YYYY-NNNN.");
    expect(await database.db.select().from(incidentEvents)).toEqual([]);
  });

  it("a title cannot page the workspace: <!channel>, <!here>, <!everyone> and links arrive as text", async () => {
    await h.post(slashCommand('declare "<!channel> <!here> <!everyone> <@U999> @U0BOSS12 <https://evil.example|click> down" --impact I1 --urgency U1', { responseUrl: h.api.responseUrl("m") }));
    const posted = [...h.api.callsTo("chat.postMessage"), ...h.api.callsTo("response_url"), ...h.api.callsTo("conversations.setTopic")];
    const all = JSON.stringify(posted);
    for (const bad of ["<!channel>", "<!here>", "<!everyone>", "<@U999>", "<https://evil.example|click>"]) expect(all).not.toContain(bad);
    expect(all).toContain("&lt;!channel&gt;");
    // People are mentioned Slack's way, but an id quoted from a title is not made a mention.
    expect(all).toContain("<@UALICE0001>");
    expect(all).not.toContain("<@U0BOSS12>");
  });
});

describe.each(backends)("Slack paging on $name", (backend) => {
  it("pages level 1 by direct message with an Acknowledge button that the paged person may press", async () => {
    const database = await backend.open();
    const DESK = "UDESK00001";
    const base = DEFAULT_POLICY.escalation;
    const policy = { ...DEFAULT_POLICY, escalation: { ...base, businessHours: base.businessHours.map((l, n) => (n === 0 ? { ...l, targets: { slack: [DESK] } } : l)) } };
    const h = await slackHarness(database, { policy });
    try {
      await h.post(slashCommand('declare "Payment API down" --impact I1 --urgency U2'));
      const page = h.api.callsTo("chat.postMessage").find((p) => p.channel === DESK)!;
      const room = h.api.channelByName("inc-20261123-0001-payment-api-down")!;
      expect(h.api.callsTo("conversations.invite").map((c) => [c.channel, c.users])).toContainEqual([room, DESK]);
      expect(h.api.channels.get(room)!.members.has(DESK)).toBe(true);
      const ack = page.blocks.find((b: { type: string }) => b.type === "actions").elements.find((e: { action_id: string }) => e.action_id === "incident_ack");
      expect(ack.value).toBe("INC-2026-0001");
      await h.post(buttonPress("incident_ack", ack.value, { channel: DESK, user: DESK }));
      const [row] = await database.db.select().from(incidents);
      expect(row).toMatchObject({ acknowledgedBy: DESK });
      // Pressed in the page's direct message: the war room is told (through the outbox), the paged
      // person gets a private copy saying where it was posted, and no refusal.
      expect(h.api.callsTo("chat.postMessage").filter((p) => p.channel === room).map((p) => p.text)).toContain("INC-2026-0001 acknowledged by <@UDESK00001> (within respond-by).");
      expect(h.api.callsTo("chat.postEphemeral").map((p) => p.text)).toEqual([expect.stringContaining("(Posted in #inc-20261123-0001-payment-api-down.)")]);
    } finally {
      await h.close();
      await database.destroy();
    }
  });
});
