/**
 * Environment variables → a typed, camelCased `Env`, validated with zod. `.env.example` lists them all.
 *
 * Rules:
 * - Every variable is optional; an empty (or whitespace-only) value counts as unset; values are trimmed.
 * - `slack` is present iff `SLACK_BOT_TOKEN` is set, and then `SLACK_SIGNING_SECRET` (HTTP mode) or
 *   `SLACK_APP_TOKEN` (Socket Mode, preferred when both are set) is required. `discord` is present iff
 *   `DISCORD_TOKEN` is set. Any other `SLACK_*` / `DISCORD_*` variable set without its token is an
 *   error rather than a silently disabled adapter.
 * - Errors throw `ConfigError` naming each bad variable and what it allows; the database URL is shown
 *   with its password redacted, and secrets are never echoed.
 */
import { z } from "zod";
import { httpUrlSchema } from "./primitives-schema.js";
import { configError, describeValue, formatIssue, predicateErrorMap } from "./errors.js";
import { DEFAULT_DATA_DIR, given, pgliteDirOf } from "./data-dir.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SlackEnv {
  botToken: string;
  /** "socket" when `SLACK_APP_TOKEN` is set (no public URL needed), else "http" (events on `PORT`). */
  mode: "socket" | "http";
  signingSecret?: string;
  appToken?: string;
  /** Web API base URL override (tests, proxies); Slack's own when absent. */
  apiUrl?: string;
  /** Channel (id or name) for stakeholder announcements. */
  announcementsChannel?: string;
}

export interface DiscordEnv {
  token: string;
  applicationId?: string;
  /** Register slash commands on this guild only (instant), instead of globally. */
  guildId?: string;
  /** Category (id or name) under which war-room channels are created. */
  incidentsCategory?: string;
  /** Channel (id or name) for stakeholder announcements. */
  announcementsChannel?: string;
  /** REST API base URL override (tests, proxies); Discord's own when absent. */
  apiUrl?: string;
  /**
   * The application's public key (64 hex characters): interactions arrive on `POST /discord/interactions`,
   * verified with Ed25519, and the gateway is not opened.
   */
  publicKey?: string;
}

export interface Env {
  /** postgres:// or postgresql:// URL; absent → embedded PGlite in `pgliteDir`. */
  databaseUrl?: string;
  /** `DATA_DIR`, default "./data". */
  dataDir: string;
  /** `join(dataDir, "pglite")`. */
  pgliteDir: string;
  /** `POLICY_FILE`: YAML or JSON policy; absent → built-in defaults. */
  policyFile?: string;
  logLevel: LogLevel;
  /** Scheduler tick, 1..60 seconds, default 5. */
  schedulerPollSeconds: number;
  /** Hours finished timer rows are kept before pruning (0: deleted on completion), default 24. */
  timerRetentionHours: number;
  /** HTTP port (Slack events in HTTP mode, the other HTTP routes), 0..65535 (0 = any free port), default 3000. */
  port: number;
  /** `PORT` was set: the console serves the HTTP routes too (without it, it opens no port). */
  portGiven: boolean;
  /** The local console adapter. */
  console: { user: string; announcementsChannel: string };
  slack?: SlackEnv;
  discord?: DiscordEnv;
  /** `SMTP_URL` (smtp:// or smtps://) for e-mail paging, and `SMTP_FROM`; absent → e-mail pages fail and are reported. */
  smtp?: { url: string; from: string };
  /** `PUBLIC_URL`: the bot's public base URL (no trailing slash), for links in e-mails (unsubscribe). */
  publicUrl?: string;
  /** `ALERTS_TOKEN`: the bearer token of the alert webhooks (/alerts/…); absent → they answer 503. */
  alertsToken?: string;
  /** `ALERTS_MAX_BYTES`: the largest alert notification accepted (413 past it), default 1 MiB. */
  alertsMaxBytes: number;
  /** `STATUS_PAGE_TOKEN`: when set, the status page requires it and shows the internal page. */
  statusPageToken?: string;
  /** `ONCALL_CALENDAR_TOKEN`: the token of the on-call calendar feeds; absent → the feeds answer 404. */
  oncallCalendarToken?: string;
}

