import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, ENV_VARS, loadEnv, loadPolicy, parsePolicy, policySchema } from "../../src/config.js";
import { DEFAULT_POLICY, type PriorityMatrix } from "../../src/domain/policy.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The ConfigError thrown by `fn` (fails the test if none). */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).name).toBe("ConfigError");
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const clone = <T>(v: T): T => structuredClone(v);

describe("loadEnv", () => {
  it("gives the defaults when nothing is set", () => {
    expect(loadEnv({})).toEqual({
      dataDir: "./data",
      pgliteDir: path.join("./data", "pglite"),
      logLevel: "info",
      schedulerPollSeconds: 5,
      timerRetentionHours: 24,
      port: 3000,
      portGiven: false,
      console: { user: "you", announcementsChannel: "announcements" },
      alertsMaxBytes: 1048576,
    });
  });

  it("treats empty and blank strings as unset", () => {
    const blank = Object.fromEntries(ENV_VARS.map((v) => [v, ""]));
    expect(loadEnv({ ...blank, LOG_LEVEL: "  " })).toEqual(loadEnv({}));
  });

  it("reads every variable into the camelCased shape", () => {
    const env = loadEnv({
      DATABASE_URL: "postgresql://bot:pw@db.example:5432/incidents",
      DATA_DIR: "/var/lib/bot",
      POLICY_FILE: "policy.yaml",
      LOG_LEVEL: "DEBUG",
      SCHEDULER_POLL_SECONDS: "10",
      PORT: "8080",
      SLACK_BOT_TOKEN: "xoxb-fake",
      SLACK_APP_TOKEN: "xapp-fake",
      SLACK_API_URL: "http://localhost:9999/api/",
      SLACK_ANNOUNCEMENTS_CHANNEL: "#incidents",
      DISCORD_TOKEN: "fake-discord",
      DISCORD_GUILD_ID: "123",
      CONSOLE_USER: "alice",
      ANNOUNCEMENTS_CHANNEL: "news",
      ALERTS_TOKEN: "a-token-of-32-characters-0123456",
      ALERTS_MAX_BYTES: "65536",
    });
    expect(env).toEqual({
      databaseUrl: "postgresql://bot:pw@db.example:5432/incidents",
      dataDir: "/var/lib/bot",
      pgliteDir: "/var/lib/bot/pglite",
      policyFile: "policy.yaml",
      logLevel: "debug",
      schedulerPollSeconds: 10,
      timerRetentionHours: 24,
      port: 8080,
      portGiven: true,
      console: { user: "alice", announcementsChannel: "news" },
      slack: {
        botToken: "xoxb-fake",
        mode: "socket",
        appToken: "xapp-fake",
        apiUrl: "http://localhost:9999/api/",
        announcementsChannel: "#incidents",
      },
      discord: { token: "fake-discord", guildId: "123" },
      alertsToken: "a-token-of-32-characters-0123456",
      alertsMaxBytes: 65536,
    });
    expect(loadEnv({ SLACK_BOT_TOKEN: "xoxb-fake", SLACK_SIGNING_SECRET: "s" }).slack?.mode).toBe("http");
  });

  it.each([
    ["LOG_LEVEL", "verbose", /LOG_LEVEL must be one of "debug", "info", "warn", "error" \(got "verbose"\)/],
    ["SCHEDULER_POLL_SECONDS", "0", /SCHEDULER_POLL_SECONDS must be a whole number from 1 to 60 \(got "0"\)/],
    ["SCHEDULER_POLL_SECONDS", "61", /SCHEDULER_POLL_SECONDS must be a whole number from 1 to 60/],
    ["SCHEDULER_POLL_SECONDS", "2.5", /SCHEDULER_POLL_SECONDS must be a whole number from 1 to 60/],
    ["PORT", "http", /PORT must be a whole number from 0 to 65535/],
    ["DATABASE_URL", "mysql://root:hunter2@db/x", /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
    ["DATABASE_URL", "not a url", /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
    ["SLACK_API_URL", "ftp://x", /SLACK_API_URL must be an http:\/\/ or https:\/\/ URL/],
    ["ALERTS_TOKEN", "short", /ALERTS_TOKEN must be at least 16 characters/],
    ["ALERTS_MAX_BYTES", "10", /ALERTS_MAX_BYTES must be a whole number from 1024 to 67108864/],
  ])("rejects %s=%s naming the variable", (name, value, message) => {
    const extra = name.startsWith("SLACK_") ? { SLACK_BOT_TOKEN: "xoxb-fake", SLACK_APP_TOKEN: "xapp-fake" } : {};
    const err = configErrorOf(() => loadEnv({ ...extra, [name]: value }));
    expect(err.message).toMatch(message);
  });

  it("never echoes the database password", () => {
    const err = configErrorOf(() => loadEnv({ DATABASE_URL: "mysql://root:hunter2@db/x" }));
    expect(err.message).not.toContain("hunter2");
  });

  it("lists every problem at once", () => {
    const err = configErrorOf(() => loadEnv({ LOG_LEVEL: "loud", PORT: "-1" }));
    expect(err.issues).toHaveLength(2);
    expect(err.message).toMatch(/^Invalid environment has 2 problems:/);
  });

  it("refuses adapter settings without the adapter's token, and Slack without a way to receive events", () => {
    expect(configErrorOf(() => loadEnv({ SLACK_APP_TOKEN: "xapp-fake" })).message).toMatch(
      /SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not/,
    );
    expect(configErrorOf(() => loadEnv({ DISCORD_GUILD_ID: "1" })).message).toMatch(
      /DISCORD_GUILD_ID is set but DISCORD_TOKEN is not/,
    );
    expect(configErrorOf(() => loadEnv({ SLACK_BOT_TOKEN: "xoxb-fake" })).message).toMatch(
      /SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN/,
    );
  });

  it("takes DISCORD_PUBLIC_KEY as 64 hex characters and refuses anything else", () => {
    const key = "AB".repeat(32);
    expect(loadEnv({ DISCORD_TOKEN: "t", DISCORD_PUBLIC_KEY: key }).discord).toEqual({ token: "t", publicKey: key.toLowerCase() });
    expect(configErrorOf(() => loadEnv({ DISCORD_TOKEN: "t", DISCORD_PUBLIC_KEY: "abc" })).message).toMatch(/DISCORD_PUBLIC_KEY .*64 hexadecimal characters/);
  });

  it(".env.example lists every variable with a comment, and loads as the defaults", () => {
    const lines = fs.readFileSync(path.join(root, ".env.example"), "utf8").split("\n");
    const values: Record<string, string> = {};
    lines.forEach((line, i) => {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (!m) return;
      values[m[1]!] = m[2]!;
      expect(lines[i - 1], `comment above ${m[1]}`).toMatch(/^# .*Default/);
    });
    expect(Object.keys(values).sort()).toEqual([...ENV_VARS].sort());
    expect(loadEnv(values)).toEqual(loadEnv({}));
  });
});

describe("parsePolicy / loadPolicy", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("returns the defaults for no file and for an empty file", () => {
    expect(loadPolicy(undefined)).toEqual(DEFAULT_POLICY);
    expect(loadPolicy(undefined)).not.toBe(DEFAULT_POLICY);
    expect(parsePolicy(null)).toEqual(DEFAULT_POLICY);
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
    expect(policySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
  });

  it("merges an override of P1's SLA, keeping the rest of the defaults", () => {
    const p = parsePolicy({ sla: { P1: { respondMinutes: 10, resolveMinutes: 120 } } });
    expect(p.sla.P1).toEqual({ respondMinutes: 10, resolveMinutes: 120, clock: "24x7" });
    expect(p.sla.P2).toEqual(DEFAULT_POLICY.sla.P2);
    expect(p.sla.P3).toEqual(DEFAULT_POLICY.sla.P3);
    expect({ ...p, sla: DEFAULT_POLICY.sla }).toEqual(DEFAULT_POLICY);
  });

  it("merges cadences per priority (null removes one) and business hours per key", () => {
    const p = parsePolicy({
      updateCadenceMinutes: { P1: 15, P2: null },
      businessHours: { timezone: "Asia/Tokyo", holidays: ["2026-01-01"] },
    });
    expect(p.updateCadenceMinutes).toEqual({ P1: 15 });
    expect(p.businessHours).toEqual({ ...DEFAULT_POLICY.businessHours, timezone: "Asia/Tokyo", holidays: ["2026-01-01"] });
  });

  it("loads examples/policy-4x4.yaml: 4×4 cells and the named priorities", () => {
    const p = loadPolicy(path.join(root, "examples/policy-4x4.yaml"));
    const { impacts, urgencies, priorities, cells } = p.matrix;
    expect(impacts).toHaveLength(4);
    expect(urgencies).toHaveLength(4);
    expect(Object.keys(cells)).toHaveLength(4);
    for (const i of impacts) expect(Object.keys(cells[i.id]!)).toEqual(urgencies.map((u) => u.id));
    expect(priorities.map((x) => x.label)).toEqual(["Emergency", "High", "Standard", "Scheduled"]);
    // New priority ids: the default P1..P3 SLAs and cadences are not carried over.
    expect(Object.keys(p.sla).sort()).toEqual(priorities.map((x) => x.id).sort());
    expect(Object.keys(p.updateCadenceMinutes).every((id) => priorities.find((x) => x.id === id)?.communication)).toBe(true);
    expect(p.businessHours.timezone).not.toBe(DEFAULT_POLICY.businessHours.timezone);
    expect(p.businessHours.holidays).toHaveLength(2);
    expect(p.natures).toEqual(DEFAULT_POLICY.natures);
  });

  it("loads a JSON policy file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "incident-bot-config-"));
    dirs.push(dir);
    const file = path.join(dir, "policy.json");
    fs.writeFileSync(file, JSON.stringify({ natures: ["network", "database"], referencePrefix: "OPS" }));
    const p = loadPolicy(file);
    expect(p.natures).toEqual(["network", "database"]);
    expect(p.referencePrefix).toBe("OPS");
    expect(p.matrix).toEqual(DEFAULT_POLICY.matrix);

    fs.writeFileSync(path.join(dir, "bad.json"), "{ nope");
    expect(configErrorOf(() => loadPolicy(path.join(dir, "bad.json"))).message).toMatch(/bad\.json: is not valid JSON/);
    expect(configErrorOf(() => loadPolicy(path.join(dir, "missing.yaml"))).message).toMatch(/missing\.yaml: cannot be read \(no such file\)/);
    expect(configErrorOf(() => loadPolicy(path.join(dir, "policy.toml"))).message).toMatch(/unsupported extension "\.toml"/);
  });

  describe("validation messages", () => {
    const bad = (raw: unknown) => configErrorOf(() => parsePolicy(raw, "policy.yaml")).message;
    const matrixWith = (edit: (m: PriorityMatrix) => void) => {
      const matrix = clone(DEFAULT_POLICY.matrix);
      edit(matrix);
      return { matrix };
    };

    it("permissions: a rule per command of the table, merged over the defaults", () => {
      expect(parsePolicy({ permissions: { update: "responder", "rca approve": "manager" } }).permissions).toEqual({ update: "responder", "rca approve": "manager" });
      expect(bad({ permissions: { launch: "anyone" } })).toContain("permissions.launch is not a command; permissions take: declare, status, list, join,");
      expect(bad({ permissions: { update: "everybody" } })).toContain("permissions.update");
    });

    it("unknown priority in a cell", () => {
      expect(bad(matrixWith((m) => (m.cells.I2!.U3 = "P9")))).toBe(
        'Policy file policy.yaml: matrix.cells.I2.U3 references unknown priority "P9"; known: P1, P2, P3.',
      );
    });

    it("unknown impact or urgency in the cells", () => {
      expect(bad(matrixWith((m) => (m.cells.I1!.U7 = "P1")))).toContain('matrix.cells.I1.U7 references unknown urgency "U7"; known: U1, U2, U3.');
      expect(bad(matrixWith((m) => (m.cells.I7 = { U1: "P1" })))).toContain('matrix.cells.I7 references unknown impact "I7"; known: I1, I2, I3.');
    });

    it("missing cell", () => {
      expect(bad(matrixWith((m) => delete m.cells.I3!.U2))).toBe(
        "Policy file policy.yaml: matrix.cells.I3.U2 is missing; every impact × urgency pair needs a priority (one of P1, P2, P3).",
      );
      expect(bad(matrixWith((m) => delete m.cells.I3))).toContain("matrix.cells.I3 is missing");
    });

    it("bad clock", () => {
      expect(bad({ sla: { P1: { clock: "always" } } })).toBe(
        'Policy file policy.yaml: sla.P1.clock must be one of "24x7", "business" (got "always").',
      );
    });

    it("bad time", () => {
      expect(bad({ businessHours: { week: { mon: [{ start: "9:00", end: "17:00" }] } } })).toBe(
        'Policy file policy.yaml: businessHours.week.mon.0.start must be a time "HH:MM" from 00:00 to 23:59 (got "9:00").',
      );
      expect(bad({ businessHours: { week: { mon: [{ start: "09:00", end: "25:00" }] } } })).toContain(
        "businessHours.week.mon.0.end must be a time",
      );
    });

    it("end not after start", () => {
      expect(bad({ businessHours: { week: { tue: [{ start: "17:00", end: "09:00" }] } } })).toBe(
        'Policy file policy.yaml: businessHours.week.tue.0.end must be later than start 17:00 (got "09:00").',
      );
      expect(bad({ businessHours: { week: { tue: [{ start: "09:00", end: "09:00" }] } } })).toContain("must be later than start 09:00");
    });

    it("overlapping intervals, and business-clock SLAs with no business hours", () => {
      expect(
        bad({ businessHours: { week: { wed: [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "13:00" }] } } }),
      ).toContain("businessHours.week.wed.1 overlaps 09:00–12:00");
      expect(bad({ businessHours: { week: {} } })).toContain("businessHours.week has no working hours, but sla.P3 counts on the business clock");
    });

    it("bad timezone", () => {
      expect(bad({ businessHours: { timezone: "Mars/Olympus" } })).toBe(
        'Policy file policy.yaml: businessHours.timezone must be an IANA time zone such as "Europe/Paris" or "America/New_York" (got "Mars/Olympus").',
      );
    });

    it("bad holiday date", () => {
      expect(bad({ businessHours: { holidays: ["2026-12-25", "25/12/2026"] } })).toBe(
        'Policy file policy.yaml: businessHours.holidays.1 must be a date "YYYY-MM-DD" naming a real day (got "25/12/2026").',
      );
      expect(bad({ businessHours: { holidays: ["2026-02-30"] } })).toContain("businessHours.holidays.0 must be a date");
    });

    it("missing SLA for a priority", () => {
      const m = matrixWith((mx) => {
        mx.priorities.push({ id: "P4", label: "Planned", communication: false });
        mx.cells.I3!.U3 = "P4";
      });
      expect(bad(m)).toBe(
        "Policy file policy.yaml: sla.P4 is missing; every priority needs an SLA target { respondMinutes, resolveMinutes, clock }.",
      );
      // A new priority with a partial SLA names the missing field.
      expect(bad({ ...m, sla: { P4: { respondMinutes: 60 } } })).toContain(
        "sla.P4.resolveMinutes is missing; it must be a positive whole number of minutes.",
      );
    });

    it("minutes must be positive whole numbers", () => {
      expect(bad({ sla: { P2: { respondMinutes: 1.5 } } })).toContain("sla.P2.respondMinutes must be a positive whole number of minutes (got 1.5).");
      expect(bad({ updateCadenceMinutes: { P1: 0 } })).toContain("updateCadenceMinutes.P1 must be a positive whole number of minutes (got 0).");
    });

    it("unknown keys, unknown priorities in sla / cadences, cadence for a non-communicating priority", () => {
      expect(bad({ sla: { P1: { respond: 5 } } })).toContain('sla.P1 has unknown key "respond"; allowed: respondMinutes, resolveMinutes, clock.');
      expect(bad({ slas: {} })).toContain('the policy has unknown key "slas"; allowed: matrix, sla,');
      expect(bad({ sla: { P9: { respondMinutes: 1, resolveMinutes: 2, clock: "24x7" } } })).toContain(
        'sla.P9 references unknown priority "P9"; known: P1, P2, P3.',
      );
      expect(bad({ updateCadenceMinutes: { P3: 60 } })).toContain('updateCadenceMinutes.P3 is set but priority "P3" does not follow the communication process');
    });

    it("several problems are listed together", () => {
      const err = configErrorOf(() => parsePolicy({ sla: { P1: { clock: "always" } }, natures: [] }, "p.yaml"));
      expect(err.issues).toHaveLength(2);
      expect(err.message).toMatch(/^Policy file p\.yaml has 2 problems:\n- /);
    });
  });
});
