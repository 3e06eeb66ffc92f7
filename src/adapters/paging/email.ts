/**
 * E-mail paging through SMTP with nodemailer, configured by `SMTP_URL`
 * (smtp://user:pass@host:587, smtps://… for implicit TLS). The page key becomes the Message-ID, so a
 * retried page is recognisable as the same message by the receiving side.
 */
import nodemailer from "nodemailer";
import type { MailSender } from "../../app/ports.js";

export function smtpMailSender(smtpUrl: string, from: string): MailSender & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  const domain = from.includes("@") ? from.split("@")[1] : "incident-bot.local";
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: `<${mail.messageId.replace(/[^A-Za-z0-9.:_-]/g, "-")}@${domain}>`,
      });
    },
    close: () => transport.close(),
  };
}
