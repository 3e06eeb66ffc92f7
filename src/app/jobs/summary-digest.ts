/**
 * What a war room's pinned summary and topic show, as digests stored with the room: a re-render
 * that would send the same summary or topic sends nothing. Without them every `summary.sync` edited
 * the summary and set the topic again — on Slack each topic change is a visible "set the channel
 * topic" line — including the sync queued while the room was opening, whose state the summary step
 * had already rendered.
 */
import { createHash } from "node:crypto";
import type { ChatMessage } from "../../domain/views.js";

export function digestOf(content: ChatMessage | string): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 22);
}
