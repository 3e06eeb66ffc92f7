/**
 * The 1st-of-month report at the Slack wire: the Markdown report is posted to the review channel and
 * the chart of incidents per week by priority is attached through files.uploadV2 (get an upload URL,
 * upload the PNG, complete the upload in the channel).
 */
import { describe, expect, it } from "vitest";
import { ensureCalendarRuns } from "../../../src/app/review/calendar.js";
import { backends, type TestDatabase } from "../../support/databases.js";
import { ANNOUNCEMENTS } from "../../support/fake-slack-api.js";
import { type SlackHarness, useSlackHarness, slashCommand } from "../../support/slack-harness.js";

describe.each(backends)("Slack monthly report on $name", (backend) => {
  let database!: TestDatabase;
  let h!: SlackHarness;
  useSlackHarness(backend, (t) => ({ h, database } = t));

  it("posts November's report and attaches its chart on 1 December at 09:00 Paris", async () => {
    await h.post(slashCommand('declare "Typo on the status page" --impact I3 --urgency U3'));
    await ensureCalendarRuns(h.bot.ctx);
    await h.advance(8 * 86_400_000 - 2 * 3_600_000); // 2026-12-01T08:00Z
    const report = h.api.callsTo("chat.postMessage").find((p) => p.channel === ANNOUNCEMENTS && p.text === "Monthly incident report 2026-11")!;
    expect(JSON.stringify(report.blocks)).toContain("| 2026-W48 | 0 | 0 | 1 |");
    const [url] = h.api.callsTo("files.getUploadURLExternal");
    expect(url).toMatchObject({ filename: "incidents-per-week-2026-11.png" });
    expect(h.api.callsTo("upload")).toEqual([{ bytes: expect.any(Number), png: true }]);
    const [done] = h.api.callsTo("files.completeUploadExternal");
    expect(done).toMatchObject({ channel_id: ANNOUNCEMENTS });
    expect(JSON.parse(done!.files)[0]).toMatchObject({ title: "Incidents per week by priority, 2026-11" });
  });
});
