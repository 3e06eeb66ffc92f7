/**
 * Who is on call at chosen instants: hand-offs, window edges (wrap-around included), both 2026
 * daylight-saving changes in Europe/Paris (29 March, 25 October), a holiday, a schedule in a second
 * timezone (America/New_York, whose changes fall on 8 March and 1 November), a higher layer winning.
 */
import { describe, expect, it } from "vitest";
import { nextHandOff, onCallAt, type OnCallLayer, type Schedule } from "../../src/domain/oncall/schedule.js";
import { parsePolicy } from "../../src/config/policy-file.js";
import { levelTargets } from "../../src/domain/escalation/ladder.js";
import { parseLine } from "../../src/commands/parser.js";
import { instant } from "../../src/commands/run-oncall.js";
import { nextChange, shiftsBetween, whoIsOnCall, type Override } from "../../src/domain/oncall/overrides.js";

const HOLIDAYS = ["2026-05-01"];

/** Weekly off-hours rotation under a daily business-hours desk (the desk wins 09:00–17:30 on weekdays). */
const oncall: OnCallLayer = {
  name: "oncall",
  participants: { console: ["olivia", "oscar", "owen"], slack: ["U_OLIVIA", "U_OSCAR", "U_OWEN"] },
  handOff: "09:00",
  period: "weekly",
  start: "2026-03-02",
};
const desk: OnCallLayer = {
  name: "desk",
  participants: { console: ["dana", "dave"] },
  handOff: "09:00",
  period: "daily",
  start: "2026-03-02",
  windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:30" }],
  holidays: "never",
};
const ops: Schedule = { timezone: "Europe/Paris", layers: [oncall, desk] };
const weekly: Schedule = { timezone: "Europe/Paris", layers: [oncall] };
const nights: Schedule = {
  timezone: "Europe/Paris",
  layers: [
    { name: "night", participants: { console: ["nina", "ned"] }, handOff: "09:00", period: "weekly", start: "2026-03-02", windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "17:30", end: "09:00" }] },
    { name: "holiday", participants: { console: ["hugo"] }, handOff: "00:00", period: "daily", start: "2026-01-01", holidays: "only" },
  ],
};
const halfDays: Schedule = { timezone: "Europe/Paris", layers: [{ name: "shifts", participants: { console: ["ann", "bob"] }, handOff: "08:00", period: { hours: 12 }, start: "2026-03-28" }] };
/** Follow the sun, kept in New York time: the Americas 08:00–20:00, APAC 20:00–08:00 (wrapping). */
const sun: Schedule = {
  timezone: "America/New_York",
  layers: [
    { name: "americas", participants: { console: ["amy", "al"] }, handOff: "08:00", period: "daily", start: "2026-03-01", windows: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "08:00", end: "20:00" }] },
    { name: "apac", participants: { console: ["kai"] }, handOff: "20:00", period: "weekly", start: "2026-03-01", windows: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "20:00", end: "08:00" }] },
  ],
};

