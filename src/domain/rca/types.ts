/** The RCA record of an incident as the domain sees it (the store maps rows to these). */

/** A section's text; `authors` lists everyone who wrote in it, in order of their first edit. */
export interface RcaSection {
  section: string;
  text: string;
  authors: string[];
  updatedAt: Date;
}

/** A corrective or preventive action, numbered 1, 2, … per incident. */
export interface RcaAction {
  n: number;
  text: string;
  owner: string;
  /** Local date "YYYY-MM-DD". */
  due: string;
  createdBy: string;
  doneAt: Date | null;
  doneBy: string | null;
}

/** Something that happened outside the bot: added by hand, or a message pinned in the war room. */
export interface TimelineEntry {
  at: Date;
  text: string;
  author: string;
  source: "manual" | "pin";
}

export interface Approval {
  by: string;
  at: Date;
}

/** How the incident was closed (from its `closed` event). */
export interface Closure {
  by: string;
  at: Date;
  comment: string;
}
