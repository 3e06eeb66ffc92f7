/**
 * The status page as one HTML document: no JavaScript at all, inline CSS (one request), readable on a
 * phone (viewport meta, one column, bars that shrink to the width). Every text from the database or
 * the policy goes through `escapeHtml`.
 *
 * The 90 day bars of a service are one `role="img"` with a sentence for screen readers (90 list items
 * each read aloud would drown the page); each bar keeps a `title` for a pointer.
 */
import { escapeHtml } from "../html.js";
import { formatTime } from "../views.js";
import type { PublicIncident, ServiceState, StatusPageView } from "./model.js";

export { escapeHtml };

const STATE_TEXT: Record<ServiceState, string> = { operational: "Operational", degraded: "Degraded", outage: "Outage" };
const OVERALL_TEXT: Record<ServiceState, string> = {
  operational: "All systems operational",
  degraded: "Some services are degraded",
  outage: "Some services are down",
};

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
.wrap{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem}
h3{font-size:1rem;margin:0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1rem;margin:0 0 .75rem}
.overall{font-weight:600;font-size:1.1rem;border-left:.4rem solid}
.overall.operational{border-left-color:#1a7f37}.overall.degraded{border-left-color:#9a6700}.overall.outage{border-left-color:#cf222e}
.badge{font-size:.85rem;font-weight:600;white-space:nowrap}
.badge.operational{color:#116329}.badge.degraded{color:#7d4e00}.badge.outage{color:#a40e26}
.services{list-style:none;padding:0;margin:0}
.svc{display:flex;justify-content:space-between;gap:.5rem;align-items:baseline;flex-wrap:wrap}
.bars{display:flex;gap:1px;height:2rem;margin:.5rem 0 .25rem}
.bar{flex:1 1 0;min-width:1px;border-radius:1px;background:#2da44e}
.bar.degraded{background:#d4a72c}.bar.outage{background:#cf222e}
.range{display:flex;justify-content:space-between;font-size:.8rem;color:#57606a;margin:0}
.meta{color:#57606a;font-size:.9rem;margin:.25rem 0 .5rem}
.updates{list-style:none;padding:0;margin:0}
.updates li{border-top:1px solid #d8dee4;padding:.5rem 0}
.updates p{margin:0;white-space:pre-line;overflow-wrap:anywhere}
.updates .when{color:#57606a;font-size:.85rem}
footer{color:#57606a;font-size:.85rem;margin:2rem 0 1rem}
a{color:#0550ae}
`;

const time = (at: Date, zone: string) => `<time datetime="${at.toISOString()}">${escapeHtml(formatTime(at, zone))}</time>`;

function incident(i: PublicIncident, zone: string): string {
  const meta = [escapeHtml(i.reference), i.service ? escapeHtml(i.service) : null, `${escapeHtml(i.status)}`, `<span class="badge ${i.state}">${STATE_TEXT[i.state]}</span>`]
    .filter(Boolean)
    .join(" · ");
  const period = i.resolvedAt ? `From ${time(i.startedAt, zone)} to ${time(i.resolvedAt, zone)}` : `Since ${time(i.startedAt, zone)}`;
  const updates = i.updates.length
    ? `<ol class="updates">${i.updates
        .slice()
        .reverse()
        .map((u) => `<li><p><strong>${escapeHtml(u.label)}</strong> <span class="when">${time(u.at, zone)}</span></p><p>${escapeHtml(u.text)}</p></li>`)
        .join("")}</ol>`
    : "";
  return `<article class="card" id="${escapeHtml(i.reference)}"><h3>${escapeHtml(i.title)}</h3><p class="meta">${meta}<br>${period}</p>${updates}</article>`;
}

function bars(name: string, days: StatusPageView["services"][number]["days"]): string {
  const count = { operational: 0, degraded: 0, outage: 0 };
  for (const d of days) count[d.state]++;
  const label = `${name}, last ${days.length} days: ${count.operational} operational, ${count.degraded} degraded, ${count.outage} with an outage`;
  const cells = days
    .map((d) => {
      const title = `${d.date}: ${STATE_TEXT[d.state].toLowerCase()}${d.incidents ? `, ${d.incidents} incident${d.incidents === 1 ? "" : "s"}` : ""}`;
      return `<span class="bar ${d.state}" title="${title}"></span>`;
    })
    .join("");
  return `<div class="bars" role="img" aria-label="${escapeHtml(label)}">${cells}</div>`;
}

/** `links.feed` carries the token query when the page was opened with one. */
export function renderStatusHtml(v: StatusPageView, links: { feed: string }): string {
  const zone = v.timezone;
  const title = escapeHtml(v.title) + (v.internal ? " (internal)" : "");
  const open = v.open.length ? v.open.map((i) => incident(i, zone)).join("") : `<p class="card">No open incidents.</p>`;
  const services = v.services.length
    ? `<ul class="services">${v.services
        .map(
          (s) =>
            `<li class="card"><div class="svc"><h3>${escapeHtml(s.name)}${s.private ? " (private)" : ""}</h3><span class="badge ${s.state}">${STATE_TEXT[s.state]}</span></div>${bars(s.name, s.days)}<p class="range" aria-hidden="true"><span>${s.days.length} days ago</span><span>Today</span></p></li>`,
        )
        .join("")}</ul>`
    : `<p class="card">No services are listed yet.</p>`;
  const recent = v.recent.length ? v.recent.map((i) => incident(i, zone)).join("") : `<p class="card">No incidents in the last 7 days.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="alternate" type="application/atom+xml" title="${title}" href="${escapeHtml(links.feed)}">
<style>${CSS}</style></head>
<body><div class="wrap">
<header><h1>${title}</h1><p class="card overall ${v.overall}">${OVERALL_TEXT[v.overall]}</p></header>
<main>
<section aria-labelledby="h-open"><h2 id="h-open">Current incidents</h2>${open}</section>
<section aria-labelledby="h-services"><h2 id="h-services">Services</h2>${services}</section>
<section aria-labelledby="h-recent"><h2 id="h-recent">Past incidents</h2>${recent}</section>
</main>
<footer>Updated ${time(v.generatedAt, zone)} · <a href="${escapeHtml(links.feed)}">Atom feed</a></footer>
</div></body></html>
`;
}