type Row = [what: string, schedule: Schedule, at: string, platform: string, expected: string | null];
const rows: Row[] = [
  // Weekly hand-off at 09:00 Paris: 08:00Z in winter (CET), 07:00Z in summer (CEST). Weeks from 2 March: olivia, oscar, owen, …
  ["first shift starts at the start date's hand-off", weekly, "2026-03-02T08:00:00Z", "console", "oncall:olivia"],
  ["before the start date nobody", weekly, "2026-03-02T07:59:00Z", "console", null],
  ["week 2 ends at Monday 08:59 CET", weekly, "2026-03-23T07:59:00Z", "console", "oncall:owen"],
  ["week 3 starts at Monday 09:00 CET", weekly, "2026-03-23T08:00:00Z", "console", "oncall:olivia"],
  ["Sunday of the spring change, 01:59 CET", weekly, "2026-03-29T00:59:00Z", "console", "oncall:olivia"],
  ["Sunday of the spring change, 03:00 CEST", weekly, "2026-03-29T01:00:00Z", "console", "oncall:olivia"],
  ["after the spring change 08:59 CEST is still week 3", weekly, "2026-03-30T06:59:00Z", "console", "oncall:olivia"],
  ["after the spring change the hand-off is 09:00 CEST (07:00Z)", weekly, "2026-03-30T07:00:00Z", "console", "oncall:oscar"],
  ["before the autumn change 09:00 CEST (07:00Z)", weekly, "2026-10-19T07:00:00Z", "console", "oncall:olivia"],
  ["after the autumn change 08:59 CET is still week 33", weekly, "2026-10-26T07:59:00Z", "console", "oncall:olivia"],
  ["after the autumn change the hand-off is 09:00 CET (08:00Z)", weekly, "2026-10-26T08:00:00Z", "console", "oncall:oscar"],
  ["the same rotation on Slack", weekly, "2026-10-26T08:00:00Z", "slack", "oncall:U_OSCAR"],
  // The desk (higher layer) wins during business hours; the weekly rotation covers the rest.
  ["Friday 17:29 the desk has it", ops, "2026-03-06T16:29:00Z", "console", "desk:dana"],
  ["Friday 17:30 the desk window ends", ops, "2026-03-06T16:30:00Z", "console", "oncall:olivia"],
  ["Friday 17:31 off-hours", ops, "2026-03-06T16:31:00Z", "console", "oncall:olivia"],
  ["Saturday noon off-hours", ops, "2026-03-07T11:00:00Z", "console", "oncall:olivia"],
  ["Monday 08:59 off-hours, last minute of week 0", ops, "2026-03-09T07:59:00Z", "console", "oncall:olivia"],
  ["Monday 09:00 the desk, day 7 of the daily rotation", ops, "2026-03-09T08:00:00Z", "console", "desk:dave"],
  ["Tuesday 09:00 the desk hands off daily", ops, "2026-03-10T08:00:00Z", "console", "desk:dana"],
  ["no desk on Slack: the lower layer answers there", ops, "2026-03-10T08:00:00Z", "slack", "oncall:U_OSCAR"],
  ["the day before the holiday, 10:00 CEST, the desk", ops, "2026-04-30T08:00:00Z", "console", "desk:dave"],
  ["holiday (1 May) 10:00 CEST: the desk is off, on call has it", ops, "2026-05-01T08:00:00Z", "console", "oncall:owen"],
  ["nobody on a platform no layer names", ops, "2026-05-01T08:00:00Z", "discord", null],
  // Windows that wrap midnight (mon–fri 17:30–09:00), and a holiday-only layer above them.
  ["Friday 17:29 before the night window", nights, "2026-03-06T16:29:00Z", "console", null],
  ["Friday 17:30 the night window opens", nights, "2026-03-06T16:30:00Z", "console", "night:nina"],
  ["Saturday 08:59 still Friday's night", nights, "2026-03-07T07:59:00Z", "console", "night:nina"],
  ["Saturday 09:00 Friday's night is over", nights, "2026-03-07T08:00:00Z", "console", null],
  ["Monday 03:00: Sunday has no night window", nights, "2026-03-09T02:00:00Z", "console", null],
  ["Tuesday 03:00: Monday's night, week 1", nights, "2026-03-10T02:00:00Z", "console", "night:ned"],
  ["Wednesday noon, between windows", nights, "2026-03-11T11:00:00Z", "console", null],
  ["holiday 03:00: the holiday layer has it", nights, "2026-05-01T01:00:00Z", "console", "holiday:hugo"],
  ["the day after the holiday, 03:00: Friday's night again (week 8)", nights, "2026-05-02T01:00:00Z", "console", "night:nina"],
  // A 12-hour rotation counts elapsed hours: 08:00 CET becomes 09:00 CEST after the change.
  ["12-hour shift, before the change", halfDays, "2026-03-28T18:59:00Z", "console", "shifts:ann"],
  ["12-hour shift hands off 12 h later", halfDays, "2026-03-28T19:00:00Z", "console", "shifts:bob"],
  ["12-hour shift across the change: 09:00 CEST", halfDays, "2026-03-29T07:00:00Z", "console", "shifts:ann"],
  // Second timezone: New York changes on 8 March, three weeks before Paris.
  ["New York 07:59 EST is APAC's", sun, "2026-03-06T12:59:00Z", "console", "apac:kai"],
  ["New York 08:00 EST is the Americas'", sun, "2026-03-06T13:00:00Z", "console", "americas:al"],
  ["New York 08:00 EDT, the day after its change (12:00Z)", sun, "2026-03-09T12:00:00Z", "console", "americas:amy"],
  ["New York 07:59 EDT is still APAC's", sun, "2026-03-09T11:59:00Z", "console", "apac:kai"],
  ["New York 20:00 EDT hands over to APAC", sun, "2026-03-10T00:00:00Z", "console", "apac:kai"],
];

