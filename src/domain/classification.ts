/** Priority from impact × urgency, read from the policy's matrix: the matrix is data, not code. */
import type { Level, PriorityDef, PriorityMatrix } from "./policy.js";
import { fail, ok, refusal, type Result } from "./refusal.js";

function findLevel(levels: Level[], id: string): Level | undefined {
  const wanted = id.toUpperCase();
  return levels.find((l) => l.id.toUpperCase() === wanted);
}

function levelRefusal(kind: "Impact" | "Urgency", levels: Level[], got: string) {
  const allowed = levels.map((l) => l.id).join(", ");
  return refusal("E_BAD_LEVEL", `${kind} must be one of ${allowed} (got "${got}").`, { kind, got, allowed });
}

export function derivePriority(matrix: PriorityMatrix, impact: string, urgency: string): Result<PriorityDef> {
  const i = findLevel(matrix.impacts, impact);
  if (!i) return fail(levelRefusal("Impact", matrix.impacts, impact));
  const u = findLevel(matrix.urgencies, urgency);
  if (!u) return fail(levelRefusal("Urgency", matrix.urgencies, urgency));
  const pid = matrix.cells[i.id]?.[u.id];
  const p = pid === undefined ? undefined : matrix.priorities.find((x) => x.id === pid);
  if (!p) {
    // The policy loader checks every cell; reaching this means a matrix built in code is incomplete.
    throw new Error(`Priority matrix has no valid cell for ${i.id} × ${u.id}`);
  }
  return ok(p);
}

export function priorityDef(matrix: PriorityMatrix, id: string): PriorityDef | undefined {
  return matrix.priorities.find((p) => p.id === id);
}

/** Does this priority follow the communication process (war room, updates)? */
export function isCommunicating(matrix: PriorityMatrix, priorityId: string): boolean {
  return priorityDef(matrix, priorityId)?.communication ?? false;
}

/** Rank of a priority: 0 is the most urgent (matrix order). Unknown ids rank last. */
export function priorityRank(matrix: PriorityMatrix, priorityId: string): number {
  const i = matrix.priorities.findIndex((p) => p.id === priorityId);
  return i === -1 ? matrix.priorities.length : i;
}

/** "I1 — Total outage: Total unavailability of production." lines, for prompts that ask for a level. */
export function levelDefinitions(levels: Level[]): string[] {
  return levels.map((l) => `${l.id} — ${l.label}: ${l.description}`);
}
