/**
 * `/unsubscribe/:token`, the link of every stakeholder e-mail (List-Unsubscribe). GET shows a page
 * with one button and changes nothing — mail scanners and link previews fetch links — and POST
 * records the unsubscription: the button, or a mail client's one-click POST (RFC 8058, body
 * `List-Unsubscribe=One-Click`). Later mails of that list skip the address.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { unsubscribe, unsubscribeTarget } from "../../commands/index.js";
import type { HttpDeps } from "./routes.js";
import { BodyTooLarge, readBody, sendText, type HttpRoute } from "./route.js";
import { escapeHtml } from "../../domain/html.js";

const page = (title: string, body: string) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif">\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
const html = (res: ServerResponse, status: number, title: string, body: string) => sendText(res, status, "text/html; charset=utf-8", page(title, body));

/** The one-click body is a short form; anything longer is not a mail client's POST. */
const BODY_LIMIT = 1024;

export function unsubscribeRoutes(d: Pick<HttpDeps, "app">): HttpRoute[] {
  const handler = async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => {
    const ctx = d.app();
    if (!ctx) return html(res, 503, "Try again shortly", "<p>The incident bot is starting; open the link again in a minute.</p>");
    const token = req.params?.token ?? "";
    if (req.method === "GET") {
      const who = /^[A-Za-z0-9_-]{8,64}$/.test(token) ? await unsubscribeTarget(ctx, token) : null;
      if (!who) return html(res, 404, "Unknown link", "<p>This unsubscribe link is not known; use the link of a recent incident e-mail.</p>");
      if (who.done) return html(res, 200, "Unsubscribed", `<p>${escapeHtml(who.address)} no longer receives the incident e-mails of the list “${escapeHtml(who.destination)}”.</p>`);
      return html(
        res,
        200,
        "Unsubscribe",
        `<p>Stop the incident e-mails of the list “${escapeHtml(who.destination)}” to ${escapeHtml(who.address)}?</p>\n<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>`,
      );
    }
    try {
      await readBody(req, BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLarge) return html(res, 413, "Too large", "<p>This request is larger than an unsubscribe request can be.</p>");
      throw error;
    }
    const done = /^[A-Za-z0-9_-]{8,64}$/.test(token) ? await unsubscribe(ctx, token) : null;
    if (!done) return html(res, 404, "Unknown link", "<p>This unsubscribe link is not known; use the link of a recent incident e-mail.</p>");
    return html(res, 200, "Unsubscribed", `<p>${escapeHtml(done.address)} no longer receives the incident e-mails of the list “${escapeHtml(done.destination)}”.</p>`);
  };
  return [{ path: "/unsubscribe/:token", method: ["GET", "POST"], handler }];
}
