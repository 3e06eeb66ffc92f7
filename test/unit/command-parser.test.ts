/** The one /incident grammar: what each subcommand parses to, and the refusal for each kind of bad input. */
import { describe, expect, it } from "vitest";
import { parseCommand, TITLE_MAX, validateDeclare, type DeclareFields } from "../../src/commands/parser.js";
import { DEFAULT_POLICY } from "../../src/domain/policy.js";

const parse = (line: string) => parseCommand(line, DEFAULT_POLICY);
const ok = (line: string) => {
  const r = parse(line);
  if (!r.ok) throw new Error(`${line}: ${r.refusal.message}`);
  return r.value;
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

  it("declare with an unquoted title of several words and no levels", () => {
    expect(ok("declare Checkout is slow")).toMatchObject({ name: "declare", title: "Checkout is slow", impact: undefined, urgency: undefined });
    expect(ok("declare 'single quoted' --impact I3 --urgency U3")).toMatchObject({ title: "single quoted" });
    expect(ok('declare Outage --service="Payments API"')).toMatchObject({ title: "Outage", service: "Payments API" });
  });

  it("status, list, ack, investigating, help", () => {
    expect(ok("status")).toEqual({ name: "status", incident: undefined });
    expect(ok("status --incident inc-2026-0042")).toEqual({ name: "status", incident: "INC-2026-0042" });
    expect(ok("list")).toEqual({ name: "list", all: false });
    expect(ok("list --all")).toEqual({ name: "list", all: true });
    expect(ok("ack --incident INC-2026-0001")).toEqual({ name: "ack", incident: "INC-2026-0001" });
    expect(ok("investigating")).toEqual({ name: "investigating", incident: undefined });
    expect(ok("help declare")).toEqual({ name: "help", topic: "declare" });
    expect(ok("")).toEqual({ name: "help" });
  });

  it("classify with one or both levels", () => {
    expect(ok("classify --impact I2")).toEqual({ name: "classify", impact: "I2", urgency: undefined, incident: undefined });
    expect(ok("classify --impact I1 --urgency u1 --incident INC-2026-0007")).toEqual({ name: "classify", impact: "I1", urgency: "U1", incident: "INC-2026-0007" });
  });

  it("role with the user in any platform's mention syntax", () => {
    expect(ok("role im @alice")).toEqual({ name: "role", role: "im", user: "alice", incident: undefined });
    expect(ok("role lead <@U123ABC|carol>")).toMatchObject({ role: "lead", user: "U123ABC" });
    expect(ok("role comms <@!998877>")).toMatchObject({ role: "comms", user: "998877" });
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
    expect(refused("declare --impact I1 --urgency U1")).toMatchObject({ code: "E_MISSING_ARGUMENT", message: "The title is missing." });
    expect(refused("resolve").code).toBe("E_MISSING_ARGUMENT");
    expect(refused("mitigated   ").code).toBe("E_MISSING_ARGUMENT");
    expect(refused("role im").message).toBe("Name the user, e.g. @alice.");
    expect(refused("classify")).toMatchObject({ code: "E_MISSING_ARGUMENT", message: "Give a new impact, a new urgency, or both." });
    expect(refused("declare x --impact").code).toBe("E_MISSING_ARGUMENT");
  });

  it("text over the limit says how long it is and what the limit is", () => {
    const r = refused(`declare "${"x".repeat(TITLE_MAX + 1)}" --impact I1 --urgency U1`);
    expect(r.code).toBe("E_TEXT_TOO_LONG");
    expect(r.message).toBe(`The title is ${TITLE_MAX + 1} characters; the limit is ${TITLE_MAX}. Shorten it.`);
    expect(ok(`declare "${"x".repeat(TITLE_MAX)}"`)).toMatchObject({ name: "declare" });
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

describe("validateDeclare (modal forms)", () => {
  const form = (over: Partial<DeclareFields>): DeclareFields => ({
    title: "Payment API down", impact: "I1", urgency: "U2", description: undefined, nature: undefined, service: undefined, customer: undefined, ...over,
  });

  it("accepts a complete form", () => {
    expect(validateDeclare(form({ nature: "network" }), DEFAULT_POLICY)).toEqual({
      ok: true,
      value: expect.objectContaining({ title: "Payment API down", impact: "I1", urgency: "U2", nature: "network" }),
    });
  });

  it("answers per field, every field at once", () => {
    const r = validateDeclare(form({ title: " ", impact: undefined, urgency: "U9", service: "s".repeat(TITLE_MAX + 5) }), DEFAULT_POLICY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      title: "The title is missing.",
      impact: "Choose the impact.",
      urgency: 'Urgency must be one of U1, U2, U3 (got "U9").',
      service: `The service is ${TITLE_MAX + 5} characters; the limit is ${TITLE_MAX}. Shorten it.`,
    });
  });
});
