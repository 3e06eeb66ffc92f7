/**
 * Bad input through the console: each gets one clear sentence (and the usage line), and nothing is
 * stored. Also: a retried request (same key) changes nothing, and a chat outage while opening the war
 * room is retried and finally reported to the declarer.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dispatch } from "../../src/commands/execute.js";
import { incidentEvents, incidents, outbox, timers, warRooms } from "../../src/db/schema.js";
import { backends, type TestDatabase } from "../support/databases.js";
import { consoleHarness } from "../support/console-harness.js";

describe.each(backends)("console refusals on $name", (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.destroy());

  const counts = async () => {
    const [r] = await database.db
      .select({
        incidents: sql<number>`(select count(*)::int from ${incidents})`,
        events: sql<number>`(select count(*)::int from ${incidentEvents})`,
        timers: sql<number>`(select count(*)::int from ${timers})`,
      })
      .from(sql`(select 1) as one`);
    return r!;
  };

  it.each([
    ["/incident frobnicate", 'Unknown subcommand "frobnicate". Try /incident help.', "Usage: /incident <subcommand>"],
    ["/incident delcare x", 'Unknown subcommand "delcare". Did you mean "declare"? Try /incident help.', "Usage: /incident <subcommand>"],
    ["/incident declare x --impact I9 --urgency U1", 'Impact must be one of I1, I2, I3 (got "I9").', "Usage: /incident declare <title>"],
    ["/incident declare x --im \"<!channel>\" --impact I1 --urgency U1", 'The incident manager must be a person: mention them, e.g. @alice (got "<!channel>").', "Usage: /incident declare <title>"],
    ["/incident help frobnicate", 'No help topic "frobnicate". Topics: declare, status, list, join,', undefined],
    ["/incident declare \"Pay\u0000ment\" --impact I1 --urgency U1", "Your command contains a control character (U+0000); remove it and try again.", undefined],
    [`/incident declare "${"x".repeat(151)}" --impact I1 --urgency U1`, "The title is 151 characters; the limit is 150. Shorten it.", "Usage: /incident declare"],
    ["/incident declare x --colour red", "Unknown option --colour;", "Usage: /incident declare"],
    ['/incident declare "unterminated --impact I1', "A quote (\") is not closed: close it, or remove it.", "Usage: /incident <subcommand>"],
    ["/incident resolve all good now", "This channel is not an incident war room: run the command in the war room, or add --incident INC-YYYY-NNNN.", "Usage: /incident resolve <summary>"],
    ["/incident status --incident INC-2026-0999", "No incident INC-2026-0999; /incident list shows the open ones.", undefined],
    ["/incident classify", "Give a new impact, a new urgency, or both.", "Usage: /incident classify"],
  ])("%s → one sentence, nothing stored", async (line, sentence, usage) => {
    const h = consoleHarness(database);
    const before = await counts();
    const out = await h.type(line);
    expect(out).toContain(`[#general] bot (only @alice): ${sentence}`);
    if (usage) expect(out).toContain(usage);
    expect(await counts()).toEqual(before);
  });

  it("refuses any change to a closed incident, saying it is read-only", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    await database.db.update(incidents).set({ status: "closed" });
    const before = await counts();
    for (const cmd of ["investigating", "resolve done", "classify --impact I2", "role lead @bob", "wait vendor"]) {
      const out = await h.type(`/incident ${cmd} --incident INC-2026-0001`);
      expect(out).toContain("INC-2026-0001 is closed; closed incidents are read-only.");
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses a move the lifecycle does not allow, naming where it can go", async () => {
    const h = consoleHarness(database);
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    const out = await h.type("/incident wait vendor --incident INC-2026-0001");
    expect(out).toContain("INC-2026-0001 is declared and cannot become waiting on vendor; from here it can become: investigating, mitigated, resolved.");
    expect(await h.type("/incident reopen why --incident INC-2026-0001")).toContain("only a resolved incident can be reopened");
  });

  it("a retried request with the same key changes nothing: one incident, one war room, one announcement", async () => {
    const h = consoleHarness(database);
    const inv = { platform: "console", channelId: "general", userId: "alice", requestKey: "req-1" };
    const text = 'declare "Payment API down" --impact I1 --urgency U2';
    const first = await dispatch(h.bot.ctx, inv, text);
    const again = await dispatch(h.bot.ctx, inv, text);
    await h.bot.scheduler.drain();
    expect(first.text).toContain("Declared INC-2026-0001");
    expect(again.refusal?.code).toBe("E_DUPLICATE_REQUEST");
    expect(await database.db.select().from(incidents)).toHaveLength(1);
    expect(await database.db.select().from(warRooms)).toHaveLength(1);
    expect(await database.db.select().from(outbox).where(eq(outbox.target, "announcements"))).toHaveLength(1);
    expect(await database.db.select().from(outbox).where(eq(outbox.target, "warroom"))).toHaveLength(1); // the initial notice
    expect(await database.db.select().from(outbox).where(eq(outbox.action, "dm"))).toHaveLength(1); // one page of level 1
  });

  it("a delivery that fails before reaching the platform (its channel cannot be looked up) is failed and reported after its retries, not left pending", async () => {
    let lookups = 0;
    const h = consoleHarness(database, {
      scheduler: { maxAttempts: 3, backoffMs: () => 60_000 },
      wrapChat: (chat) =>
        Object.assign(Object.create(chat) as typeof chat, {
          announcementsChannel: () => {
            lookups++;
            throw new Error("channel directory unavailable");
          },
        }),
    });
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    await h.type(":advance 1m");
    const last = await h.type(":advance 1m");
    expect(lookups).toBe(3);
    expect(last).toContain("Could not deliver the announcement to stakeholders for INC-2026-0001 after 3 attempts (channel directory unavailable); post it by hand.");
    const announcement = await database.db.select().from(outbox).where(eq(outbox.target, "announcements"));
    expect(announcement.map((o) => [o.status, o.attempts, o.lastError])).toEqual([["failed", 3, "channel directory unavailable"]]);
    await h.type(":advance 1h");
    expect(lookups).toBe(3);
  });

  it("retries a war room the chat platform fails to create, and tells the declarer when it gives up", async () => {
    let calls = 0;
    const h = consoleHarness(database, {
      scheduler: { maxAttempts: 3, backoffMs: () => 60_000 },
      wrapChat: (chat) =>
        Object.assign(Object.create(chat) as typeof chat, {
          createChannel: async () => {
            calls++;
            throw new Error("missing_scope");
          },
        }),
    });
    await h.type('/incident declare "Payment API down" --impact I1 --urgency U2');
    expect(calls).toBe(1);
    await h.type(":advance 1m");
    expect(calls).toBe(2);
    const last = await h.type(":advance 1m");
    expect(calls).toBe(3);
    expect(last).toContain("[#general] bot: Could not open the war room for INC-2026-0001 (missing_scope).");
    await h.type(":advance 1h");
    expect(calls).toBe(3);
    const events = await database.db.select().from(incidentEvents);
    expect(events.map((e) => e.kind)).toContain("warroom.failed");
    expect(await database.db.select().from(incidents)).toHaveLength(1);
  });
});
