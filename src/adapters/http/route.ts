/**
 * The bot's HTTP routes, one shape for every server that carries them: Slack's Bolt server (as
 * `customRoutes`, when Slack is served over HTTP or Socket Mode) or the bot's own small server
 * (Discord only, console with `PORT`). A route module exports a function from `HttpDeps` to routes;
 * `http/routes.ts` lists them all.
 *
 * Paths are literal segments and `:name` segments (`/oncall/:file`), the subset both Bolt's
 * path-to-regexp and `matchRoute` below read the same way.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface HttpRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => Promise<void>;
}

/** A path's `:name` segments, or null when it does not match. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) {
      if (g === "") return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

export class BodyTooLarge extends Error {
  readonly code = "E_BODY_TOO_LARGE";
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/**
 * Reads a request body up to `limit` bytes; past it, stops reading and throws `BodyTooLarge` (the
 * caller answers 413). A declared Content-Length over the limit is refused before reading anything.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Writes a text answer (HTML, plain text, calendar, feed) with its content type. */
export function sendText(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** The query string of a request, parsed. */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? "";
  const at = url.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : url.slice(at + 1));
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time: both sides hashed to 32 bytes first, so neither the content nor the length leaks. */
export function sameSecret(given: string | null | undefined, want: string): boolean {
  return timingSafeEqual(digest(given ?? ""), digest(want)) && given != null && given !== "";
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerOf(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
}

/** A token given as `?token=` or a Bearer header (feeds and pages a browser or calendar opens). */
export function tokenGiven(req: IncomingMessage): { token: string | null; inQuery: boolean } {
  const q = queryOf(req).get("token");
  return q ? { token: q, inQuery: true } : { token: bearerOf(req), inQuery: false };
}

