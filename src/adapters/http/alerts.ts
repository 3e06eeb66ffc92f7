/**
 * Alerts in: `POST /alerts/alertmanager`, `/alerts/grafana`, `/alerts/webhook`. This adapter only
 * translates — token, size, JSON, shape — and hands the normalised alerts to the `alert` command
 * through `execute`; it answers 200 once that command's transaction committed (every post it causes
 * is in the outbox), 5xx when it failed (Alertmanager and Grafana retry those; nothing was kept).
 *
 * Without `ALERTS_TOKEN` the endpoints answer 503 with a sentence: the monitoring keeps retrying and
 * its logs say what to set, rather than a 404 that looks like a wrong URL.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { execute, type Invocation } from "../../commands/index.js";
import { ALERT_SOURCES, MONITORING_USER, type AlertSource } from "../../domain/alerts/types.js";
import { parseAlerts } from "./alert-payloads.js";
import { bearerOf, BodyTooLarge, readBody, sameSecret, sendJson, type HttpRoute } from "./route.js";
import type { HttpDeps } from "./routes.js";


const fail = (res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}) => sendJson(res, status, { ok: false, error }, headers);

export function alertRoutes(d: Pick<HttpDeps, "env" | "app" | "log">): HttpRoute[] {
  return ALERT_SOURCES.map((source) => ({ path: `/alerts/${source}`, method: ["POST"], handler: (req, res) => handle(d, source, req, res) }));
}

async function handle(d: Pick<HttpDeps, "env" | "app" | "log">, source: AlertSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = d.env.alertsToken;
  if (!token) return fail(res, 503, "Alerts in are off: set ALERTS_TOKEN on the bot, and the same token as the monitoring's bearer credentials.");
  if (!sameSecret(bearerOf(req), token)) {
    req.resume();
    return fail(res, 401, "Missing or wrong token: send Authorization: Bearer <ALERTS_TOKEN>.", { "www-authenticate": 'Bearer realm="alerts"' });
  }
  let body: Buffer;
  try {
    body = await readBody(req, d.env.alertsMaxBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) return fail(res, 413, `The notification is larger than ${e.limit} bytes (ALERTS_MAX_BYTES); send fewer alerts per notification (max_alerts).`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return fail(res, 400, "The body is not JSON; send the webhook's JSON payload with Content-Type: application/json.");
  }
  const parsed = parseAlerts(source, json);
  if (!parsed.ok) return fail(res, 400, `Not a ${source} notification: ${parsed.reason}`);
  const ctx = d.app();
  if (!ctx) return fail(res, 503, "The bot is starting; try again in a few seconds.");
  const inv: Invocation = { platform: "http", channelId: `alerts/${source}`, userId: MONITORING_USER, monitoring: true };
  try {
    const reply = await execute(ctx, inv, { name: "alert", op: "receive", batch: parsed.batch });
    // A configuration gap is the bot's, not the sender's: 503 so Alertmanager and Grafana retry once
    // it is mended (they drop a notification answered 4xx, and nothing of it was kept).
    if (reply.refusal) return fail(res, reply.refusal.code === "E_NOT_CONFIGURED" ? 503 : 422, reply.text);
    sendJson(res, 200, { ok: true, result: reply.text, incident: reply.about?.reference ?? null });
  } catch (e) {
    d.log.error("alert notification failed", { source, error: e instanceof Error ? e.message : String(e) });
    fail(res, 500, "The alerts could not be recorded; nothing was kept. The sender should retry.");
  }
}
