/**
 * Discord's side of the Interactions Endpoint URL: an Ed25519 key pair standing for the application's,
 * and requests signed the way Discord signs them (`X-Signature-Ed25519` over timestamp + body).
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface SigningKeys {
  /** The public key as the Developer Portal shows it (DISCORD_PUBLIC_KEY). */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function discordKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x!;
  return { publicKeyHex: Buffer.from(x, "base64url").toString("hex"), privateKey };
}

export function signedHeaders(keys: SigningKeys, body: string, at = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(at);
  const signature = sign(null, Buffer.from(timestamp + body, "utf8"), keys.privateKey).toString("hex");
  return { "content-type": "application/json", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

/** POSTs an interaction to `url`, signed; the status and the parsed JSON answer. */
export async function postInteraction(url: string, keys: SigningKeys, packet: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }> {
  const body = JSON.stringify(packet);
  const res = await fetch(url, { method: "POST", headers: headers ?? signedHeaders(keys, body), body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