export const ENV_VARS = [
  "DATABASE_URL",
  "DATA_DIR",
  "POLICY_FILE",
  "LOG_LEVEL",
  "SCHEDULER_POLL_SECONDS",
  "TIMER_RETENTION_HOURS",
  "PORT",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
  "SLACK_ANNOUNCEMENTS_CHANNEL",
  "DISCORD_TOKEN",
  "DISCORD_APPLICATION_ID",
  "DISCORD_GUILD_ID",
  "DISCORD_INCIDENTS_CATEGORY",
  "DISCORD_ANNOUNCEMENTS_CHANNEL",
  "DISCORD_API_URL",
  "DISCORD_PUBLIC_KEY",
  "CONSOLE_USER",
  "ANNOUNCEMENTS_CHANNEL",
  "SMTP_URL",
  "SMTP_FROM",
  "PUBLIC_URL",
  "ALERTS_TOKEN",
  "ALERTS_MAX_BYTES",
  "STATUS_PAGE_TOKEN",
  "ONCALL_CALENDAR_TOKEN",
] as const;
type EnvVar = (typeof ENV_VARS)[number];

function isPostgresUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
  } catch {
    return false;
  }
}

function isSmtpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "smtp:" || u.protocol === "smtps:") && u.hostname !== "";
  } catch {
    return false;
  }
}

