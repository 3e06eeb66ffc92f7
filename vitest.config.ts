import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Rebuilds dist/ when src/ is newer: some tests spawn the compiled bot.
    globalSetup: ["test/ops/build-dist.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: PGlite instances are CPU-heavy, so run files two at a time.
    maxWorkers: 2,
  },
});
