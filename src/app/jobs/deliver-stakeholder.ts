/**
 * Deliveries to stakeholder destinations outside chat: an e-mail to one list member (rendered now,
 * in the list's timezone, with its thread and an unsubscribe link whose token is made now: the
 * database keeps only its digest) and a webhook POST carrying an
 * `Idempotency-Key`. Like chat deliveries, a failure throws so the scheduler retries it with backoff,
 * and the last one is reported in the war room; a member who unsubscribed meanwhile is skipped.
 */
import { renderMail } from "../../domain/comms/email.js";
import { webhookBody } from "../../domain/comms/public.js";
import type { AppContext } from "../context.js";
import type { QueuedDelivery } from "../ports.js";
import { closedFor, failNow } from "./deliver.js";

export async function deliverOutsideChat(ctx: AppContext, d: QueuedDelivery): Promise<void> {
  const s = d.stakeholder;
  const cancel = (reason: string) => ctx.store.autocommit((uow) => uow.outbox.markCancelled(d.id, reason));
  if (!s?.notice) return void (await cancel("nothing to send (no public text)"));
  const status = d.incidentId != null ? await ctx.store.autocommit(async (uow) => (await uow.incidents.get(d.incidentId!))?.status) : undefined;
  if (status && closedFor(status, d.key)) return void (await cancel("the incident is closed"));
  let send: () => Promise<string | null>;
  if (d.action === "email") {
    const mail = s.mail;
    const sender = ctx.paging?.mail;
    if (!mail) return void (await cancel("nothing to send (no mail)"));
    if (await ctx.store.autocommit((uow) => uow.mail.unsubscribed(s.destination, d.target))) return void (await cancel("unsubscribed"));
    if (!sender) return failNow(ctx, d, "e-mail is not configured (set SMTP_URL)");
    const base = ctx.publicUrl?.replace(/\/+$/, "");
    const token = base ? await ctx.store.transaction((uow) => uow.mail.issueToken(s.destination, d.target, ctx.clock.now())) : null;
    const unsubscribeUrl = token ? `${base}/unsubscribe/${token}` : null;
    const r = renderMail(s.notice, { timezone: mail.timezone, list: s.destination, unsubscribeUrl });
    send = async () => {
      const sent = await sender.send({
        to: d.target,
        subject: r.subject,
        text: r.text,
        html: r.html,
        messageId: mail.messageKey,
        ...(mail.rootKey ? { inReplyTo: mail.rootKey, references: [mail.rootKey] } : {}),
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
        list: s.destination,
      });
      return sent?.messageId ?? null;
    };
  } else {
    const hook = ctx.paging?.webhook;
    if (!hook) return failNow(ctx, d, "webhook delivery is not available");
    send = async () => {
      await hook.post(d.target, webhookBody(s.notice!, d.key, s.destination), d.key);
      return null;
    };
  }
  // A failure is recorded on the row by `deliver`, whatever step it came from.
  const externalId = await send();
  await ctx.store.autocommit((uow) => uow.outbox.markSent(d.id, externalId, ctx.clock.now()));
}
