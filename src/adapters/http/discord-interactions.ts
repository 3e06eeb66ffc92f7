/**
 * `POST /discord/interactions`: Discord's Interactions Endpoint URL, served by every replica (set
 * `DISCORD_PUBLIC_KEY`). Each request is verified with Ed25519 against the application's public key
 * (signature of `X-Signature-Timestamp` + body in `X-Signature-Ed25519`; Discord itself sends bad
 * signatures to check the endpoint refuses them): 401 otherwise. A PING (type 1) is answered with a
 * PONG; any other interaction goes to the same handlers as the gateway's (server.ts `receive`), and
 * the handler's initial response — a message (4), deferred (5), deferred update (6), autocomplete
 * choices (8) or a modal (9) — is the HTTP answer. The interaction id is the request key, so the
 * same interaction delivered twice (to two replicas) changes things once; the second delivery is
 * answered with a private sentence and no effect.
 *
 * It lives with the HTTP routes and imports nothing of discord.js (the adapter is reached through
 * `InteractionReceiver`), so a Slack-only process that builds the route table never loads it.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { HttpRoute } from "./route.js";
import { BodyTooLarge, readBody, sendJson } from "./route.js";
import type { Logger } from "../../log.js";
import type { CaughtResponse } from "../discord/initial-response.js";

export const INTERACTIONS_PATH = "/discord/interactions";
/** Interactions with resolved users, channels and a message stay far below this. */
const BODY_LIMIT = 1 << 20;
/** Signed more than this far from now (either way): refused, so a captured request cannot be replayed later. */
const MAX_SKEW_SECONDS = 300;
const PING = 1;
const PONG = 1;
const EPHEMERAL = 64;
export const ALREADY_HANDLED = "This interaction was already handled.";

/** What the endpoint needs from the Discord adapter (null until the bot is ready: 503). */
export interface InteractionReceiver {
  receive(raw: { id: string; type: number }): Promise<CaughtResponse | "unanswered" | "failed" | "ignored">;
}

export interface InteractionsHttpOptions {
  /** The application's public key, 64 hex characters. */
  publicKey: string;
  receiver: () => InteractionReceiver | null;
  log: Logger;
  /** Seconds since the epoch (tests move it). */
  nowSeconds?: () => number;
}

/** An Ed25519 public key from its 32 raw bytes in hex (as the Developer Portal shows it). */
export function ed25519PublicKey(hex: string): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(hex, "hex").toString("base64url") }, format: "jwk" });
}

/** Whether `signatureHex` signs `timestamp + body` with `key`. */
export function signedByDiscord(key: KeyObject, signatureHex: string, timestamp: string, body: Buffer): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !/^\d{1,12}$/.test(timestamp)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, "utf8"), body]), key, Buffer.from(signatureHex, "hex"));
  } catch {
    return false;
  }
}

export function discordInteractionRoutes(o: InteractionsHttpOptions): HttpRoute[] {
  const key = ed25519PublicKey(o.publicKey);
  const now = o.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  return [
    {
      path: INTERACTIONS_PATH,
      method: ["POST"],
      handler: async (req, res) => {
        let body: Buffer;
        try {
          body = await readBody(req, BODY_LIMIT);
        } catch (e) {
          if (e instanceof BodyTooLarge) return sendJson(res, 413, { error: e.message });
          throw e;
        }
        const timestamp = header(req.headers["x-signature-timestamp"]);
        if (!signedByDiscord(key, header(req.headers["x-signature-ed25519"]), timestamp, body) || Math.abs(now() - Number(timestamp)) > MAX_SKEW_SECONDS) {
          return sendJson(res, 401, { error: "invalid request signature" });
        }
        let raw: { id?: unknown; type?: unknown };
        try {
          raw = JSON.parse(body.toString("utf8")) as typeof raw;
        } catch {
          return sendJson(res, 400, { error: "the body is not JSON" });
        }
        if (raw.type === PING) return sendJson(res, 200, { type: PONG });
        if (typeof raw.id !== "string" || typeof raw.type !== "number") return sendJson(res, 400, { error: "not an interaction" });
        const receiver = o.receiver();
        if (!receiver) return sendJson(res, 503, { error: "the bot is starting; try again in a few seconds" });
        const answer = await receiver.receive(raw as { id: string; type: number });
        if (answer === "ignored") return sendJson(res, 400, { error: "the bot handles no interaction of this type" });
        if (answer === "failed") return sendJson(res, 500, { error: "the interaction could not be handled" });
        if (answer === "unanswered") return sendJson(res, 200, { type: 4, data: { content: ALREADY_HANDLED, flags: EPHEMERAL, allowed_mentions: { parse: [] } } });
        res.once("close", answer.written);
        o.log.debug("discord interaction answered over HTTP", { interaction: raw.id, type: answer.body.type });
        sendJson(res, 200, answer.body);
      },
    },
  ];
}
