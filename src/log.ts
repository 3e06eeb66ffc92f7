/**
 * Logging through pino, to standard error (standard output is the console chat). JSON lines when
 * stderr is not a terminal (a log pipeline parses them), one readable line per entry on a terminal
 * (a 30-line formatter here rather than pino-pretty, which would add 12 packages and a worker thread).
 *
 * Correlation: every line carries the fields of the logging context it runs in — `platform`,
 * `request` (Slack trigger / Discord interaction id) or `timer`, and `incident` when known — set by
 * `withLogContext` where work enters (the adapters' servers, the scheduler) and extended by
 * `addLogContext` deeper down, so code that only holds a `Logger` need not thread ids through.
 *
 * Secrets: values under secret-looking keys are replaced by pino's `redact`; token-shaped text (Slack
 * `xox…-`/`xapp-`, Discord bot tokens, `Bearer …`/`Bot …`, passwords in URLs) and the configured secret
 * values themselves (`secrets`) are scrubbed from the whole serialized line, messages and error text
 * included.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { hostname } from "node:os";
import { pino, stdTimeFunctions, type Logger as Pino } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, data?: LogFields): void;
  info(msg: string, data?: LogFields): void;
  warn(msg: string, data?: LogFields): void;
  error(msg: string, data?: LogFields): void;
  /** A logger whose every line also carries `bindings`. */
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  /** "json" (default when stderr is not a terminal, or when `write` is given) or "pretty". */
  format?: "json" | "pretty";
  /** Literal secret values (tokens, passwords) to scrub wherever they appear. */
  secrets?: readonly (string | undefined)[];
}

const context = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to every log line written inside it (async continuations included). */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** Adds fields (e.g. the incident reference once it is known) to the current logging context, if any. */
export function addLogContext(fields: LogFields): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
}

/** Keys whose values are never logged, at the top level and one level down. */
const SECRET_KEYS = ["token", "botToken", "appToken", "signingSecret", "secret", "password", "authorization", "apiKey", "databaseUrl"];
const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), "headers.authorization", "*.headers.authorization"];

/** Token shapes scrubbed from any text. */
const TOKEN_PATTERNS: [RegExp, string][] = [
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, "xox?-[redacted]"],
  [/\bxapp-[A-Za-z0-9-]+/g, "xapp-[redacted]"],
  // Discord bot tokens: base64(user id).timestamp.hmac
  [/\b[A-Za-z\d_-]{23,28}\.[A-Za-z\d_-]{6,7}\.[A-Za-z\d_-]{27,}\b/g, "[redacted]"],
  [/\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{8,}/g, "$1 [redacted]"],
  // user:password@ in URLs (postgres://, smtp://, https://)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@"]*:)[^@\s"/]+@/gi, "$1[redacted]@"],
];

function scrubber(secrets: readonly (string | undefined)[]): (s: string) => string {
  // Short values would blank out ordinary words; real tokens and secrets are longer than 6.
  const literal = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 6))].map((s) => JSON.stringify(s).slice(1, -1));
  return (s) => {
    let out = s;
    for (const v of literal) out = out.split(v).join("[redacted]");
    for (const [re, to] of TOKEN_PATTERNS) out = out.replace(re, to);
    return out;
  };
}

const LEVEL_TAG: Record<string, string> = { "10": "TRACE", "20": "DEBUG", "30": "INFO ", "40": "WARN ", "50": "ERROR", "60": "FATAL" };

/** One readable line from a JSON line: `12:00:01.234 INFO  msg key=value …`. */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { time, level, msg, pid: _pid, hostname: _host, ...rest } = o;
  const clock = typeof time === "string" ? time.slice(11, 23) : "";
  const tag = typeof level === "string" ? level.toUpperCase().padEnd(5) : (LEVEL_TAG[String(level)] ?? String(level));
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${clock} ${tag} ${String(msg ?? "")}${fields ? "  " + fields : ""}`;
}

function wrap(p: Pino): Logger {
  const at =
    (lvl: LogLevel) =>
    (msg: string, data?: LogFields): void => {
      if (data) p[lvl](data, msg);
      else p[lvl](msg);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (b) => wrap(p.child(b)) };
}

/**
 * `write` receives each line without its newline (tests capture them); by default lines go to stderr
 * synchronously, so nothing is lost when the process exits right after logging.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void, options: LoggerOptions = {}): Logger {
  const format = options.format ?? (write || !process.stderr.isTTY ? "json" : "pretty");
  const emit = write ?? ((line: string) => process.stderr.write(line + "\n"));
  const scrub = scrubber(options.secrets ?? []);
  const stream = { write: (s: string) => emit(format === "pretty" ? prettyLine(s.trimEnd()) : s.trimEnd()) };
  const p = pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname() },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      mixin: () => ({ ...context.getStore() }),
      hooks: { streamWrite: scrub },
    },
    stream,
  );
  return wrap(p);
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
