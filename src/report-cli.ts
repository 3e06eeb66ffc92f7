/**
 * `npm run report -- --month 2026-10 [--chart weeks.png]`: prints the monthly incident report
 * (Markdown), and writes the PNG chart of incidents per week by priority when asked, from the bot's
 * database (DATABASE_URL, or the PGlite directory DATA_DIR), as the 1st-of-the-month job posts it.
 * Mistakes a person can make (no month, `--chart` without a file, a path that cannot be written) get
 * one sentence and an exit code, never a stack trace.
 */
import { createBot } from "./bot.js";
import { systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { DataDirInUse } from "./db/data-dir-lock.js";
import { openDatabase } from "./db/client.js";
import { applyMigrations } from "./db/migrate.js";
import { accessSync, constants, existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { monthlyChart, monthlyData } from "./app/review/calendar.js";
import { monthlyMarkdown } from "./domain/review/documents.js";
import { toPng } from "./report-chart.js";
import { monthPeriod } from "./domain/review/calendar-runs.js";

const USAGE = "Usage: npm run report -- --month YYYY-MM [--chart FILE.png]";

/** Why a file cannot be written, in words (Node's error codes). */
function writeProblem(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" ? "its folder does not exist"
    : code === "EACCES" || code === "EPERM" ? "permission denied"
    : code === "EISDIR" ? "it is a folder"
    : code === "EROFS" ? "the file system is read-only"
    : (e as Error).message;
  return `Cannot write the chart to ${path}: ${why}.`;
}

/** Why the chart cannot be written there, checked before the database is opened; null when it can. */
function chartPathProblem(path: string): string | null {
  const folder = dirname(resolve(path));
  try {
    if (existsSync(path) && statSync(path).isDirectory()) return writeProblem(path, Object.assign(new Error(), { code: "EISDIR" }));
    accessSync(folder, constants.W_OK);
    return null;
  } catch (e) {
    return writeProblem(path, e);
  }
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf("--month");
  const month = i >= 0 ? argv[i + 1] : undefined;
  const c = argv.indexOf("--chart");
  const chartFile = c >= 0 ? argv[c + 1] : undefined;
  if (c >= 0 && (!chartFile || chartFile.startsWith("--"))) {
    process.stderr.write(`--chart needs the PNG file to write, such as --chart incidents-2026-10.png. ${USAGE}\n`);
    return 64; // EX_USAGE
  }
  const problem = chartFile ? chartPathProblem(chartFile) : null;
  if (problem) {
    process.stderr.write(`${problem}\n`);
    return 73; // EX_CANTCREAT
  }
  const config = loadConfig((t) => process.stderr.write(t));
  if (!config) return 78; // EX_CONFIG
  const { env, policy } = config;
  const period = month ? monthPeriod(month, policy.businessHours.timezone) : null;
  if (!period) {
    process.stderr.write(`${USAGE} (got ${month ? `"${month}"` : "no month"})\n`);
    return 64;
  }
  const database = await openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
  try {
    await applyMigrations(database);
    const bot = createBot({ database, clock: systemClock, policy, chats: [] });
    const data = await monthlyData(bot.ctx, month!, period.from, period.to);
    await bot.stop();
    process.stdout.write(monthlyMarkdown(data, policy.businessHours.timezone));
    if (chartFile) {
      try {
        writeFileSync(chartFile, toPng(monthlyChart(policy, data)));
      } catch (e) {
        process.stderr.write(`${writeProblem(chartFile, e)}\n`);
        return 73; // EX_CANTCREAT
      }
      process.stderr.write(`Chart of incidents per week by priority written to ${chartFile}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof DataDirInUse) {
      process.stderr.write(`${e.message}\n`);
      process.exit(75); // EX_TEMPFAIL: try again once the other process is gone
    }
    process.stderr.write(`Fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
