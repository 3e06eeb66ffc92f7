/**
 * `npm run chaos [-- slack|discord]`: three bot replicas on one PostgreSQL database under chat-API
 * faults and a crash, once with Slack (slack.ts) and once with Discord interactions over HTTP
 * (discord.ts); each run about 100 s, both by default. Exits 1 on any failed check.
 *
 * Needs PostgreSQL: CHAOS_DATABASE_URL or TEST_DATABASE_URL (an admin URL; a throw-away database is
 * created and dropped per run), default postgres://postgres@127.0.0.1:5432/postgres.
 */
import { discordRun } from "./discord.js";
import { slackRun } from "./slack.js";

const RUNS: Record<string, () => Promise<number>> = { slack: slackRun, discord: discordRun };

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !RUNS[a]);
  if (unknown.length) {
    process.stderr.write(`chaos: unknown run ${unknown.join(", ")}; choose slack, discord or nothing for both\n`);
    return 64;
  }
  let code = 0;
  for (const name of asked.length ? asked : Object.keys(RUNS)) code = Math.max(code, await RUNS[name]!());
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`chaos: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
