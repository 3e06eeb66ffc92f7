/**
 * The embedded database is single-process by design: PGlite keeps the whole cluster in one process,
 * and a second process opening the same directory writes over the first (two incidents got the same
 * reference that way). A pid file next to the directory (`<DATA_DIR>/pglite.pid`, created with O_EXCL)
 * names the holder; a second process stops at once, before anything is written, with a sentence
 * saying who holds it and what to do instead. A pid file whose process is gone (a crash) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export class DataDirInUse extends Error {
  readonly code = "E_DATA_DIR_IN_USE";
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const lockFileFor = (pgliteDir: string): string => join(dirname(resolve(pgliteDir)), `${basename(pgliteDir)}.pid`);

/** Takes the directory for this process; returns the release. Throws DataDirInUse when another live process holds it. */
export function lockDataDir(pgliteDir: string): () => void {
  const file = lockFileFor(pgliteDir);
  const me: Holder = { pid: process.pid, command: process.argv.slice(1).map((a) => basename(a)).join(" "), since: new Date().toISOString() };
  for (let tries = 0; ; tries++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") break; // no data directory yet: nothing to share
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || tries > 3) throw e;
    }
    let holder: Holder | null = null;
    try {
      holder = JSON.parse(readFileSync(file, "utf8")) as Holder;
    } catch {
      holder = null; // half-written or unreadable: treat as stale
    }
    if (holder && holder.pid !== process.pid && alive(holder.pid)) {
      throw new DataDirInUse(
        `The embedded database in ${resolve(pgliteDir)} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
          `It serves one process at a time: stop that process first, or use its console; to run several processes (replicas, npm run report while the bot runs), set DATABASE_URL to a PostgreSQL database.`,
      );
    }
    try {
      unlinkSync(file); // its process is gone
    } catch {
      /* raced with another taker: try again */
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      const holder = JSON.parse(readFileSync(file, "utf8")) as Holder;
      if (holder.pid === process.pid) unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}
