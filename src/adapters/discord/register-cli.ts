/** `npm run discord:register`: registers `/incident` for DISCORD_GUILD_ID (or globally) and exits. */
import { ConfigError, loadEnv, loadPolicy } from "../../config.js";
import { registerCommands } from "./register.js";
import { discordError } from "./errors.js";

try {
  const env = loadEnv();
  if (!env.discord) throw new ConfigError("DISCORD_TOKEN is not set: set it (and DISCORD_APPLICATION_ID, DISCORD_GUILD_ID) to register the commands");
  if (!env.discord.applicationId) throw new ConfigError("DISCORD_APPLICATION_ID is not set: copy it from the Developer Portal (General Information)");
  const r = await registerCommands({ ...env.discord, applicationId: env.discord.applicationId, policy: loadPolicy(env.policyFile) });
  process.stdout.write(`registered /${r.names.join(", /")} (${r.scope})\n`);
} catch (e) {
  const err = e instanceof ConfigError ? e : discordError(e, { what: "registering the commands", permissions: "the applications.commands scope (re-invite the bot with it)" });
  process.stderr.write(`discord:register: ${err.message}\n`);
  process.exitCode = e instanceof ConfigError ? 78 : 1;
}