const intIn = (min: number, max: number) =>
  z
    .string()
    .refine((s) => /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max, {
      error: `must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const text = z.string().optional();
const httpUrl = httpUrlSchema.optional();

const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .refine(isPostgresUrl, {
        error: "must be a postgres:// or postgresql:// URL with a host (leave it empty to use the embedded PGlite database)",
      })
      .optional(),
    DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
    POLICY_FILE: text,
    LOG_LEVEL: z
      .preprocess(
        (v) => (typeof v === "string" && (LOG_LEVELS as readonly string[]).includes(v.toLowerCase()) ? v.toLowerCase() : v),
        z.enum(LOG_LEVELS),
      )
      .default("info"),
    SCHEDULER_POLL_SECONDS: intIn(1, 60).optional(),
    TIMER_RETENTION_HOURS: intIn(0, 8760).optional(),
    PORT: intIn(0, 65535).optional(),
    SLACK_BOT_TOKEN: text,
    SLACK_SIGNING_SECRET: text,
    SLACK_APP_TOKEN: text,
    SLACK_API_URL: httpUrl,
    SLACK_ANNOUNCEMENTS_CHANNEL: text,
    DISCORD_TOKEN: text,
    DISCORD_APPLICATION_ID: text,
    DISCORD_GUILD_ID: text,
    DISCORD_INCIDENTS_CATEGORY: text,
    DISCORD_ANNOUNCEMENTS_CHANNEL: text,
    DISCORD_API_URL: httpUrl,
    DISCORD_PUBLIC_KEY: z
      .string()
      .refine((s) => /^[0-9a-fA-F]{64}$/.test(s), { error: "must be the application's public key: 64 hexadecimal characters (Developer Portal, General Information)" })
      .optional(),
    CONSOLE_USER: z.string().default("you"),
    ANNOUNCEMENTS_CHANNEL: z.string().default("announcements"),
    SMTP_URL: z.string().refine(isSmtpUrl, { error: "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587" }).optional(),
    SMTP_FROM: z.string().default("incident-bot@localhost"),
    PUBLIC_URL: httpUrl,
    ALERTS_TOKEN: z.string().min(16, { error: "must be at least 16 characters (e.g. openssl rand -hex 32)" }).optional(),
    ALERTS_MAX_BYTES: intIn(1024, 64 * 1024 * 1024).optional(),
    STATUS_PAGE_TOKEN: text,
    ONCALL_CALENDAR_TOKEN: z.string().min(16, { error: "must be at least 16 characters (a random secret, e.g. openssl rand -hex 24)" }).optional(),
  })
  .superRefine((e, ctx) => {
    const orphans = (prefix: string, token: EnvVar, purpose: string) => {
      if (e[token] !== undefined) return;
      for (const name of ENV_VARS) {
        if (name.startsWith(prefix) && name !== token && e[name] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `is set but ${token} is not; set ${token} to enable ${purpose}, or leave the ${prefix}* variables empty`,
          });
        }
      }
    };
    orphans("SLACK_", "SLACK_BOT_TOKEN", "the Slack adapter");
    orphans("DISCORD_", "DISCORD_TOKEN", "the Discord adapter");
    if (e.SLACK_BOT_TOKEN !== undefined && e.SLACK_SIGNING_SECRET === undefined && e.SLACK_APP_TOKEN === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_BOT_TOKEN"],
        message:
          "is set without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN; set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP events on PORT)",
      });
    }
  });

/** Shown in error messages in place of the raw value. */
function shownValue(path: string, value: unknown): string {
  if ((path === "DATABASE_URL" || path === "SMTP_URL") && typeof value === "string") {
    try {
      const u = new URL(value);
      if (u.password) u.password = "***";
      return describeValue(u.toString());
    } catch {
      return "a value that is not a URL";
    }
  }
  if (/TOKEN|SECRET/.test(path)) return "a secret";
  return describeValue(value);
}

/** Reads and validates the environment; throws `ConfigError` naming every bad variable. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const raw: Partial<Record<EnvVar, string>> = {};
  for (const name of ENV_VARS) {
    const v = given(env, name);
    if (v) raw[name] = v;
  }
  const parsed = envSchema.safeParse(raw, { error: predicateErrorMap, reportInput: true });
  if (!parsed.success) {
    throw configError(
      "Invalid environment",
      parsed.error.issues.map((i) => formatIssue(i, "environment", shownValue)),
    );
  }
  const e = parsed.data;
  const out: Env = {
    dataDir: e.DATA_DIR,
    pgliteDir: pgliteDirOf(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    schedulerPollSeconds: e.SCHEDULER_POLL_SECONDS ?? 5,
    timerRetentionHours: e.TIMER_RETENTION_HOURS ?? 24,
    port: e.PORT ?? 3000,
    portGiven: e.PORT !== undefined,
    console: { user: e.CONSOLE_USER, announcementsChannel: e.ANNOUNCEMENTS_CHANNEL },
    alertsMaxBytes: e.ALERTS_MAX_BYTES ?? 1024 * 1024,
  };
  if (e.ALERTS_TOKEN !== undefined) out.alertsToken = e.ALERTS_TOKEN;
  if (e.DATABASE_URL !== undefined) out.databaseUrl = e.DATABASE_URL;
  if (e.POLICY_FILE !== undefined) out.policyFile = e.POLICY_FILE;
  if (e.SMTP_URL !== undefined) out.smtp = { url: e.SMTP_URL, from: e.SMTP_FROM };
  if (e.PUBLIC_URL !== undefined) out.publicUrl = e.PUBLIC_URL.replace(/\/+$/, "");
  if (e.STATUS_PAGE_TOKEN !== undefined) out.statusPageToken = e.STATUS_PAGE_TOKEN;
  if (e.ONCALL_CALENDAR_TOKEN !== undefined) out.oncallCalendarToken = e.ONCALL_CALENDAR_TOKEN;
  if (e.SLACK_BOT_TOKEN !== undefined) {
    out.slack = dropUndefined({
      botToken: e.SLACK_BOT_TOKEN,
      mode: e.SLACK_APP_TOKEN !== undefined ? ("socket" as const) : ("http" as const),
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      announcementsChannel: e.SLACK_ANNOUNCEMENTS_CHANNEL,
    });
  }
  if (e.DISCORD_TOKEN !== undefined) {
    out.discord = dropUndefined({
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      guildId: e.DISCORD_GUILD_ID,
      incidentsCategory: e.DISCORD_INCIDENTS_CATEGORY,
      announcementsChannel: e.DISCORD_ANNOUNCEMENTS_CHANNEL,
      apiUrl: e.DISCORD_API_URL,
      publicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase(),
    });
  }
  return out;
}

/** Optional keys are absent, not `undefined`, so `toEqual` and spreads behave. */
function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
