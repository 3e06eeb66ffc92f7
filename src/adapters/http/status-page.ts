/**
 * The status page, served by the bot: `GET|HEAD /status` (HTML), `/status.json` and
 * `/status/feed.atom` (Atom 1.0). Nothing is cached in the process: each request reads the database
 * (two indexed statements, src/db/status-repo.ts) at the bot's clock, so every replica answers the
 * same; responses say `Cache-Control: no-cache`. HEAD runs the same handler (Node sends no body),
 * so its status and length are the GET's.
 *
 * With STATUS_PAGE_TOKEN set, every status URL asks for the token (`?token=` or `Authorization:
 * Bearer`), compared in constant time, and serves the internal page (private services, internal
 * incidents); without it the page is public. Links on the page carry `?token=` when the page was
 * opened with it, so the feed link works for whoever already holds the token.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readStatusPage, type AppContext } from "../../commands/index.js";
import { statusAtom, statusJson } from "../../domain/status/feeds.js";
import { renderStatusHtml } from "../../domain/status/html.js";
import type { StatusPageView } from "../../domain/status/model.js";
import type { Logger } from "../../log.js";
import { sameSecret, sendText, tokenGiven, type HttpRoute } from "./route.js";

export interface StatusPageOptions {
  app: () => AppContext | null;
  token?: string | undefined;
  /** `PUBLIC_URL`: the feed's ids and links; without it, the request's Host. */
  publicUrl?: string | undefined;
  log: Logger;
}


/**
 * The page's absolute base URL, for the feed's ids and links: `PUBLIC_URL` when set (set it behind a
 * proxy); else the request's Host. Never X-Forwarded-*: any client can send them, and the feed's ids
 * must not change with what a client says.
 */
function baseUrl(req: IncomingMessage, publicUrl: string | undefined): string {
  return publicUrl ?? `http://${req.headers.host || "localhost"}`;
}

type Render = (v: StatusPageView, req: IncomingMessage, query: string) => { type: string; body: string };

export function statusPageRoutes(o: StatusPageOptions): HttpRoute[] {
  const want = o.token ?? null;
  const serve = (render: Render) => async (req: IncomingMessage, res: ServerResponse) => {
    let query = "";
    if (want) {
      const g = tokenGiven(req);
      if (!sameSecret(g.token, want)) {
        sendText(res, 401, "text/plain; charset=utf-8", "This status page is private: add ?token=<STATUS_PAGE_TOKEN> to the URL or send Authorization: Bearer <token>.\n", {
          "www-authenticate": 'Bearer realm="status"',
          "cache-control": "no-store",
        });
        return;
      }
      if (g.inQuery) query = `?token=${encodeURIComponent(g.token!)}`;
    }
    const ctx = o.app();
    if (!ctx) {
      sendText(res, 503, "text/plain; charset=utf-8", "The bot is starting; try again in a few seconds.\n", { "retry-after": "5" });
      return;
    }
    let view: StatusPageView;
    try {
      view = await readStatusPage(ctx, { internal: want !== null });
    } catch (e) {
      o.log.error("status page: read failed", { error: e instanceof Error ? e.message : String(e) });
      sendText(res, 503, "text/plain; charset=utf-8", "The status page cannot be read right now; try again in a minute.\n", { "retry-after": "30" });
      return;
    }
    const { type, body } = render(view, req, query);
    sendText(res, 200, type, body, { "cache-control": want ? "private, no-cache" : "no-cache", "x-content-type-options": "nosniff" });
  };
  const method = ["GET", "HEAD"];
  return [
    {
      path: "/status",
      method,
      handler: serve((v, _req, query) => ({
        type: "text/html; charset=utf-8",
        body: renderStatusHtml(v, { feed: `/status/feed.atom${query}` }),
      })),
    },
    {
      path: "/status.json",
      method,
      handler: serve((v) => ({ type: "application/json; charset=utf-8", body: JSON.stringify(statusJson(v)) })),
    },
    {
      path: "/status/feed.atom",
      method,
      handler: serve((v, req, query) => ({ type: "application/atom+xml; charset=utf-8", body: statusAtom(v, baseUrl(req, o.publicUrl), query) })),
    },
  ];
}
