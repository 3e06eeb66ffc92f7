/**
 * The order test files start in: longest first, so the workers finish together instead of one
 * running a 15-second file alone at the end. Vitest's own sequencer orders by the durations of the
 * previous run, which a fresh clone (CI) does not have: it then falls back to file size, which put
 * short files with long texts first. Here a file's duration comes from the last local run when there
 * is one, else from the table below (seconds, measured on the idle 2-core machine on 2026-12-06 with
 * TEST_DATABASE_URL and three workers; files under 4 s are left to their size), else from its size.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const SECONDS: Record<string, number> = {
  "test/behaviour/one-way-in.test.ts": 25.3,
  "test/ops/process.test.ts": 25.1,
  "test/e2e/single-process.test.ts": 18.9,
  "test/integration/slack-rate-tiers.test.ts": 13.5,
  "test/e2e/npm-start.test.ts": 12.9,
  "test/integration/scheduler.test.ts": 11.5,
  "test/wire/slack/malformed.test.ts": 11.4,
  "test/e2e/console-feel.test.ts": 10.4,
  "test/integration/status-page.test.ts": 10.4,
  "test/e2e/dotenv.test.ts": 10.3,
  "test/wire/slack/declare.test.ts": 9.9,
  "test/e2e/console-escalation.test.ts": 9.8,
  "test/wire/stakeholders.test.ts": 9.8,
  "test/integration/discord-replicas.test.ts": 9.2,
  "test/browser/status-page.test.ts": 8.7,
  "test/ops/scheduler-stop.test.ts": 8.1,
  "test/integration/pglite-worker.test.ts": 7.8,
  "test/e2e/report-cli.test.ts": 6.1,
  "test/wire/alerts-in.test.ts": 5.9,
  "test/wire/discord/register.test.ts": 5.9,
  "test/wire/discord/reports.test.ts": 5.7,
  "test/e2e/npm-start-slack.test.ts": 5.2,
  "test/e2e/console-oncall-overrides.test.ts": 5.1,
  "test/wire/slack/interactions.test.ts": 5,
  "test/integration/unsubscribe-tokens.test.ts": 4,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    const weight = (f: TestSpecification): number => {
      const path = relative(root, f.moduleId);
      const last = cache.getFileTestResults(`${f.project.name}:${path}`)?.duration;
      if (last !== undefined) return last;
      if (SECONDS[path] !== undefined) return SECONDS[path] * 1000;
      return (cache.getFileStats(`${f.project.name}:${path}`)?.size ?? 0) / 10; // ~10 bytes of test per ms
    };
    return [...files].sort((a, b) => weight(b) - weight(a));
  }
}
