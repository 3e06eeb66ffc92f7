/**
 * Registers `/incident` with Discord: `PUT applications/{app}/guilds/{guild}/commands` (instant, for
 * one server) or `PUT applications/{app}/commands` (global, up to an hour to appear). PUT replaces
 * the whole set, so running it again is safe and removes options that no longer exist.
 */
import { REST, Routes } from "discord.js";
import type { Policy } from "../../domain/policy.js";
import { incidentCommand } from "./commands.js";
import { restOptions } from "./rest.js";

export interface RegisterOptions {
  token: string;
  applicationId: string;
  guildId?: string | undefined;
  apiUrl?: string | undefined;
  policy: Policy;
}

export async function registerCommands(o: RegisterOptions): Promise<{ scope: string; names: string[] }> {
  const rest = new REST(restOptions(o.apiUrl)).setToken(o.token);
  const route = o.guildId ? Routes.applicationGuildCommands(o.applicationId, o.guildId) : Routes.applicationCommands(o.applicationId);
  const saved = (await rest.put(route, { body: [incidentCommand(o.policy)] })) as { name: string }[];
  return { scope: o.guildId ? `guild ${o.guildId}` : "global", names: saved.map((c) => c.name) };
}
