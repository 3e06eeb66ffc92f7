/** Block Kit rendering of the platform-neutral view models (src/domain/views.ts). */
import type { ChatMessage } from "../../domain/views.js";
import { escapeText, withMentions } from "./mrkdwn.js";

export const ACTION_IDS = { ack: "incident_ack", update: "incident_update", resolve: "incident_resolve", rca: "incident_rca", cover: "oncall_cover", declare: "incident_declare" } as const;

type Block = Record<string, unknown>;

const mrkdwn = (text: string) => ({ type: "mrkdwn", text });

export function renderBlocks(m: ChatMessage): { text: string; blocks: Block[] } {
  const head = m.mentionsInHeadline ? withMentions(m.headline, m.mentionIds && new Set(m.mentionIds)) : escapeText(m.headline);
  const blocks: Block[] = [{ type: "section", text: mrkdwn(`*${head}*`) }];
  if (m.body) blocks.push({ type: "section", text: mrkdwn(escapeText(m.body)) });
  if (m.fields.length > 0) {
    // A section holds at most 10 fields.
    for (let i = 0; i < m.fields.length; i += 10) {
      blocks.push({
        type: "section",
        fields: m.fields.slice(i, i + 10).map((f) => mrkdwn(`*${escapeText(f.label)}*\n${f.mentions ? withMentions(f.value) : escapeText(f.value)}`)),
      });
    }
  }
  if (m.actions?.length) {
    blocks.push({
      type: "actions",
      block_id: "incident_actions",
      elements: m.actions.map((a) => ({
        type: "button",
        action_id: ACTION_IDS[a.id],
        text: { type: "plain_text", text: a.label },
        value: a.value ?? m.reference ?? "",
        ...(a.id === "resolve" ? { style: "primary" } : {}),
      })),
    });
  }
  // `text` is the notification / fallback; Slack does not parse mentions in it without <>, so escape.
  return { text: head, blocks };
}
