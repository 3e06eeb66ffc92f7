/**
 * The 1st-of-month report at the Discord wire: the Markdown report is posted to the announcements
 * channel and the chart is attached as a PNG file (multipart, payload_json + the file), with
 * mentions off.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureCalendarRuns } from "../../../src/app/review/calendar.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { discordHarness, slashCommand } from "../../support/discord-harness.js";
import { ANNOUNCEMENTS_ID } from "../../support/fake-discord-api.js";

describe.each(backends)("Discord monthly report on $name", (backend) => {
  let database: TestDatabase;
  let h: Awaited<ReturnType<typeof discordHarness>>;
  beforeEach(async () => {
    database = await backend.open();
    h = await discordHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.destroy();
  });

  it("attaches the chart of incidents per week by priority", async () => {
    await h.send(slashCommand("declare", { title: "Typo", impact: "I3", urgency: "U3" }));
    await ensureCalendarRuns(h.bot.ctx);
    await h.advance(8 * 86_400_000 - 2 * 3_600_000); // 2026-12-01T08:00Z
    const posts = h.api.callsTo("POST", new RegExp(`^/channels/${ANNOUNCEMENTS_ID}/messages$`));
    expect(posts.some((p) => p.body.embeds?.[0]?.title === "Monthly incident report 2026-11")).toBe(true);
    const chart = posts.find((p) => p.body.files?.length)!;
    expect(chart.body).toMatchObject({ content: "Incidents per week by priority, 2026-11", allowed_mentions: { parse: [] }, files: [{ name: "incidents-per-week-2026-11.png", png: true }] });
  });
});
