/**
 * Discord's Interactions Endpoint URL at the wire: requests signed with an Ed25519 key pair standing
 * for the application's, posted to `POST /discord/interactions` on a real HTTP server, answered by the
 * same handlers as the gateway's. The HTTP answer is the initial response (no callback reaches the
 * API; a button's is a deferred update, its confirmation an outbox post); follow-ups still go through
 * the webhook routes. A bad or stale signature is 401 and changes
 * nothing; the same interaction delivered twice changes things once and is answered once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discordInteractionRoutes, INTERACTIONS_PATH } from "../../../src/adapters/http/discord-interactions.js";
import { startHttpServer } from "../../../src/adapters/http/server.js";
import { incidentEvents, incidents } from "../../../src/db/schema.js";
import { silentLogger } from "../../../src/log.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ALICE, buttonPress, discordHarness, modalSubmit, slashCommand } from "../../support/discord-harness.js";
import { discordKeys, postInteraction, signedHeaders } from "../../support/discord-http.js";

const P1 = { title: "Payment API down", impact: "I1", urgency: "U2" };
const DECLARED = `Declared INC-2026-0001 · P1 Critical · Payment API down.\nIncident manager: <@${ALICE}>.\nWar room: #inc-20261123-0001-payment-api-down`;

describe.each(backends)("Discord interactions over HTTP on $name", (backend) => {
  let database: TestDatabase;
  let h: Awaited<ReturnType<typeof discordHarness>>;
  let close: () => Promise<void>;
  let url: string;
  const keys = discordKeys();

  async function start(opts: Parameters<typeof discordHarness>[1] = {}) {
    h = await discordHarness(database, opts);
    const routes = discordInteractionRoutes({ publicKey: keys.publicKeyHex, receiver: () => h.adapter, log: silentLogger });
    const { server, port } = await startHttpServer(0, routes);
    url = `http://127.0.0.1:${port}${INTERACTIONS_PATH}`;
    close = () => new Promise((r) => server.close(() => r()));
  }

  /** Posts one signed interaction, then lets its work and what fell due run. */
  async function post(packet: unknown, headers?: Record<string, string>) {
    const answer = await postInteraction(url, keys, packet, headers);
    await h.adapter.settled();
    await h.bot.scheduler.drain();
    return answer;
  }

  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await close?.();
    await h?.close();
    await database.destroy();
  });

  it("answers a PING with a PONG, and refuses bad, missing, foreign and stale signatures with 401", async () => {
    await start();
    expect(await post({ type: 1, id: "1", application_id: "2", token: "t", version: 1 })).toEqual({ status: 200, body: { type: 1 } });

    const packet = slashCommand("declare", P1);
    const body = JSON.stringify(packet);
    const good = signedHeaders(keys, body);
    const tampered = await postInteraction(url, keys, { ...packet, data: { ...packet.data, name: "other" } }, good);
    const missing = await postInteraction(url, keys, packet, { "content-type": "application/json" });
    const foreign = await postInteraction(url, keys, packet, signedHeaders(discordKeys(), body));
    const stale = await postInteraction(url, keys, packet, signedHeaders(keys, body, Math.floor(Date.now() / 1000) - 3600));
    for (const r of [tampered, missing, foreign, stale]) expect(r).toEqual({ status: 401, body: { error: "invalid request signature" } });
    await h.adapter.settled();
    expect(await database.db.select().from(incidents)).toHaveLength(0);
  });

  it("a slash command is answered in the HTTP response (type 4) and declares; the same interaction again changes nothing", async () => {
    await start();
    const packet = slashCommand("declare", P1);
    const first = await post(packet);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ type: 4, data: { content: DECLARED, allowed_mentions: { parse: [] } } });
    expect(h.api.callbacks(packet.id)).toEqual([]); // the answer went back over HTTP, not through the API
    expect([...h.api.channels.values()].filter((c) => c.name?.startsWith("inc-"))).toHaveLength(1);

    const again = await post(packet);
    expect(again).toEqual({ status: 200, body: { type: 4, data: { content: "This interaction was already handled.", flags: 64, allowed_mentions: { parse: [] } } } });
    expect(await database.db.select().from(incidents)).toHaveLength(1);
    expect((await database.db.select().from(incidentEvents)).filter((e) => e.kind === "declared")).toHaveLength(1);
    expect([...h.api.channels.values()].filter((c) => c.name?.startsWith("inc-"))).toHaveLength(1);
  });

  it("a button press acknowledges; a declare without levels answers a modal (type 9) whose submission declares", async () => {
    await start();
    const form = await post(slashCommand("declare", { title: "Checkout slow" }));
    expect(form.body).toMatchObject({ type: 9, data: { title: expect.stringContaining("Declare") } });
    const submitted = await post(modalSubmit(form.body.data.custom_id, { title: "Checkout slow", impact: ["I1"], urgency: ["U1"], nature: [], description: "" }));
    expect(submitted.body).toMatchObject({ type: 4, data: { content: expect.stringMatching(/^Declared INC-2026-0001 · P1 Critical · Checkout slow\./) } });

    const room = [...h.api.channels.values()].find((c) => c.name?.startsWith("inc-"))!;
    const summary = [...h.api.messages.values()].find((m) => m.channel_id === room.id)!;
    const press = await post(buttonPress("incident:ack:INC-2026-0001", summary));
    expect(press.body).toEqual({ type: 6 }); // acknowledged; the confirmation is an outbox post in the room
    const confirmation = [...h.api.messages.values()].filter((m) => m.channel_id === room.id && String(m.content).startsWith("INC-2026-0001 acknowledged by"));
    expect(confirmation.map((m) => m.content)).toEqual([`INC-2026-0001 acknowledged by <@${ALICE}> (within respond-by).`]);
    const [row] = await database.db.select().from(incidents);
    expect(row).toMatchObject({ acknowledgedBy: ALICE });
  });

  it("work that is still running is deferred in the HTTP response (type 5) and the answer edits it through the webhook", async () => {
    await start({ deferAfterMs: 0 });
    const packet = slashCommand("declare", P1);
    const answer = await post(packet);
    expect(answer.body).toEqual({ type: 5, data: { flags: 0 } });
    const [edit] = h.api.callsTo("PATCH", new RegExp(`^/webhooks/\\d+/${packet.token}/messages/@original$`));
    expect(edit!.body.content).toBe(DECLARED);
  });

  it("answers 400 to a body that is not JSON, and 503 before the bot is ready", async () => {
    await start();
    const notJson = "{nope";
    const res = await fetch(url, { method: "POST", headers: signedHeaders(keys, notJson), body: notJson });
    expect(res.status).toBe(400);
    const routes = discordInteractionRoutes({ publicKey: keys.publicKeyHex, receiver: () => null, log: silentLogger });
    const early = await startHttpServer(0, routes);
    const r = await postInteraction(`http://127.0.0.1:${early.port}${INTERACTIONS_PATH}`, keys, slashCommand("help"));
    early.server.close();
    expect(r.status).toBe(503);
  });
});
