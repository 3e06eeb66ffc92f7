/**
 * Making user text safe in Slack: `&`, `<` and `>` are escaped as Slack asks, so `<!channel>`,
 * `<!here>`, `<!everyone>`, `<@U…>` and `<https://evil|click>` links in a title or an update arrive
 * as literal text and page no one. Mentions the bot composes itself are added after escaping.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Bot-composed text whose `@id` words are user ids: escaped, then turned into real mentions — all of
 * them, or only `only` (text that also quotes what people typed: "@U0BOSS" in a title pings no one).
 */
export function withMentions(text: string, only?: ReadonlySet<string>): string {
  return escapeText(text).replace(/@([A-Z0-9]{2,})\b/g, (word, id: string) => (!only || only.has(id) ? `<@${id}>` : word));
}