describe("onCallAt", () => {
  it("pins at least 30 instants", () => expect(rows.length).toBeGreaterThanOrEqual(30));
  it.each(rows)("%s", (_what, schedule, at, platform, expected) => {
    const r = onCallAt(schedule, new Date(at), platform, HOLIDAYS);
    expect(r ? `${r.layer}:${r.people.join(",")}` : null).toBe(expected);
  });
});

/**
 * Overrides on `ops` (desk by day over the weekly off-hours rotation): a Friday evening, a stretch
 * across the spring change, two overlapping (the later wins), one on Slack only, one over the holiday.
 */
const at = (iso: string) => new Date(iso);
const overrides: Override[] = [
  { id: 1, platform: "console", userId: "zoe", from: at("2026-03-06T16:00:00Z"), to: at("2026-03-07T08:00:00Z") },
  { id: 2, platform: "console", userId: "yann", from: at("2026-03-28T23:00:00Z"), to: at("2026-03-29T07:00:00Z") },
  { id: 3, platform: "console", userId: "xavi", from: at("2026-03-10T08:00:00Z"), to: at("2026-03-10T16:00:00Z") },
  { id: 4, platform: "console", userId: "will", from: at("2026-03-10T12:00:00Z"), to: at("2026-03-10T13:00:00Z") },
  { id: 5, platform: "slack", userId: "U_VERA", from: at("2026-03-10T08:00:00Z"), to: at("2026-03-10T09:00:00Z") },
  { id: 6, platform: "console", userId: "ursula", from: at("2026-04-30T22:00:00Z"), to: at("2026-05-01T22:00:00Z") },
  { id: 7, platform: "console", userId: "tom", from: at("2026-10-25T00:00:00Z"), to: at("2026-10-25T02:00:00Z") },
];
const withOverrides: [what: string, at: string, platform: string, expected: string | null][] = [
  ["Friday 16:59 CET, the override has not started", "2026-03-06T15:59:00Z", "console", "desk:dana"],
  ["Friday 17:00 CET the override starts, above the desk", "2026-03-06T16:00:00Z", "console", "override:zoe"],
  ["Friday 17:31 CET the override still wins over off-hours", "2026-03-06T16:31:00Z", "console", "override:zoe"],
  ["Saturday 08:59 CET, its last minute", "2026-03-07T07:59:00Z", "console", "override:zoe"],
  ["Saturday 09:00 CET, the end is excluded: back to the rotation", "2026-03-07T08:00:00Z", "console", "oncall:olivia"],
  ["an override across the spring change, 01:59 CET", "2026-03-29T00:59:00Z", "console", "override:yann"],
  ["the same override at 03:00 CEST (the hour that does not exist was skipped)", "2026-03-29T01:00:00Z", "console", "override:yann"],
  ["it ends at 09:00 CEST (07:00Z): the rotation again", "2026-03-29T07:00:00Z", "console", "oncall:olivia"],
  ["overlapping overrides: the earlier alone", "2026-03-10T11:59:00Z", "console", "override:xavi"],
  ["overlapping overrides: the later wins where both run", "2026-03-10T12:30:00Z", "console", "override:will"],
  ["overlapping overrides: the earlier again after the later ends", "2026-03-10T13:00:00Z", "console", "override:xavi"],
  ["a Slack override changes nothing on the console", "2026-03-10T08:30:00Z", "console", "override:xavi"],
  ["…and wins on Slack", "2026-03-10T08:30:00Z", "slack", "override:U_VERA"],
  ["on the holiday the override wins over the all-day rotation", "2026-05-01T08:00:00Z", "console", "override:ursula"],
  ["autumn change: 02:30 CEST, the first 02:30 of the night", "2026-10-25T00:30:00Z", "console", "override:tom"],
  ["autumn change: 02:30 CET, the same local time an hour later", "2026-10-25T01:30:00Z", "console", "override:tom"],
  ["autumn change: 03:00 CET the override ends (two hours long, not one)", "2026-10-25T02:00:00Z", "console", "oncall:olivia"],
];

