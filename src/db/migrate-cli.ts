/** `npm run db:migrate`: apply the migrations to DATABASE_URL (or the PGlite under DATA_DIR) and exit. */
import { loadEnv } from "../config.js";
import { openDatabase } from "./client.js";
import { applyMigrations } from "./migrate.js";

const env = loadEnv();
const database = await openDatabase({ url: env.databaseUrl, pgliteDir: env.databaseUrl ? undefined : env.pgliteDir });
await applyMigrations(database);
process.stdout.write(`migrations applied (${database.where})\n`);
await database.close();
