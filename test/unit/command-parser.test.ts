/** The one /incident grammar: what each subcommand parses to, and the refusal for each kind of bad input. */
import { describe, expect, it } from "vitest";
import { commandFrom, parseLine, TITLE_MAX } from "../../src/commands/parser.js";
import { helpText } from "../../src/commands/usage.js";
import { incidentCommand } from "../../src/adapters/discord/commands.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";
import { loadPolicy } from "../../src/config/policy-file.js";

const parse = (line: string, platform = "console") => parseLine(line, DEFAULT_POLICY, platform);
const ok = (line: string) => {
  const r = parse(line);
  if (!r.ok) throw new Error(`${line}: ${r.refusal.message}`);
  if (r.value.kind !== "command") throw new Error(`${line} opens a form`);
  return r.value.command;
};
const form = (line: string) => {
  const r = parse(line);
  if (!r.ok || r.value.kind !== "form") throw new Error(`${line} does not open a form`);
  return r.value.form;
};
const refused = (line: string) => {
  const r = parse(line);
  if (r.ok) throw new Error(`${line} parsed: ${JSON.stringify(r.value)}`);
  return r.refusal;
};

describe("parses every subcommand", () => {
  it("declare with a quoted title and every flag", () => {
    expect(
      ok(`declare "Payment API down" --impact i1 --urgency U2 --nature network --service payments --customer "ACME Corp" --detected-by customer --description "500s on /pay" --im @bob`),
    ).toEqual({
      name: "declare",
      title: "Payment API down",
      impact: "I1",
      urgency: "U2",
      nature: "network",
      service: "payments",
      customer: "ACME Corp",
      detectedBy: "customer",
      description: "500s on /pay",
      im: "bob",
    });
  });

  it("declare with an unquoted title of several words and no levels opens the form, pre-filled", () => {
    expect(form("declare Checkout is slow")).toMatchObject({ name: "declare", values: { title: "Checkout is slow" }, missing: ["impact", "urgency"] });
    expect(form("declare")).toMatchObject({ name: "declare", missing: ["title", "impact", "urgency"] });
    expect(form("declare").fields.map((f) => f.name)).toEqual(["title", "impact", "urgency", "description", "nature", "service", "customer", "detected-by", "im", "parent"]);
    expect(ok("declare 'single quoted' --impact I3 --urgency U3")).toMatchObject({ title: "single quoted" });
    expect(ok('declare Outage --service="Payments API" --impact I2 --urgency U2')).toMatchObject({ title: "Outage", service: "Payments API" });
  });

  it("status, list, ack, investigating, help", () => {
    expect(ok("status")).toEqual({ name: "status", incident: undefined });
    expect(ok("status --incident inc-2026-0042")).toEqual({ name: "status", incident: "INC-2026-0042" });
    expect(ok("list")).toEqual({ name: "list", all: false });
    expect(ok("list --all")).toEqual({ name: "list", all: true });
    expect(ok("ack --incident INC-2026-0001")).toEqual({ name: "ack", incident: "INC-2026-0001" });
    expect(ok("investigating")).toEqual({ name: "investigating", incident: undefined });
    expect(ok("help declare")).toEqual({ name: "help", topic: "declare" });
    expect(ok("join")).toEqual({ name: "join", incident: undefined });
    expect(ok("")).toEqual({ name: "help" });
  });

  it("classify with one or both levels", () => {
    expect(ok("classify --impact I2")).toEqual({ name: "classify", impact: "I2", urgency: undefined, incident: undefined });
    expect(ok("classify --impact I1 --urgency u1 --incident INC-2026-0007")).toEqual({ name: "classify", impact: "I1", urgency: "U1", incident: "INC-2026-0007" });
  });

  it("role with the user in any platform's mention syntax", () => {
    expect(ok("role im @alice")).toEqual({ name: "role", role: "im", user: "alice", incident: undefined });
    const on = (line: string, platform: string) => {
      const r = parse(line, platform);
      return r.ok && r.value.kind === "command" ? r.value.command : r;
    };
    expect(on("role lead <@U123ABC|carol>", "slack")).toMatchObject({ role: "lead", user: "U123ABC" });
    expect(on("role comms <@!998877665544332211>", "discord")).toMatchObject({ role: "comms", user: "998877665544332211" });
    // A mention of another platform, or a mass mention, is not a user here.
    expect(on("role im <@!998877665544332211>", "slack")).toMatchObject({ ok: false, refusal: { code: "E_BAD_ARGUMENT" } });
    expect(on('role im "<!channel>"', "slack")).toMatchObject({ ok: false, refusal: { code: "E_BAD_ARGUMENT" } });
  });

  it("wait, mitigated, resolve and reopen keep their text", () => {
    expect(ok("wait vendor")).toEqual({ name: "wait", on: "vendor", incident: undefined });
    expect(ok("mitigated traffic moved to the standby region")).toEqual({ name: "mitigated", text: "traffic moved to the standby region", incident: undefined });
    expect(ok('resolve "rolled back release 42" --incident INC-2026-0002')).toEqual({ name: "resolve", summary: "rolled back release 42", incident: "INC-2026-0002" });
    expect(ok("reopen errors are back")).toEqual({ name: "reopen", reason: "errors are back", incident: undefined });
  });
});

