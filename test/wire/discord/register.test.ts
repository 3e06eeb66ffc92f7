/**
 * `npm run discord:register` as a user runs it, against the fake Discord API: one PUT of the guild's
 * commands with every subcommand, typed options, the policy's levels (with their definitions) as
 * choices, and autocomplete on incident references. Without an application id it says what to set.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, FakeDiscordApi, GUILD_ID } from "../../support/fake-discord-api.js";

const run = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|POLICY_FILE|SLACK_|DISCORD_)/.test(k)));

describe("npm run discord:register", () => {
  let api: FakeDiscordApi;
  beforeAll(async () => {
    api = await FakeDiscordApi.start();
  });
  afterAll(() => api.close());

  const register = (env: Record<string, string>) =>
    run("npm", ["run", "--silent", "discord:register"], { cwd: root, env: { ...clean, DISCORD_TOKEN: "test-token", DISCORD_API_URL: api.url, ...env } }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );

  it("PUTs /incident for the guild with subcommands, typed options and choices", async () => {
    const r = await register({ DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID });
    expect(r.stdout).toContain(`registered /incident (guild ${GUILD_ID})`);
    const [put] = api.callsTo("PUT", new RegExp(`^/applications/${APP_ID}/guilds/${GUILD_ID}/commands$`));
    expect(put!.auth).toBe("Bot test-token");
    const [cmd] = put!.body as { name: string; options: { name: string; type: number; options: Record<string, any>[] }[] }[];
    expect(cmd!.name).toBe("incident");
    expect(cmd!.options.map((s) => s.name)).toEqual(["declare", "status", "list", "join", "classify", "role", "ack", "investigating", "wait", "mitigated", "resolve", "link", "unlink", "reopen", "update", "comms", "escalate", "rca", "action", "timeline", "report", "close", "stats", "oncall", "help"]);
    expect(cmd!.options.every((s) => s.type === 1)).toBe(true);
    const declare = Object.fromEntries(cmd!.options[0]!.options.map((o) => [o.name, o]));
    expect(declare.title).toMatchObject({ type: 3, required: true, max_length: 150 });
    expect(declare.impact!.choices).toEqual([
      { name: "I1 — Total outage: Total unavailability of production.", value: "I1" },
      { name: "I2 — Major degradation: Significant unavailability or degradation of production.", value: "I2" },
      { name: "I3 — Minor: Insignificant or no impact on production.", value: "I3" },
    ]);
    expect(declare.urgency!.choices[0]).toEqual({ name: "U1 — Critical business: Failure carries significant financial risk or contractual (SLA) constraints.", value: "U1" });
    expect(declare.nature!.choices.map((c: { value: string }) => c.value)).toContain("network");
    expect(declare["detected-by"]!.choices.map((c: { value: string }) => c.value)).toEqual(["monitoring", "staff", "customer"]);
    expect(declare.im).toMatchObject({ type: 6 });
    const wait = cmd!.options.find((s) => s.name === "wait")!;
    expect(wait.options[0]).toMatchObject({ name: "on", required: true, choices: [{ name: "customer", value: "customer" }, { name: "vendor", value: "vendor" }] });
    expect(wait.options[1]).toMatchObject({ name: "incident", type: 3, autocomplete: true });
  });

  it("without DISCORD_APPLICATION_ID it says what to set", async () => {
    const r = (await register({})) as { stderr: string; code: number };
    expect(r.code).toBe(78);
    expect(r.stderr).toContain("DISCORD_APPLICATION_ID is not set");
  });
});