describe("whoIsOnCall with overrides", () => {
  it.each(withOverrides)("%s", (_what, when, platform, expected) => {
    const r = whoIsOnCall(ops, overrides, new Date(when), platform, HOLIDAYS);
    expect(r ? `${r.layer}:${r.people.join(",")}` : null).toBe(expected);
  });
  it("no override: the same answer as the schedule's", () => {
    for (const [, schedule, when, platform] of rows) expect(whoIsOnCall(schedule, [], new Date(when), platform, HOLIDAYS)).toEqual(onCallAt(schedule, new Date(when), platform, HOLIDAYS));
  });
  const next = (when: string, platform?: string) => nextChange(ops, overrides, new Date(when), HOLIDAYS, platform)?.toISOString() ?? null;
  it("the next change is the override's start", () => expect(next("2026-03-06T11:00:00Z", "console")).toBe("2026-03-06T16:00:00.000Z"));
  it("an override hides the hand-offs under it: next is its end", () => expect(next("2026-03-06T16:00:00Z", "console")).toBe("2026-03-07T08:00:00.000Z"));
  it("a change on another platform counts only when asked for every platform", () => {
    expect(next("2026-03-10T07:30:00Z", "slack")).toBe("2026-03-10T08:00:00.000Z");
    expect(next("2026-03-10T08:00:00Z", "slack")).toBe("2026-03-10T09:00:00.000Z");
    expect(next("2026-03-10T08:00:00Z")).toBe("2026-03-10T09:00:00.000Z");
    expect(next("2026-03-10T08:00:00Z", "console")).toBe("2026-03-10T12:00:00.000Z");
  });
  it("shifts of a weekend: the override cuts the rotation's shift in two, across the spring change", () => {
    const shifts = shiftsBetween(ops, overrides, at("2026-03-27T00:00:00Z"), at("2026-03-30T12:00:00Z"), "console", HOLIDAYS);
    expect(shifts.map((s) => [s.start.toISOString(), s.end.toISOString(), `${s.layer}:${s.people.join(",")}`])).toEqual([
      ["2026-03-27T00:00:00.000Z", "2026-03-27T08:00:00.000Z", "oncall:olivia"],
      ["2026-03-27T08:00:00.000Z", "2026-03-27T16:30:00.000Z", "desk:dave"],
      ["2026-03-27T16:30:00.000Z", "2026-03-28T23:00:00.000Z", "oncall:olivia"],
      ["2026-03-28T23:00:00.000Z", "2026-03-29T07:00:00.000Z", "override:yann"],
      ["2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z", "oncall:olivia"],
      ["2026-03-30T07:00:00.000Z", "2026-03-30T12:00:00.000Z", "desk:dana"],
    ]);
  });
});

describe("nextHandOff", () => {
  const next = (s: Schedule, at: string) => nextHandOff(s, new Date(at), HOLIDAYS)?.toISOString() ?? null;
  it("the desk hands over at 17:30 local", () => expect(next(ops, "2026-03-06T11:00:00Z")).toBe("2026-03-06T16:30:00.000Z"));
  it("off-hours on Friday evening last until Monday 09:00", () => expect(next(ops, "2026-03-06T16:31:00Z")).toBe("2026-03-09T08:00:00.000Z"));
  it("the weekly hand-off after the spring change is 09:00 CEST", () => expect(next(weekly, "2026-03-25T12:00:00Z")).toBe("2026-03-30T07:00:00.000Z"));
  it("the weekly hand-off after the autumn change is 09:00 CET", () => expect(next(weekly, "2026-10-21T12:00:00Z")).toBe("2026-10-26T08:00:00.000Z"));
  it("the desk's evening before a holiday hands over to nobody new until the next working day", () =>
    expect(next(ops, "2026-04-30T16:00:00Z")).toBe("2026-05-04T07:00:00.000Z"));
  it("a 12-hour rotation hands off every 12 elapsed hours", () => expect(next(halfDays, "2026-03-29T00:00:00Z")).toBe("2026-03-29T07:00:00.000Z"));
  it("none when nobody ever changes", () => expect(next({ timezone: "UTC", layers: [{ ...oncall, participants: { console: ["solo"] } }] }, "2026-03-03T00:00:00Z")).toBeNull());
});

