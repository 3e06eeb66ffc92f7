/**
 * The status page for machines: `/status.json` (the view model, with only public fields) and
 * `/status/feed.atom` (Atom 1.0, RFC 4287: one entry per public update, newest first).
 */
import { escapeHtml } from "./html.js";
import type { PublicIncident, StatusPageView } from "./model.js";

const incidentJson = (i: PublicIncident) => ({
  reference: i.reference,
  title: i.title,
  service: i.service,
  state: i.state,
  status: i.status,
  startedAt: i.startedAt.toISOString(),
  resolvedAt: i.resolvedAt?.toISOString() ?? null,
  updates: i.updates.map((u) => ({ at: u.at.toISOString(), label: u.label, text: u.text })),
});

export function statusJson(v: StatusPageView): unknown {
  return {
    title: v.title,
    internal: v.internal,
    updatedAt: v.generatedAt.toISOString(),
    timezone: v.timezone,
    status: v.overall,
    services: v.services.map((s) => ({
      id: s.id,
      name: s.name,
      ...(v.internal ? { private: s.private } : {}),
      status: s.state,
      history: s.days.map((d) => ({ date: d.date, status: d.state, incidents: d.incidents })),
    })),
    incidents: v.open.map(incidentJson),
    recent: v.recent.map(incidentJson),
  };
}

/**
 * `base` is the page's absolute URL (from the request's host); `query` the token query string the
 * reader used, if any, so the feed's links work for it. Ids are the page's URL with a fragment: stable
 * for one host name. `updated` is the newest entry's time (the generation time when there is none).
 */
export function statusAtom(v: StatusPageView, base: string, query = ""): string {
  const x = escapeHtml;
  const page = `${base}/status`;
  const updated = (v.feed[0]?.at ?? v.generatedAt).toISOString();
  const entries = v.feed
    .map(
      (e) => `  <entry>
    <id>${x(`${page}#update-${e.id}`)}</id>
    <title>${x(`${e.reference} · ${e.title}: ${e.label}`)}</title>
    <updated>${e.at.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${x(`${page}${query}#${e.reference}`)}"/>
    <content type="text">${x(e.text)}</content>
  </entry>
`,
    )
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${x(page)}</id>
  <title>${x(v.title)}</title>
  <updated>${updated}</updated>
  <author><name>${x(v.title)}</name></author>
  <link rel="alternate" type="text/html" href="${x(page + query)}"/>
  <link rel="self" type="application/atom+xml" href="${x(`${page}/feed.atom${query}`)}"/>
${entries}</feed>
`;
}
