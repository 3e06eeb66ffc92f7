/**
 * Deduplication as a pure decision: given what the bot already knows of a group's alerts and a new
 * notification, which alerts changed. Alertmanager and Grafana repeat a group's whole state every
 * `repeat_interval` (4 h by default) and retry on errors, so most notifications change nothing.
 *
 * An alert is a repeat when its status and its `startsAt` are those already stored: a new `startsAt`
 * is a new firing of the same alert. Generic webhooks carry no `startsAt`: for them only the status
 * counts (firing after resolved is a new firing).
 */
import type { AlertStatus, NormalisedAlert } from "./types.js";

export interface KnownAlert {
  fingerprint: string;
  status: AlertStatus;
  startsAt: string | null;
}

export type AlertChange =
  /** Firing, and new: never seen, seen resolved, or a new `startsAt`. */
  | { kind: "firing"; alert: NormalisedAlert; known: boolean }
  /** Resolved, and it was firing (or unknown). */
  | { kind: "resolved"; alert: NormalisedAlert };

/** The changes a notification brings, one per alert at most (the last word on a fingerprint wins). */
export function changesOf(known: readonly KnownAlert[], incoming: readonly NormalisedAlert[]): AlertChange[] {
  const state = new Map(known.map((k) => [k.fingerprint, k]));
  const last = new Map<string, NormalisedAlert>();
  for (const a of incoming) last.set(a.fingerprint, a);
  const out: AlertChange[] = [];
  for (const a of last.values()) {
    const k = state.get(a.fingerprint);
    const same = k && k.status === a.status && (k.startsAt ?? null) === (a.startsAt ?? null);
    if (same) continue;
    if (a.status === "firing") out.push({ kind: "firing", alert: a, known: !!k });
    else if (!k || k.status === "firing" || k.startsAt !== a.startsAt) out.push({ kind: "resolved", alert: a });
  }
  return out;
}

/** Whether every alert of the group is resolved once `changes` are applied to `known`. */
export function allResolved(known: readonly KnownAlert[], changes: readonly AlertChange[]): boolean {
  const state = new Map(known.map((k) => [k.fingerprint, k.status as AlertStatus]));
  for (const c of changes) state.set(c.alert.fingerprint, c.kind);
  return state.size > 0 && [...state.values()].every((s) => s === "resolved");
}