describe("refuses bad input with a stable code, one sentence and the usage line", () => {
  it("unknown subcommand, with a guess when one is close", () => {
    const r = refused("delcare outage");
    expect(r.code).toBe("E_UNKNOWN_SUBCOMMAND");
    expect(r.message).toBe('Unknown subcommand "delcare". Did you mean "declare"? Try /incident help.');
    expect(r.usage).toMatch(/^\/incident <subcommand>/);
    expect(refused("frobnicate").message).toBe('Unknown subcommand "frobnicate". Try /incident help.');
  });

  it("bad impact or urgency level", () => {
    const r = refused("declare x --impact I9 --urgency U1");
    expect(r.code).toBe("E_BAD_LEVEL");
    expect(r.message).toBe('Impact must be one of I1, I2, I3 (got "I9").');
    expect(r.usage).toMatch(/^\/incident declare <title>/);
    expect(refused("classify --urgency U7").code).toBe("E_BAD_LEVEL");
  });

  it("missing title, text and arguments", () => {
    expect(form("declare --impact I1 --urgency U1")).toMatchObject({ missing: ["title"] });
    expect(form("resolve")).toMatchObject({ name: "resolve", missing: ["summary"] });
    expect(form("mitigated   ")).toMatchObject({ name: "mitigated", missing: ["text"] });
    expect(refused("role im").message).toBe("The user is missing.");
    expect(refused("classify")).toMatchObject({ code: "E_MISSING_ARGUMENT", message: "Give a new impact, a new urgency, or both." });
    expect(refused("declare x --impact").code).toBe("E_MISSING_ARGUMENT");
  });

  it("text over the limit says how long it is and what the limit is", () => {
    const r = refused(`declare "${"x".repeat(TITLE_MAX + 1)}" --impact I1 --urgency U1`);
    expect(r.code).toBe("E_TEXT_TOO_LONG");
    expect(r.message).toBe(`The title is ${TITLE_MAX + 1} characters; the limit is ${TITLE_MAX}. Shorten it.`);
    expect(ok(`declare "${"x".repeat(TITLE_MAX)}" --impact I1 --urgency U1`)).toMatchObject({ name: "declare" });
  });

  it("unknown option, bad choice, bad reference, unterminated quote", () => {
    expect(refused("declare x --colour red")).toMatchObject({ code: "E_BAD_ARGUMENT" });
    expect(refused("declare x --colour red").message).toMatch(/^Unknown option --colour; this command takes: /);
    expect(refused("wait forever").message).toBe('What you wait on must be one of customer, vendor (got "forever").');
    expect(refused("role boss @bob").code).toBe("E_BAD_LEVEL");
    expect(refused("declare x --detected-by psychic").code).toBe("E_BAD_LEVEL");
    expect(refused("status --incident 42")).toMatchObject({ code: "E_BAD_ARGUMENT", message: '--incident takes a reference such as INC-2026-0042 (got "42").' });
    expect(refused('declare "unterminated --impact I1').code).toBe("E_BAD_ARGUMENT");
  });
});

describe("forms and other surfaces give raw values, checked by the same rules", () => {
  const from = (raw: Record<string, string | undefined>) => commandFrom("declare", raw, DEFAULT_POLICY, "slack");

  it("accepts a complete form", () => {
    expect(from({ title: "Payment API down", impact: "I1", urgency: "U2", nature: "network", im: "<@UBOB000002>" })).toEqual({
      ok: true,
      value: { kind: "command", command: expect.objectContaining({ name: "declare", title: "Payment API down", impact: "I1", urgency: "U2", nature: "network", im: "UBOB000002" }) },
    });
  });

  it("refuses a bad value with the field it is about", () => {
    const r = from({ title: "x", impact: "I1", urgency: "U9" });
    expect(r).toMatchObject({ ok: false, refusal: { code: "E_BAD_LEVEL", message: 'Urgency must be one of U1, U2, U3 (got "U9").', context: { path: "urgency" } } });
    expect(from({ title: "x", impact: "I1", urgency: "U1", service: "s".repeat(TITLE_MAX + 5) })).toMatchObject({ ok: false, refusal: { code: "E_TEXT_TOO_LONG" } });
  });
});

describe("input is checked once, at the entry", () => {
  it("refuses control characters, in a line or a field, and echoes at most a short excerpt", () => {
    expect(refused("declare \"Pay\u0000ment\" --impact I1 --urgency U1")).toMatchObject({ code: "E_BAD_ARGUMENT", message: "Your command contains a control character (U+0000); remove it and try again." });
    expect(commandFrom("update", { text: "ok\u0085", incident: "INC-2026-0001" }, DEFAULT_POLICY, "slack")).toMatchObject({ ok: false, refusal: { message: "The update contains a control character (U+0085); remove it and try again." } });
    const long = refused(`declare x --impact ${"I".repeat(100_000)} --urgency U1`);
    expect(long.message.length).toBeLessThan(120);
    expect(long.message).toMatch(/\(got "I{39}…"\)\.$/);
  });

  it("help for an unknown topic says so and lists the topics", () => {
    const r = refused("help frobnicate");
    expect(r.code).toBe("E_UNKNOWN_SUBCOMMAND");
    expect(r.message).toMatch(/^No help topic "frobnicate"\. Topics: declare, status, list, join, /);
  });
});

describe("the table is the one source of the grammar", () => {
  it("help and Discord's registration show the policy's levels (a 4 × 4 matrix)", () => {
    const policy = loadPolicy("examples/policy-4x4.yaml");
    const help = helpText(policy, "declare").text;
    expect(help).toContain("--impact I1|I2|I3|I4");
    const declare = incidentCommand(policy).options!.find((o) => o.name === "declare") as { options: { name: string; choices?: unknown[] }[] };
    expect(declare.options.map((o) => o.name)).toEqual(["title", "impact", "urgency", "description", "nature", "service", "customer", "detected-by", "im", "parent"]);
    expect(declare.options.find((o) => o.name === "impact")!.choices).toHaveLength(4);
  });
});
