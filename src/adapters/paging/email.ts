/**
 * E-mail through SMTP with nodemailer, configured by `SMTP_URL` (smtp://user:pass@host:587, smtps://…
 * for implicit TLS): pages, and stakeholder mail (HTML and text parts, threading, List-Unsubscribe).
 * Message ids are keys written `<key@domain>` (the domain of SMTP_FROM), so a retried mail carries
 * the same Message-ID — the receiving side can recognise it — and a reply names its thread's first
 * mail the same way every time.
 */
import nodemailer from "nodemailer";
import type { MailSender } from "../../app/ports.js";

export function smtpMailSender(smtpUrl: string, from: string): MailSender & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  const domain = from.includes("@") ? from.split("@")[1]!.replace(/[>\s]/g, "") : "incident-bot.local";
  const id = (key: string) => `<${key.replace(/[^A-Za-z0-9.:_-]/g, "-")}@${domain}>`;
  return {
    async send(mail) {
      const messageId = id(mail.messageId);
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        messageId,
        ...(mail.inReplyTo ? { inReplyTo: id(mail.inReplyTo) } : {}),
        ...(mail.references?.length ? { references: mail.references.map(id) } : {}),
        // RFC 2369 / RFC 8058: mail clients offer "unsubscribe" and may POST to it in one click.
        ...(mail.unsubscribeUrl || mail.list
          ? {
              list: {
                ...(mail.list ? { id: { url: `${mail.list.replace(/[^A-Za-z0-9.-]/g, "-")}.${domain}`, comment: mail.list } } : {}),
                ...(mail.unsubscribeUrl ? { unsubscribe: mail.unsubscribeUrl } : {}),
              },
            }
          : {}),
        ...(mail.unsubscribeUrl ? { headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } } : {}),
      });
      return { messageId };
    },
    close: () => transport.close(),
  };
}
