/**
 * Issue 4 item 7: one view model, two renderers. The Slack Block Kit and the Discord embed renderings
 * of the same ChatMessage (summary, announcement, notice) carry the same facts: the headline, every
 * field's label and value, the body, and the same actions on the same incident.
 */
import { describe, expect, it } from "vitest";
import { renderEmbed } from "../../../src/adapters/discord/embeds.js";
import { renderBlocks } from "../../../src/adapters/slack/blocks.js";
import type { Incident } from "../../../src/domain/incident.js";
import { DEFAULT_POLICY } from "../../../src/domain/policy.js";
import { publicChatMessage, publicNotice } from "../../../src/domain/comms/public.js";
import { noticeView, summaryView, type ChatMessage } from "../../../src/domain/views.js";

const incident: Incident = {
  id: 1, reference: "INC-2026-0001", year: 2026, seq: 1, title: "Payment API down", description: "Card payments fail with 502",
  nature: "application", service: "payments", customer: "ACME", detectedBy: "monitoring", impact: "I1", urgency: "U2", priority: "P1",
  status: "investigating", platform: "discord", originChannel: "1", declaredBy: "1200000000000000001", declaredAt: new Date("2026-11-23T10:00:00Z"),
  respondBy: new Date("2026-11-23T10:15:00Z"), resolveBy: new Date("2026-11-23T14:00:00Z"), acknowledgedAt: null, acknowledgedBy: null,
  resolvedAt: null, closedAt: null, parentId: null, outcome: null, nextUpdateAt: new Date("2026-11-23T10:30:00Z"), pauses: [], roles: { im: "1200000000000000001" },
};

interface Facts {
  headline: string;
  body: string | null;
  fields: [string, string][];
  actions: [string, string][];
}

/** What a reader sees in Slack, markup and mention syntax removed. */
function slackFacts(m: ChatMessage): Facts {
  const { blocks } = renderBlocks(m);
  const unescape = (s: string) => s.replace(/<@([A-Z0-9]+)>/g, "@$1").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const sections = blocks.filter((b) => b.type === "section") as { text?: { text: string }; fields?: { text: string }[] }[];
  const texts = sections.filter((s) => s.text).map((s) => unescape(s.text!.text));
  const fields = sections.flatMap((s) => s.fields ?? []).map((f) => {
    const [label, ...value] = f.text.split("\n");
    return [unescape(label!.replace(/^\*|\*$/g, "")), unescape(value.join("\n"))] as [string, string];
  });
  const actions = (blocks.find((b) => b.type === "actions")?.elements as { text: { text: string }; value: string }[] | undefined) ?? [];
  return { headline: texts[0]!.replace(/^\*|\*$/g, ""), body: texts[1] ?? null, fields, actions: actions.map((a) => [a.text.text, a.value]) };
}

/** What a reader sees in Discord. */
function discordFacts(m: ChatMessage): Facts {
  const body = renderEmbed(m);
  const embed = body.embeds[0];
  const plain = (s: string) => s.replace(/<@(\d+)>/g, "@$1").replace(/\\(.)/g, "$1");
  const buttons = body.components.flatMap((r) => r.components) as { label: string; custom_id: string }[];
  return {
    headline: plain(embed?.title ?? body.content ?? ""),
    body: embed?.description ? plain(embed.description) : null,
    fields: (embed?.fields ?? []).map((f) => [plain(f.name), plain(f.value)]),
    actions: buttons.map((b) => [b.label, b.custom_id.split(":")[2]!]),
  };
}

describe("one view model, Slack blocks and Discord embeds", () => {
  it.each([
    ["summary", summaryView(DEFAULT_POLICY, incident)],
    ["announcement", publicChatMessage(publicNotice(DEFAULT_POLICY, incident, "announcement", null, incident.nextUpdateAt), DEFAULT_POLICY.businessHours.timezone, "inc-20261123-0001-payment-api-down")],
    ["notice", noticeView(incident, "Could not open the war room for INC-2026-0001")],
  ])("%s: both renderers carry the same facts", (_, view) => {
    const slack = slackFacts(view);
    const discord = discordFacts(view);
    expect(discord).toEqual(slack);
    expect(slack.headline).toBe(view.headline);
    expect(slack.fields).toEqual(view.fields.map((f) => [f.label, f.value]));
  });

  it("the summary's facts include status, priority, roles, deadlines and both buttons", () => {
    const facts = discordFacts(summaryView(DEFAULT_POLICY, incident));
    expect(facts.fields.map(([l]) => l)).toEqual(["Status", "Priority", "Roles", "Declared", "Service", "Customer", "Nature", "Detected by", "Respond by", "Resolve by", "Next update"]);
    expect(facts.actions).toEqual([["Acknowledge", "INC-2026-0001"], ["Post update", "INC-2026-0001"], ["Resolve", "INC-2026-0001"]]);
    expect(facts.body).toBe("Card payments fail with 502");
  });
});
