/** The reactions every incident change runs through, in order. Register a feature's reaction here. */
import { commsReaction } from "../comms/reaction.js";
import { escalationReaction } from "../escalation/reaction.js";
import type { ChangeContext, IncidentChange, Reaction } from "./types.js";
import { rcaReaction } from "../rca/archive.js";

export type { ChangeContext, IncidentChange, Reaction } from "./types.js";

const REACTIONS: readonly Reaction[] = [commsReaction, escalationReaction, rcaReaction];

export async function react(c: ChangeContext, change: IncidentChange): Promise<void> {
  for (const reaction of REACTIONS) await reaction(c, change);
}
