/**
 * `npm run report -- --month 2026-10 [--chart weeks.png]`: prints the monthly incident report
 * (Markdown), and writes the PNG chart of incidents per week by priority when asked, from the bot's
 * database (DATABASE_URL, or the PGlite directory DATA_DIR), as the 1st-of-the-month job posts it.
 */
import { createBot } from "./bot.js";
import { systemClock } from "./clock.js";
import { loadConfig } from "./config.js";
import { DataDirInUse } from "./db/data-dir-lock.js";
import { openDatabase } from "./db/client.js";
import { applyMigrations } from "./db/migrate.js";
import { writeFileSync } from "node:fs";
import { monthlyData } from "./app/review/calendar.js";
import { weeklyChart } from "./domain/review/chart.js";
import { monthlyMarkdown } from "./domain/review/documents.js";
import { toPng } from "./report-chart.js";
import { monthPeriod } from "./domain/review/calendar-runs.js";

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf("--month");
  const month = i >= 0 ? argv[i + 1] : undefined;
  const config = loadConfig((t) => process.stderr.write(t));
  if (!config) return 78; // EX_CONFIG
  const { env, policy } = config;
  const period = month ? monthPeriod(month, policy.businessHours.timezone) : null;
  if (!period) {
    process.stderr.write(`Usage: npm run report -- --month YYYY-MM (got ${month ? `"${month}"` : "no month"})\n`);
    return 64;
  }
  const database = await openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
  try {
    await applyMigrations(database);
    const bot = createBot({ database, clock: systemClock, policy, chats: [] });
    const data = await monthlyData(bot.ctx, month!, period.from, period.to);
    process.stdout.write(monthlyMarkdown(data, policy.businessHours.timezone));
    const c = argv.indexOf("--chart");
    if (c >= 0 && argv[c + 1]) {
      writeFileSync(argv[c + 1]!, toPng(weeklyChart(data.weeks, data.priorities)));
      process.stderr.write(`Chart of incidents per week by priority written to ${argv[c + 1]}\n`);
    }
    await bot.stop();
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
