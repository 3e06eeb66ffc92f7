/**
 * The syntax of a line, checked without the database: a refusal here can be the platform's immediate
 * answer (Slack's ack body), so bad input costs no chat call and no row.
 */
import type { Policy } from "../domain/policy.js";
import { parseLine } from "./parser.js";
import { refusalReply, type Reply } from "./reply.js";

export function precheck(policy: Policy, platform: string, text: string): Reply | null {
  const parsed = parseLine(text, policy, platform);
  return parsed.ok ? null : refusalReply(parsed.refusal);
}
