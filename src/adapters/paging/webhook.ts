/**
 * Webhook paging over HTTP: a JSON POST with an `Idempotency-Key` header (the page's key, the same on
 * every retry, so the receiver can drop duplicates). A non-2xx answer throws; a `Retry-After` header is
 * passed on as `retryAfterMs`, which the scheduler honours instead of its own backoff.
 */
import type { WebhookSender } from "../../app/ports.js";

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function httpWebhookSender(timeoutMs = 10_000): WebhookSender {
  return {
    async post(url, body, idempotencyKey) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey, "user-agent": "incident-bot" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined); // drain, so the connection is reused
      if (!res.ok) throw new HttpError(`webhook answered HTTP ${res.status}`, res.status, retryAfter(res.headers.get("retry-after")));
    },
  };
}