describe("the schedules policy key", () => {
  const layer = { name: "oncall", participants: { console: ["olivia", "oscar"] }, period: "weekly", start: "2026-03-02" };
  it("accepts a schedule and fills defaults (hand-off 09:00, holidays any)", () => {
    const p = parsePolicy({ schedules: { ops: { timezone: "Europe/Paris", layers: [layer] } } });
    expect(p.schedules["ops"]!.layers[0]).toMatchObject({ handOff: "09:00", holidays: "any", period: "weekly" });
  });
  it("names the key of a bad period", () => {
    expect(() => parsePolicy({ schedules: { ops: { timezone: "Europe/Paris", layers: [{ ...layer, period: "monthly" }] } } })).toThrow(/schedules\.ops\.layers\.0\.period/);
  });
  it("names the key of a bad timezone and of a window starting and ending together", () => {
    expect(() => parsePolicy({ schedules: { ops: { timezone: "Mars/Olympus", layers: [layer] } } })).toThrow(/schedules\.ops\.timezone/);
    expect(() => parsePolicy({ schedules: { ops: { timezone: "UTC", layers: [{ ...layer, windows: [{ days: "weekdays", start: "09:00", end: "09:00" }] }] } } })).toThrow(/schedules\.ops\.layers\.0\.windows\.0\.end/);
  });
  it("refuses an escalation target naming an unknown schedule", () => {
    const escalation = { offHours: [{ name: "on call", targets: { schedule: "nope" }, ackTimeoutMinutes: 15 }, { name: "management", targets: { console: ["manager"] }, ackTimeoutMinutes: 15 }] };
    expect(() => parsePolicy({ escalation, schedules: { ops: { timezone: "UTC", layers: [layer] } } })).toThrow(/escalation\.offHours\.0\.targets\.schedule\.0 .*unknown schedule "nope"; known: ops/);
  });
  it("takes `schedule: name` in a ladder's targets as a list", () => {
    const escalation = { offHours: [{ name: "on call", targets: { schedule: "ops" }, ackTimeoutMinutes: 15 }, { name: "management", targets: { console: ["manager"] }, ackTimeoutMinutes: 15 }] };
    expect(parsePolicy({ escalation, schedules: { ops: { timezone: "UTC", layers: [layer] } } }).escalation.offHours[0]!.targets).toEqual({ schedule: ["ops"] });
  });
});

describe("escalation levels paging a schedule", () => {
  const policy = parsePolicy({
    businessHours: { holidays: HOLIDAYS },
    schedules: { ops: { timezone: "Europe/Paris", layers: [oncall, desk] } },
  });
  const level = { name: "on call", targets: { console: ["lead", "dana"], schedule: ["ops"] }, ackTimeoutMinutes: 15 };
  it("adds whoever is on call at the page to the fixed targets, once each", () => {
    expect(levelTargets(policy, level, "console", new Date("2026-03-06T16:31:00Z"))).toEqual(["lead", "dana", "olivia"]);
    expect(levelTargets(policy, level, "console", new Date("2026-03-06T16:29:00Z"))).toEqual(["lead", "dana"]);
  });
  it("uses the policy calendar's holidays", () => expect(levelTargets(policy, level, "console", new Date("2026-05-01T08:00:00Z"))).toEqual(["lead", "dana", "owen"]));
  it("pages the schedule's people of the incident's platform", () => expect(levelTargets(policy, level, "slack", new Date("2026-03-06T16:31:00Z"))).toEqual(["U_OLIVIA"]));
  it("a page at 17:31 on a Friday reaches the override in force, not the rotation's person", () => {
    const byName = { ops: [overrides[0]!] };
    expect(levelTargets(policy, level, "console", new Date("2026-03-06T16:31:00Z"), byName)).toEqual(["lead", "dana", "zoe"]);
    expect(levelTargets(policy, level, "console", new Date("2026-03-07T08:00:00Z"), byName)).toEqual(["lead", "dana", "olivia"]);
  });
});

