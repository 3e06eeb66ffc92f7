/**
 * The three webhook forms, checked with zod and normalised into one `AlertBatch`: Alertmanager's
 * webhook (version 4), Grafana's contact-point webhook (the same alerts, plus title / state / message)
 * and a generic `{ key, status, title, description, service, labels }`. Unknown keys are ignored (the
 * senders add fields over versions); a wrong shape is one sentence naming the field.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AlertBatch, AlertSource, NormalisedAlert } from "../../domain/alerts/types.js";
import { CONTROL_CHARS } from "../../commands/index.js";

/** Senders repeat whole groups; a bound keeps one notification's work (and transaction) small. */
export const MAX_ALERTS = 500;

const status = z.enum(["firing", "resolved"], { error: 'must be "firing" or "resolved"' });
/**
 * Label values are what the policy's `matchRegex` patterns run on: bounded (Prometheus' own are short)
 * so a pattern's work per value stays small. Annotations (summaries, descriptions) may be longer.
 */
const MAX_LABEL = 1024;
const MAX_ANNOTATION = 16_384;
const textMap = (max: number) =>
  z.record(
    z.string().max(256, { error: "must have names of at most 256 characters" }),
    z.string({ error: "must map names to text values" }).max(max, { error: `must have values of at most ${max} characters` }),
    { error: "must be an object of text values" },
  );
const labels = textMap(MAX_LABEL);
const annotations = textMap(MAX_ANNOTATION);
const str = z.string({ error: "must be text" });
/** An RFC 3339 time, as Alertmanager and Grafana write them. */
const when = str.refine((s) => s === "" || !Number.isNaN(Date.parse(s)), { error: "must be a time such as 2026-12-05T10:00:00Z" });

const promAlert = z.object({
  status,
  labels,
  annotations: annotations.optional(),
  startsAt: when.optional(),
  endsAt: when.optional(),
  generatorURL: str.optional(),
  fingerprint: str.optional(),
});

const alertmanager = z.object({
  version: z.literal("4", { error: 'must be "4" (Alertmanager webhook version 4)' }),
  groupKey: str.min(1, { error: "must not be empty" }),
  status,
  commonLabels: labels.optional(),
  alerts: z.array(promAlert, { error: "must be a list of alerts" }).min(1, { error: "must list at least one alert" }).max(MAX_ALERTS, { error: `must list at most ${MAX_ALERTS} alerts` }),
});

const grafana = alertmanager.extend({
  version: str.optional(),
  title: str.optional(),
  state: str.optional(),
  message: str.optional(),
});

const generic = z.object({
  key: str.min(1, { error: "must not be empty" }).max(200, { error: "must be at most 200 characters" }),
  status,
  title: str.trim().min(1, { error: "must not be empty" }),
  description: str.max(MAX_ANNOTATION, { error: `must be at most ${MAX_ANNOTATION} characters` }).optional(),
  service: str.max(MAX_LABEL, { error: `must be at most ${MAX_LABEL} characters` }).optional(),
  labels: labels.optional(),
});

/** Monitoring text may carry control characters (terminal colours): they become spaces, not refusals. */
const clean = (s: string): string => s.replace(CONTROL_CHARS, " ").trim();
const cleanLabels = (l: Record<string, string> | undefined): Record<string, string> => Object.fromEntries(Object.entries(l ?? {}).map(([k, v]) => [clean(k), clean(v)]));

/** Alertmanager's fingerprint is a hash of the labels; older senders omit it, so the same is made here. */
const labelHash = (l: Record<string, string>): string =>
  createHash("sha256").update(JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)))).digest("hex").slice(0, 16);

/** "0001-01-01T00:00:00Z" and empty mean "not set". */
const time = (s: string | undefined): string | null => (s && !s.startsWith("0001-") ? s : null);

function fromProm(source: AlertSource, p: z.output<typeof alertmanager> | z.output<typeof grafana>, title: string | null): AlertBatch {
  const alerts: NormalisedAlert[] = p.alerts.map((a) => {
    const l = cleanLabels(a.labels);
    const ann = cleanLabels(a.annotations);
    return {
      fingerprint: a.fingerprint ? clean(a.fingerprint) : labelHash(l),
      status: a.status,
      title: ann["summary"] || l["alertname"] || "Alert",
      description: ann["description"] || ann["message"] || null,
      labels: l,
      startsAt: time(a.startsAt ? clean(a.startsAt) : undefined),
      url: a.generatorURL ? clean(a.generatorURL) : null,
    };
  });
  return { source, groupKey: clean(p.groupKey) || labelHash(cleanLabels(p.commonLabels)), title, labels: cleanLabels(p.commonLabels), alerts };
}

export type Parsed = { ok: true; batch: AlertBatch } | { ok: false; reason: string };

function reasonOf(e: z.ZodError): string {
  const i = e.issues[0]!;
  const path = i.path.length ? i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") : "the body";
  const missing = i.code === "invalid_type" && (i as { input?: unknown }).input === undefined;
  return `${path} ${missing ? "is missing" : i.message}.`;
}

export function parseAlerts(source: AlertSource, body: unknown): Parsed {
  if (source === "webhook") {
    const r = generic.safeParse(body, { reportInput: true });
    if (!r.success) return { ok: false, reason: reasonOf(r.error) };
    const g = r.data;
    const l = cleanLabels(g.labels);
    if (g.service) l["service"] = clean(g.service);
    const alert: NormalisedAlert = { fingerprint: clean(g.key), status: g.status, title: clean(g.title), description: g.description ? clean(g.description) : null, labels: l, startsAt: null, url: null };
    return { ok: true, batch: { source, groupKey: clean(g.key), title: alert.title, labels: l, alerts: [alert] } };
  }
  const r = (source === "grafana" ? grafana : alertmanager).safeParse(body, { reportInput: true });
  if (!r.success) return { ok: false, reason: reasonOf(r.error) };
  const title = "title" in r.data && r.data.title ? clean(r.data.title) : null;
  return { ok: true, batch: fromProm(source, r.data, title) };
}
