import { defineConfig } from "vitest/config";
import LongestFirst from "./test/sequencer.js";

/**
 * `npm test` on 2 cores. The migrated databases are built once per run (test/global-setup.ts) and
 * reused between tests by truncation (test/support/databases.ts); workers are reused between files
 * (`isolate: false`), so modules, PGlite's WASM and the pooled databases load once per worker rather
 * than once per file. Measured on the shared 2-core machine while other sessions ran their suites
 * (load average 8–18, so wall times mostly measure the neighbours; CPU time is the steadier figure):
 *
 *   with TEST_DATABASE_URL   before: 435 tests, 293 s wall, 307 s CPU (load 8; template per file,
 *                                    a database created and migrated per test)
 *                            after:  435 tests, 162 s wall,  85 s CPU (load 12)
 *                                    584 tests after main grew, 307 s wall, 109 s CPU (load 17)
 *                                    606 tests, 274 s wall, 131 s CPU (load 13–15)
 *   PGlite only              before: 299 tests, 444 s wall, 249 s CPU (load 15)
 *                            after:  316 tests, 117 s wall,  63 s CPU (load 14)
 *
 * PGlite's queries through src/db/pglite-session.mjs (one pass through its WASM, prepared statements),
 * idle machine: PGlite only 86.5 → 75–79 s (705 tests); with TEST_DATABASE_URL 124 → 109–117 s (936).
 *
 * Spawned bots start from a copy of a migrated data directory (test/support/data-dir.ts) and run
 * dist/ rather than tsx: 746 tests 17 min 49 s wall, 284 s CPU → 765 tests 13 min 28 s, 292 s CPU
 * (both with TEST_DATABASE_URL, load 15–18: 26–36 % of a CPU for the run); single-process.test.ts
 * 223 → 58 s, report-cli.test.ts 105 → 28 s. Only npm-start.test.ts still starts on an empty
 * directory (PGlite's initdb: 2.5 s CPU and ~740 MB RSS per process), as the README's first command.
 */
/**
 * Files that need a process of their own: after test/wire/slack/reports.test.ts in the same worker,
 * discord.js's multipart upload fails inside vitest's module runner ("action is not a function" from
 * undici's body extraction; the same sequence in plain node works, so the bot is not affected).
 */
const OWN_PROCESS = ["test/wire/discord/reports.test.ts"];

export default defineConfig({
  test: {
    // Rebuilds dist/ when src/ is newer (some tests spawn the compiled bot); builds the migrated databases.
    globalSetup: ["test/ops/build-dist.ts", "test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Three workers on two cores: a third of the suite waits on spawned processes, PostgreSQL or the
    // clock. Measured on the idle 2-core machine, 892 tests with TEST_DATABASE_URL: 2 workers 163 s wall
    // (262 s CPU), 3 workers 148 s (249 s CPU); the CPU time is the floor (~125 s on two cores).
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: OWN_PROCESS, isolate: false } },
      { extends: true, test: { name: "isolated", include: OWN_PROCESS, isolate: true } },
    ],
  },
});
