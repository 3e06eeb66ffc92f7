/**
 * The incident lifecycle (DESIGN §2): declared → investigating → mitigated → resolved → closed, with
 * waiting (customer | vendor) from investigating/mitigated and back, and resolved → investigating as a
 * reopen. `closed` is final.
 */
import { fail, ok, refusal, type Result } from "./refusal.js";

export const STATUSES = [
  "declared",
  "investigating",
  "waiting_customer",
  "waiting_vendor",
  "mitigated",
  "resolved",
  "closed",
] as const;
export type Status = (typeof STATUSES)[number];

const WAITING: readonly Status[] = ["waiting_customer", "waiting_vendor"];

const ALLOWED: Readonly<Record<Status, readonly Status[]>> = {
  declared: ["investigating", "mitigated", "resolved"],
  investigating: ["waiting_customer", "waiting_vendor", "mitigated", "resolved"],
  waiting_customer: ["investigating", "mitigated", "resolved", "waiting_vendor"],
  waiting_vendor: ["investigating", "mitigated", "resolved", "waiting_customer"],
  mitigated: ["investigating", "waiting_customer", "waiting_vendor", "resolved"],
  resolved: ["investigating", "closed"],
  closed: [],
};

export function isWaiting(s: Status): boolean {
  return WAITING.includes(s);
}

export function isOpen(s: Status): boolean {
  return s !== "resolved" && s !== "closed";
}

export function allowedMoves(from: Status): readonly Status[] {
  return ALLOWED[from];
}

const LABELS: Record<Status, string> = {
  declared: "declared",
  investigating: "investigating",
  waiting_customer: "waiting on customer",
  waiting_vendor: "waiting on vendor",
  mitigated: "mitigated",
  resolved: "resolved",
  closed: "closed",
};

export function statusLabel(s: Status): string {
  return LABELS[s];
}

/** Checks a move; the refusal says where the incident is and where it can go from there. */
export function transition(from: Status, to: Status, reference = "The incident"): Result<Status> {
  if (from === "closed") {
    return fail(
      refusal("E_INCIDENT_CLOSED", `${reference} is closed; closed incidents are read-only.`, { reference }),
    );
  }
  if (from === to) {
    return fail(refusal("E_NO_CHANGE", `${reference} is already ${LABELS[to]}.`, { reference, status: to }));
  }
  if (!ALLOWED[from].includes(to)) {
    const next = ALLOWED[from].map((s) => LABELS[s]).join(", ");
    return fail(
      refusal(
        "E_TRANSITION_NOT_ALLOWED",
        `${reference} is ${LABELS[from]} and cannot become ${LABELS[to]}; from here it can become: ${next}.`,
        { reference, from, to },
      ),
    );
  }
  return ok(to);
}
