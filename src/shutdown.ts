/**
 * Process shutdown on SIGTERM / SIGINT, within a fixed budget: orchestrators kill a process 30 s
 * after SIGTERM by default (10 s on some), and a rolling deploy should not wait on a backlog.
 *
 *   0 s      signal: `/healthz` answers 503 (a load balancer drains the replica), the scheduler claims
 *            nothing more; requests already received, and new ones until the server closes, are served
 *   ≤ 3 s    in-flight chat requests and timer handlers finish (GRACE_MS); then the HTTP server and
 *            the gateway close, claims of unfinished timers are given back (pending, lease cleared,
 *            so another replica takes them at once), the database closes, exit 0
 *   5 s      watchdog: whatever still hangs, exit 1 (HARD_LIMIT_MS)
 *
 * A second signal exits at once (128 + signal number, as a shell reports it).
 */
import { constants } from "node:os";
import type { Logger } from "./log.js";

/** How long in-flight work may take after the signal. */
export const GRACE_MS = 3_000;
/** Past this the process exits whatever still runs (closing the servers and the database included). */
export const HARD_LIMIT_MS = 5_000;

/** Resolves with the first SIGTERM/SIGINT; a second one exits the process at once. */
export function stopSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (signal: NodeJS.Signals) => {
      if (seen) {
        log.warn("second signal: exiting now", { signal });
        process.exit(128 + (constants.signals[signal] ?? 15));
      }
      seen = true;
      // Past the hard limit nothing we wait on is worth more than the orchestrator's SIGKILL.
      setTimeout(() => {
        log.error("shutdown took longer than its budget: exiting", { signal, budgetMs: HARD_LIMIT_MS });
        process.exit(1);
      }, HARD_LIMIT_MS).unref();
      resolve(signal);
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
}

/** `p`, or "late" once `ms` have passed (p keeps running). */
export async function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
