/**
 * Buttons, modals, autocomplete and refusals through Discord at the wire, on every backend: the
 * summary's Acknowledge works for a responder and is refused ephemerally (the shared sentence) to
 * anyone else; Resolve opens a modal whose submission resolves and edits the pinned embed in place;
 * autocomplete offers open incidents; slow work is deferred and the deferred reply edited.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { incidentEvents, incidents } from "../../../src/db/schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ALICE, autocomplete, BOB, buttonPress, discordHarness, modalSubmit, slashCommand } from "../../support/discord-harness.js";
import { APP_ID } from "../../support/fake-discord-api.js";
import { DEFAULT_POLICY } from "../../../src/domain/policy.js";

const P1 = { title: "Payment API down", impact: "I1", urgency: "U2" };
const NOT_RESPONDER = "Only responders of INC-2026-0001 can acknowledge it; run /incident join to become one.";
const NOT_MANAGER = (does: string) => `Only the incident manager (<@${ALICE}>) or the communications lead of INC-2026-0001 can ${does}; ask <@${ALICE}> to hand it over with /incident role im <@${BOB}>.`;

describe.each(backends)("Discord interactions on $name", (backend) => {
  let database: TestDatabase;
  let h: Awaited<ReturnType<typeof discordHarness>>;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await h?.close();
    await database.destroy();
  });

  async function declared(opts: Parameters<typeof discordHarness>[1] = {}) {
    h = await discordHarness(database, opts);
    await h.send(slashCommand("declare", P1));
    const room = [...h.api.channels.values()].find((c) => c.name?.startsWith("inc-"))!;
    const summary = [...h.api.messages.values()].find((m) => m.channel_id === room.id)!;
    const edits = () => h.api.callsTo("PATCH", new RegExp(`^/channels/${room.id}/messages/${summary.id}$`));
    return { room, summary, edits };
  }

  it("Acknowledge by a responder acknowledges and edits the summary in place; a second click is refused", async () => {
    const { summary, edits } = await declared();
    const press = await h.send(buttonPress("incident:ack:INC-2026-0001", summary));
    // The confirmation is a keyed outbox post in the room (retried until it lands); the press is acknowledged with a deferred update.
    expect(h.api.callbacks(press.id)).toEqual([{ type: 6 }]);
    const confirmations = h.api.callsTo("POST", new RegExp(`^/channels/${summary.channel_id}/messages$`)).filter((c) => String(c.body.content).startsWith("INC-2026-0001 acknowledged by"));
    expect(confirmations.map((c) => c.body.content)).toEqual([`INC-2026-0001 acknowledged by <@${ALICE}> (within respond-by).`]);
    expect(edits()).toHaveLength(1);
    expect(edits()[0]!.body.embeds[0].fields).toContainEqual(expect.objectContaining({ name: "Acknowledged", value: `2026-11-23 11:00 UTC+01:00 by <@${ALICE}>` }));
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ acknowledgedBy: ALICE });

    const again = await h.send(buttonPress("incident:ack:INC-2026-0001", summary));
    expect(h.api.callbacks(again.id)[0]!.data).toMatchObject({ flags: 64, content: `INC-2026-0001 was already acknowledged by <@${ALICE}> at 2026-11-23 11:00 UTC+01:00.` });
  });

  it("a non-responder gets an ephemeral refusal in the shared sentence, and nothing changes", async () => {
    const { summary, edits } = await declared();
    const events = (await database.db.select().from(incidentEvents)).length;
    const ack = await h.send(buttonPress("incident:ack:INC-2026-0001", summary, { user: BOB }));
    expect(h.api.callbacks(ack.id)).toEqual([{ type: 4, data: expect.objectContaining({ content: NOT_RESPONDER, flags: 64 }) }]);
    const resolve = await h.send(buttonPress("incident:resolve:INC-2026-0001", summary, { user: BOB }));
    expect(h.api.callbacks(resolve.id)).toEqual([{ type: 4, data: expect.objectContaining({ content: NOT_MANAGER("resolve it"), flags: 64 }) }]);
    expect(edits()).toHaveLength(0);
    expect(await database.db.select().from(incidentEvents)).toHaveLength(events);
  });

  it("Resolve opens a modal; its submission resolves and the pinned embed is edited in place without buttons", async () => {
    const { room, summary, edits } = await declared();
    const press = await h.send(buttonPress("incident:resolve:INC-2026-0001", summary));
    const [modal] = h.api.callbacks(press.id);
    expect(modal).toMatchObject({ type: 9, data: { custom_id: `incident:form:discord:interaction:${press.id}`, title: "Resolve INC-2026-0001" } });

    const submit = await h.send(modalSubmit(modal!.data.custom_id, { summary: "failed over the primary database" }, { channel: room.id }));
    expect(h.api.callbacks(submit.id)[0]!.data.content).toBe("INC-2026-0001 is resolved. Now: P1 Critical · resolved.");
    const [row] = await database.db.select().from(incidents);
    expect(row!.status).toBe("resolved");
    const last = edits().at(-1)!.body;
    expect(last.embeds[0].fields[0]).toEqual({ name: "Status", value: "resolved", inline: true });
    expect(last.components[0].components.map((b: { custom_id: string }) => b.custom_id)).toEqual(["incident:rca:INC-2026-0001"]);
    const rca = await h.send(buttonPress("incident:rca:INC-2026-0001", summary));
    const [form] = h.api.callbacks(rca.id);
    expect(form).toMatchObject({ type: 9, data: { custom_id: `incident:form:discord:interaction:${rca.id}` } });
    expect(form!.data.components).toHaveLength(5);
    const saved = await h.send(modalSubmit(form!.data.custom_id, { summary: "Card payments failed", root_cause: "Primary database failed" }, { channel: room.id }));
    expect(h.api.callbacks(saved.id)[0]!.data.content).toBe(`INC-2026-0001: RCA updated by <@${ALICE}> (summary, root\\_cause).`);
    expect(h.api.callsTo("PATCH", new RegExp(`^/channels/${room.id}$`)).at(-1)!.body.topic).toBe(`P1 Critical · resolved · IM @${ALICE} · INC-2026-0001`);

    const twice = await h.send(modalSubmit(modal!.data.custom_id, { summary: "again" }, { channel: room.id }));
    expect(h.api.callbacks(twice.id)[0]!.data).toMatchObject({ flags: 64 });
  });

  it("Post update opens a modal; the submission posts the structured update to the war room and announcements", async () => {
    const { room, summary } = await declared();
    const press = await h.send(buttonPress("incident:update:INC-2026-0001", summary));
    const [form] = h.api.callbacks(press.id);
    expect(form).toMatchObject({ type: 9, data: { custom_id: `incident:form:discord:interaction:${press.id}` } });
    const bad = await h.send(modalSubmit(form!.data.custom_id, { text: "Rolling back", next: "soon" }, { channel: room.id }));
    expect(h.api.callbacks(bad.id)[0]!.data).toMatchObject({ flags: 64, content: expect.stringContaining('--next takes a duration between 1m and 24h') });
    const ok = await h.send(modalSubmit(form!.data.custom_id, { text: "Rolling back release 42", next: "20m" }, { channel: room.id }));
    expect(h.api.callbacks(ok.id)[0]!.data.content).toBe("INC-2026-0001: update posted to stakeholders. Next update by 2026-11-23 11:20 UTC+01:00.");
    const posted = h.api.calls.filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && c.body.embeds?.[0]?.title?.startsWith("Update on INC-2026-0001"));
    expect(posted).toHaveLength(2);
    expect(posted[0]!.body.embeds[0].fields).toContainEqual(expect.objectContaining({ name: "Actions in progress", value: "Rolling back release 42" }));
    const press2 = await h.send(buttonPress("incident:update:INC-2026-0001", summary, { user: BOB }));
    expect(h.api.callbacks(press2.id)[0]!.data).toMatchObject({ flags: 64, content: NOT_MANAGER("post its stakeholder updates") });
  });

  it("slash-command refusals are ephemeral and say what the console says; autocomplete offers open incidents", async () => {
    await declared();
    const out = await h.send(slashCommand("resolve", { summary: "fixed" }));
    expect(h.api.callbacks(out.id)[0]!.data).toMatchObject({
      flags: 64,
      content: "This channel is not an incident war room: run the command in the war room, or add --incident INC-YYYY-NNNN.\nUsage: /incident resolve <summary> [--as duplicate|declined] [--incident INC-YYYY-NNNN]",
    });
    const bad = await h.send(slashCommand("classify", { incident: "nope" }));
    expect(h.api.callbacks(bad.id)[0]!.data.content).toContain('--incident takes a reference such as INC-2026-0042 (got "nope").');

    const typing = await h.send(autocomplete("ack", { incident: "pay" }, "incident"));
    expect(h.api.callbacks(typing.id)).toEqual([{ type: 8, data: { choices: [{ name: "INC-2026-0001 · P1 Critical · Payment API down", value: "INC-2026-0001" }] } }]);
  });

  it("work slower than the deadline is deferred first, then the deferred reply is edited (or replaced privately for a refusal)", async () => {
    h = await discordHarness(database, { deferAfterMs: 0 });
    const cmd = await h.send(slashCommand("declare", P1));
    expect(h.api.callbacks(cmd.id)).toEqual([{ type: 5, data: { flags: 0 } }]);
    const [edit] = h.api.callsTo("PATCH", new RegExp(`^/webhooks/${APP_ID}/token-${cmd.id}/messages/@original$`));
    expect(edit!.body.content).toContain("Declared INC-2026-0001");

    const refused = await h.send(slashCommand("investigating", { incident: "INC-2026-0099" }));
    expect(h.api.callbacks(refused.id)).toEqual([{ type: 5, data: { flags: 0 } }]);
    expect(h.api.callsTo("DELETE", new RegExp(`^/webhooks/${APP_ID}/token-${refused.id}/messages/@original$`))).toHaveLength(1);
    const [followUp] = h.api.callsTo("POST", new RegExp(`^/webhooks/${APP_ID}/token-${refused.id}$`));
    expect(followUp!.body).toMatchObject({ flags: 64, content: expect.stringContaining("No incident INC-2026-0099") });
  });
});

describe.each(backends)("Discord paging on $name", (backend) => {
  it("pages level 1 by DM with an Acknowledge button, lets the paged person into the war room, and takes their ack", async () => {
    const database = await backend.open();
    const DESK = "1200000000000000099";
    const base = DEFAULT_POLICY.escalation;
    const policy = { ...DEFAULT_POLICY, escalation: { ...base, businessHours: base.businessHours.map((l, n) => (n === 0 ? { ...l, targets: { discord: [DESK] } } : l)) } };
    const h = await discordHarness(database, { policy });
    try {
      await h.send(slashCommand("declare", P1));
      const room = [...h.api.channels.values()].find((c) => c.name?.startsWith("inc-"))!;
      expect(h.api.callsTo("PUT", new RegExp(`^/channels/${room.id}/permissions/${DESK}$`))).toHaveLength(1);
      const dm = [...h.api.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === DESK)!;
      const page = [...h.api.messages.values()].find((m) => m.channel_id === dm.id)!;
      expect(page.components[0].components.map((b: { custom_id: string }) => b.custom_id)).toContain("incident:ack:INC-2026-0001");
      await h.send(buttonPress("incident:ack:INC-2026-0001", page, { user: DESK }));
      const [row] = await database.db.select().from(incidents);
      expect(row).toMatchObject({ acknowledgedBy: DESK });
    } finally {
      await h.close();
      await database.destroy();
    }
  });
});
