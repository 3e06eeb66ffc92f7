/**
 * Refusals: what the bot answers when it will not do what it was asked. A refusal is a value with a
 * stable code (for tests, logs and metrics), a sentence every adapter renders as is, and the context
 * the sentence was built from. Like sapphire's UserError: an identifier and context, not a thrown string.
 */
export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** The usage line of the subcommand involved, when showing it helps the user. */
  readonly usage?: string;
  readonly context: Readonly<Record<string, unknown>>;
}

export type RefusalCode =
  | "E_UNKNOWN_SUBCOMMAND"
  | "E_BAD_ARGUMENT"
  | "E_MISSING_ARGUMENT"
  | "E_TEXT_TOO_LONG"
  | "E_BAD_LEVEL"
  | "E_NOT_IN_INCIDENT_CHANNEL"
  | "E_INCIDENT_NOT_FOUND"
  | "E_INCIDENT_CLOSED"
  | "E_TRANSITION_NOT_ALLOWED"
  | "E_NO_CHANGE"
  | "E_IM_REQUIRED"
  | "E_NEEDS_CLASSIFICATION"
  | "E_DUPLICATE_REQUEST"
  | "E_ALREADY_ACKNOWLEDGED"
  | "E_NOT_RESPONDER"
  | "E_NOT_MANAGER"
  | "E_FORM_EXPIRED"
  | "E_INCIDENT_RESOLVED"
  | "E_ALREADY_SENT"
  | "E_UNKNOWN_SECTION"
  | "E_NOT_APPROVER"
  | "E_RCA_INCOMPLETE"
  | "E_CLOSE_BLOCKED"
  | "E_ACTION_NOT_FOUND"
  /** The bot's configuration cannot serve the request (not the sender's fault; worth a retry). */
  | "E_NOT_CONFIGURED";

export function refusal(
  code: RefusalCode,
  message: string,
  context: Record<string, unknown> = {},
  usage?: string,
): Refusal {
  return usage === undefined ? { code, message, context } : { code, message, context, usage };
}

/** Carries a refusal out of nested code (e.g. to roll a transaction back); caught at the dispatch edge. */
export class RefusalError extends Error {
  constructor(readonly refusal: Refusal) {
    super(`${refusal.code}: ${refusal.message}`);
    this.name = "RefusalError";
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(r: Refusal): Result<T> => ({ ok: false, refusal: r });

/** Unwraps a result, throwing the refusal as a RefusalError. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new RefusalError(result.refusal);
  return result.value;
}