describe("/incident oncall parsing", () => {
  const policy = parsePolicy({ schedules: { Desk: { timezone: "Europe/Paris", layers: [{ ...oncall, start: "2026-03-02" }] } } });
  const parse = (line: string) => parseLine(line, policy, "console");
  it.each([
    ["oncall", { name: "oncall", schedule: undefined, at: undefined }],
    ["oncall desk", { name: "oncall", schedule: "Desk", at: undefined }],
    ['oncall desk --at "2026-03-30 09:00"', { name: "oncall", schedule: "Desk", at: "2026-03-30 09:00" }],
    ["oncall desk --at 2026-03-30 09:00", { name: "oncall", schedule: "Desk", at: "2026-03-30 09:00" }],
    ["oncall --at 2026-03-30T09:00+02:00", { name: "oncall", schedule: undefined, at: "2026-03-30T09:00+02:00" }],
    ["oncall override desk @olivia --from 2026-03-30 09:00 --to 2026-03-31 09:00", { name: "oncall", op: "override", schedule: "Desk", user: "olivia", from: "2026-03-30 09:00", to: "2026-03-31 09:00" }],
    ['oncall override Desk olivia --from now --to "2026-03-31 09:00"', { name: "oncall", op: "override", schedule: "Desk", user: "olivia", from: "now", to: "2026-03-31 09:00" }],
    ["oncall override remove 3", { name: "oncall", op: "remove", n: 3 }],
    ["oncall override desk @olivia --from 09:00 --to +2h", { name: "oncall", op: "override", schedule: "Desk", user: "olivia", from: "09:00", to: "+2h" }],
    ["oncall cover desk --until 18:30", { name: "oncall", op: "cover", schedule: "Desk", until: "18:30" }],
    ["oncall cover desk --until 2026-03-31 09:00", { name: "oncall", op: "cover", schedule: "Desk", until: "2026-03-31 09:00" }],
    ["oncall cover accept 12", { name: "oncall", op: "accept", n: 12 }],
  ])("%s", (line, command) => expect(parse(line)).toEqual({ ok: true, value: { kind: "command", command } }));
  it.each([
    ["oncall nope", 'No schedule "nope"; schedules: Desk.'],
    ["oncall desk --at tomorrow", '--at takes a time such as "2026-03-30 09:00" or "18:00" (got "tomorrow").'],
    ["oncall override desk @olivia --from now --to soon", '--to takes a time such as "2026-03-30 09:00" or "18:00", or a duration such as 2h (got "soon").'],
    ["oncall desk night", 'oncall takes one schedule name (got "desk night").'],
    ["oncall override desk @olivia --from 2026-03-30 09:00", 'An override needs --from and --to, e.g. --from "2026-03-30 09:00" --to "2026-03-31 09:00".'],
    ["oncall override nope @olivia --from now --to 2026-03-31", 'No schedule "nope"; schedules: Desk.'],
    ["oncall override desk --from now --to 2026-03-31", "Name who is on call instead, e.g. @alice."],
    ["oncall override remove x", 'override remove takes a number, e.g. /incident oncall override remove 3 (got "x").'],
    ["oncall cover desk", 'Cover needs --until, e.g. --until "2026-03-31 09:00".'],
    ["oncall desk --until 2026-03-31", "--until does not go with oncall without override or cover."],
    ["oncall override desk @olivia --from soon --to 2026-03-31", '--from takes a time such as "2026-03-30 09:00" or "18:00" (got "soon").'],
  ])("%s is refused", (line, message) => {
    const r = parse(line);
    expect(r.ok ? null : r.refusal.message).toBe(message);
  });
});

describe("on-call time flags as people type them", () => {
  // Saturday 2026-12-05 20:15 in Paris (19:15 UTC).
  const now = new Date("2026-12-05T19:15:00Z");
  const paris = "Europe/Paris";
  it.each([
    ["from", "now", undefined, "2026-12-05T19:15:00.000Z"],
    ["from", "2026-12-07 09:00", undefined, "2026-12-07T08:00:00.000Z"],
    ["from", "21:00", undefined, "2026-12-05T20:00:00.000Z"],
    ["from", "09:00", undefined, "2026-12-06T08:00:00.000Z"],
    ["to", "+2h", "2026-12-06T08:00:00.000Z", "2026-12-06T10:00:00.000Z"],
    ["to", "1h30m", undefined, "2026-12-05T20:45:00.000Z"],
    ["to", "18:00", "2026-12-06T08:00:00.000Z", "2026-12-06T17:00:00.000Z"],
    ["until", "08:00", undefined, "2026-12-06T07:00:00.000Z"],
  ])("--%s %s (after %s) is %s", (flag, text, after, expected) => {
    expect(instant(flag, text, paris, now, after ? new Date(after) : now).toISOString()).toBe(expected);
  });
  it("a clock time crosses the spring change at its local hour", () => {
    expect(instant("to", "09:00", paris, new Date("2026-03-28T12:00:00Z")).toISOString()).toBe("2026-03-29T07:00:00.000Z");
  });
});

