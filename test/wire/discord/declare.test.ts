/**
 * Declaring through Discord at the wire, on every backend: real discord.js interaction objects built
 * from raw payloads, the adapter's REST calls recorded by the fake Discord API. A P1 opens a war room
 * under the category (summary embed posted, pinned, announced); the same interaction again changes
 * nothing; a declare without levels shows a modal with the level definitions; user text pages no one;
 * a missing permission is explained to the declarer and retried; a rate limit waits for retry_after.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { incidentEvents, incidents, outbox, timers, warRooms } from "../../../src/db/schema.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ALICE, discordHarness, modalSubmit, slashCommand } from "../../support/discord-harness.js";
import { ANNOUNCEMENTS_ID, CATEGORY_ID, ERRORS, GENERAL_ID, GUILD_ID } from "../../support/fake-discord-api.js";

const ROOM = "inc-20261123-0001-payment-api-down";
const P1 = { title: "Payment API down", impact: "I1", urgency: "U2", service: "payments" };
const messagesTo = (h: Awaited<ReturnType<typeof discordHarness>>, channel: string) => h.api.callsTo("POST", new RegExp(`^/channels/${channel}/messages$`));

describe.each(backends)("Discord declare on $name", (backend) => {
  let database: TestDatabase;
  let h: Awaited<ReturnType<typeof discordHarness>>;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await h?.close();
    await database.destroy();
  });

  it("declares a P1 with options: channel under the category, summary embed posted and pinned, announcement, stored", async () => {
    h = await discordHarness(database);
    const cmd = await h.send(slashCommand("declare", P1));

    const [reply] = h.api.callbacks(cmd.id);
    expect(reply).toMatchObject({ type: 4, data: { allowed_mentions: { parse: [] } } });
    expect(reply!.data.flags ?? 0).toBe(0); // public
    expect(reply!.data.content).toBe(`Declared INC-2026-0001 · P1 Critical · Payment API down.\nIncident manager: <@${ALICE}>.\nWar room: #${ROOM}`);

    const [create] = h.api.callsTo("POST", new RegExp(`^/guilds/${GUILD_ID}/channels$`));
    expect(create!.body).toMatchObject({ name: ROOM, type: 0, parent_id: CATEGORY_ID, topic: `P1 Critical · declared · IM @${ALICE} · INC-2026-0001` });
    expect(create!.body.permission_overwrites).toContainEqual({ id: ALICE, type: 1, allow: "68608" }); // view, send, read history
    const room = [...h.api.channels.values()].find((c) => c.name === ROOM)!;

    const [summary] = messagesTo(h, room.id);
    expect(summary!.body.embeds[0].title).toBe("INC-2026-0001 · P1 Critical · Payment API down");
    expect(summary!.body.embeds[0].fields).toContainEqual({ name: "Service", value: "payments", inline: true });
    expect(summary!.body.components[0].components.map((b: { custom_id: string }) => b.custom_id)).toEqual(["incident:ack:INC-2026-0001", "incident:update:INC-2026-0001", "incident:resolve:INC-2026-0001"]);
    const summaryId = [...h.api.messages.values()].find((m) => m.channel_id === room.id)!.id;
    expect(h.api.callsTo("PUT", new RegExp(`^/channels/${room.id}/messages/pins/${summaryId}$`))).toHaveLength(1);

    const [announcement] = messagesTo(h, ANNOUNCEMENTS_ID);
    expect(announcement!.body.embeds[0].title).toBe("Incident declared: INC-2026-0001 · P1 Critical · Payment API down");
    expect(announcement!.body.embeds[0].fields).toContainEqual({ name: "War room", value: `#${ROOM}`, inline: true });
    expect(h.api.calls.every((c) => c.path.includes("/interactions/") || c.auth === "Bot test-token")).toBe(true);

    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ reference: "INC-2026-0001", priority: "P1", platform: "discord", originChannel: GENERAL_ID, declaredBy: ALICE, service: "payments" });
    expect(await database.db.select().from(warRooms)).toEqual([expect.objectContaining({ platform: "discord", channelId: room.id, channelName: ROOM, summaryMessageId: summaryId })]);
    expect((await database.db.select().from(outbox).orderBy(outbox.id)).map((o) => [o.target, o.status])).toEqual([["warroom", "sent"], ["announcements", "sent"]]);
  });

  it("a channel of the room's name is adopted only when its topic carries this incident's marker; another's gets -2", async () => {
    h = await discordHarness(database);
    h.api.channels.set("1100000000000000777", { id: "1100000000000000777", type: 0, name: ROOM, topic: "old channel", guild_id: GUILD_ID, parent_id: CATEGORY_ID });
    await h.send(slashCommand("declare", P1));
    const [room] = await database.db.select().from(warRooms);
    expect(room).toMatchObject({ channelName: `${ROOM}-2` });
    expect(h.api.callsTo("POST", new RegExp(`^/guilds/${GUILD_ID}/channels$`))).toHaveLength(1);
    await h.close();

    // The reply to a create was lost: the channel exists, carrying INC-2026-0002 in its topic.
    await database.db.delete(warRooms);
    h = await discordHarness(database);
    const lost = "1100000000000000888";
    h.api.channels.set(lost, { id: lost, type: 0, name: ROOM.replace("0001-payment", "0002-payment"), topic: "P1 Critical · declared · IM @x · INC-2026-0002", guild_id: GUILD_ID, parent_id: CATEGORY_ID });
    await h.send(slashCommand("declare", P1));
    const rooms = await database.db.select().from(warRooms);
    expect(rooms).toEqual([expect.objectContaining({ channelId: lost })]);
    expect(h.api.callsTo("POST", new RegExp(`^/guilds/${GUILD_ID}/channels$`))).toHaveLength(0);
  });

  it("the same interaction delivered again changes nothing: one incident, one channel, one announcement", async () => {
    h = await discordHarness(database);
    const cmd = await h.send(slashCommand("declare", P1));
    const before = h.api.calls.length;
    await h.send(cmd);
    expect(h.api.calls.slice(before)).toEqual([]);
    expect(await database.db.select().from(incidents)).toHaveLength(1);
    expect(await database.db.select().from(warRooms)).toHaveLength(1);
    expect((await database.db.select().from(outbox).orderBy(outbox.id)).map((o) => o.target)).toEqual(["warroom", "announcements"]);
  });

  it("declare without impact or urgency shows a modal with the level definitions, then declares from it", async () => {
    h = await discordHarness(database);
    const cmd = await h.send(slashCommand("declare", { title: "Checkout slow", service: "shop", "detected-by": "customer" }));
    const [modal] = h.api.callbacks(cmd.id);
    expect(modal!.type).toBe(9);
    expect(modal!.data.custom_id).toBe(`incident:form:discord:interaction:${cmd.id}`);
    const labels = modal!.data.components as { label: string; component: { custom_id: string; value?: string; options?: { label: string; value: string; description: string }[] } }[];
    expect(labels.map((l) => l.component.custom_id)).toEqual(["title", "impact", "urgency", "description", "nature"]);
    expect(labels[0]!.component.value).toBe("Checkout slow");
    expect(labels[1]!.component.options![0]).toEqual({ label: "I1 — Total outage", value: "I1", description: "Total unavailability of production." });
    expect(labels[2]!.component.options![0]!.description).toBe("Failure carries significant financial risk or contractual (SLA) constraints.");
    expect(await database.db.select().from(incidents)).toHaveLength(0);

    const submit = await h.send(modalSubmit(modal!.data.custom_id, { title: "Checkout slow", impact: ["I2"], urgency: ["U1"], nature: [], description: "" }));
    const [reply] = h.api.callbacks(submit.id);
    expect(reply!.data.content).toContain("Declared INC-2026-0001 · P2 Major · Checkout slow.");
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ impact: "I2", urgency: "U1", priority: "P2", service: "shop", detectedBy: "customer", nature: null });
    expect(await database.db.select().from(warRooms)).toHaveLength(1);
  });

  it("a modal submitted without a title is refused ephemerally with the form's sentence, nothing stored", async () => {
    h = await discordHarness(database);
    const cmd = await h.send(slashCommand("declare", { title: "Checkout slow" }));
    const [modal] = h.api.callbacks(cmd.id);
    const submit = await h.send(modalSubmit(modal!.data.custom_id, { title: " ", impact: ["I1"], urgency: ["U1"] }));
    expect(h.api.callbacks(submit.id)).toEqual([expect.objectContaining({ type: 4, data: expect.objectContaining({ content: "The title is missing.", flags: 64 }) })]);
    expect(await database.db.select().from(incidents)).toHaveLength(0);
  });

  it("@everyone in a title pages no one: every message has allowed_mentions with an empty parse", async () => {
    h = await discordHarness(database);
    const cmd = await h.send(slashCommand("declare", { title: "@everyone <@&1500000000000000000> [click](https://evil.example) down", impact: "I1", urgency: "U1" }));
    const sends = [...h.api.callsTo("POST", /^\/channels\/\d+\/messages$/), ...h.api.callbacks(cmd.id).map((body) => ({ body: body.data }))];
    expect(sends.length).toBeGreaterThanOrEqual(3);
    for (const s of sends) {
      expect(s.body.allowed_mentions.parse).toEqual([]);
      expect(s.body.allowed_mentions.users ?? []).not.toContain("everyone");
    }
    // Stakeholders read the title as public text: mentions become "the team"; a literal bracket, no masked link.
    const title = messagesTo(h, ANNOUNCEMENTS_ID)[0]!.body.embeds[0].title as string;
    expect(title).toBe("Incident declared: INC-2026-0001 · P1 Critical · the team the team \\[click](https://evil.example) down");
    // In the war room the title is kept as typed, neutralised: no ping, no masked link.
    const room = [...h.api.channels.values()].find((c) => c.name?.startsWith("inc-"))!;
    const summary = JSON.stringify(messagesTo(h, room.id).map((m) => m.body));
    expect(summary).toContain("@\u200beveryone");
    expect(summary).toContain("<\u200b@&1500000000000000000>");
  });

  it("a 50013 on channel create: the declarer is told which permission to grant, and the bot retries", async () => {
    h = await discordHarness(database, { scheduler: { backoffMs: () => 60_000 } });
    h.api.fail("POST", new RegExp(`^/guilds/${GUILD_ID}/channels$`), ERRORS.missingPermissions);
    await h.send(slashCommand("declare", P1));
    const [told] = messagesTo(h, GENERAL_ID);
    expect(told!.body.content).toContain("Could not open the war room for INC-2026-0001 (creating the war room channel failed: the bot is missing a permission (Discord error 50013); grant the bot Manage Channels");
    expect(told!.body.content).toContain("the bot keeps retrying");
    expect(await database.db.select().from(warRooms)).toHaveLength(0);

    await h.advance(60_000);
    expect(h.api.callsTo("POST", new RegExp(`^/guilds/${GUILD_ID}/channels$`))).toHaveLength(2);
    expect(await database.db.select().from(warRooms)).toHaveLength(1);
    expect(messagesTo(h, ANNOUNCEMENTS_ID)).toHaveLength(1);
    const kinds = (await database.db.select().from(incidentEvents).orderBy(incidentEvents.id)).map((e) => e.kind).filter((k) => k !== "page.sent");
    expect(kinds).toEqual(["declared", "role.assigned", "warroom.retrying", "warroom.opened"]);
  });

  it("a 429 on the announcement is retried at Discord's retry_after, not earlier; a 10003 says which setting to check", async () => {
    h = await discordHarness(database);
    h.api.fail("POST", new RegExp(`^/channels/${ANNOUNCEMENTS_ID}/messages$`), ERRORS.rateLimited(30));
    h.api.fail("POST", new RegExp(`^/channels/${ANNOUNCEMENTS_ID}/messages$`), ERRORS.unknownChannel);
    await h.send(slashCommand("declare", P1));
    const [pending] = await database.db.select().from(outbox).where(eq(outbox.target, "announcements"));
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    expect(pending!.lastError).toContain("Discord rate limit");
    const [timer] = await database.db.select().from(timers).where(and(eq(timers.kind, "deliver"), eq(timers.status, "pending")));
    expect(timer!.dueAt.getTime() - h.clock.now().getTime()).toBeGreaterThanOrEqual(30_000);

    await h.advance(10_000); // the default backoff (5 s) would have retried by now
    expect(messagesTo(h, ANNOUNCEMENTS_ID)).toHaveLength(1);
    await h.advance(25_000);
    expect(messagesTo(h, ANNOUNCEMENTS_ID)).toHaveLength(2);
    const [failed] = await database.db.select().from(outbox).where(eq(outbox.target, "announcements"));
    expect(failed!.lastError).toContain("unknown channel (Discord error 10003): it was deleted or the bot cannot see it; check DISCORD_ANNOUNCEMENTS_CHANNEL");

    await h.advance(10 * 60_000);
    const [sent] = await database.db.select().from(outbox).where(eq(outbox.target, "announcements"));
    expect(sent!.status).toBe("sent");
  });
});
