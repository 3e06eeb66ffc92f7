/**
 * A stakeholder e-mail people would read: subject `[P1] INC-2026-0042 Payment API down — investigating`,
 * a plain-text part and an HTML part carrying the same facts (status, impact, actions, next update) in
 * the recipient list's timezone, and the unsubscribe link. Pure: the sender adds the headers.
 */
import { publicBody, publicFields, publicHeadline, type PublicNotice } from "./public.js";
import { escapeHtml } from "../html.js";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What the subject says after the title: the status, or what the mail is. */
function state(n: PublicNotice): string {
  switch (n.kind) {
    case "allclear":
      return "resolved";
    case "interim":
      return "report in preparation";
    case "report":
      return "incident report";
    default:
      return n.status;
  }
}

export function mailSubject(n: PublicNotice): string {
  return `[${n.priority}] ${n.reference} ${n.title} — ${state(n)}`;
}

const paragraphs = (s: string) =>
  s
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");

/**
 * `timezone`: the list's (times are written "2026-11-23 11:30 UTC-05:00"); `unsubscribeUrl`: the
 * recipient's own link, or null when the bot has no public address (PUBLIC_URL unset).
 */
export function renderMail(n: PublicNotice, o: { timezone: string; list: string; unsubscribeUrl: string | null }): RenderedMail {
  const fields = publicFields(n, o.timezone);
  const body = publicBody(n, o.timezone);
  const headline = publicHeadline(n);
  const footer = o.unsubscribeUrl
    ? `You receive this as a member of the "${o.list}" list. Unsubscribe: ${o.unsubscribeUrl}`
    : `You receive this as a member of the "${o.list}" list.`;
  const text = [headline, "", ...fields.map((f) => `${f.label}: ${f.value}`), ...(body ? ["", body] : []), "", "-- ", footer, ""].join("\n");
  const rows = fields.map((f) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`).join("\n");
  const link = o.unsubscribeUrl ? ` <a href="${escapeHtml(o.unsubscribeUrl)}">Unsubscribe</a>.` : "";
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(mailSubject(n))}</title></head>`,
    '<body style="font-family:sans-serif">',
    `<h2>${escapeHtml(headline)}</h2>`,
    ...(rows ? [`<table>\n${rows}\n</table>`] : []),
    ...(body ? [n.kind === "report" ? `<pre style="white-space:pre-wrap">${escapeHtml(body)}</pre>` : paragraphs(body)] : []),
    `<hr><p style="color:#666;font-size:small">You receive this as a member of the "${escapeHtml(o.list)}" list.${link}</p>`,
    "</body></html>",
    "",
  ].join("\n");
  return { subject: mailSubject(n), text, html };
}
