/**
 * Vitest global set-up: tests that spawn the compiled bot (`npm start`, `npm run discord:register`,
 * test/ops) must run today's src/, so dist/ is rebuilt first when any file in src/ is newer than it
 * (~30 s of tsc here; nothing to do after `npm ci`, which builds through `prepare`).
 */
import { ensureBuilt } from "./compiled-start.js";

export default function setup(): void {
  ensureBuilt();
}
