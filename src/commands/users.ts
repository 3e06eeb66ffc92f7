/**
 * User references: a mention or an id, checked against the platform's shape before it reaches a
 * topic or a message — so `--im "<!channel>"` is refused, not pasted into the war room's topic.
 */

/** `@alice`, `<@U123>`, `<@U123|alice>` (Slack), `<@123>` / `<@!123>` (Discord) → the bare id. */
export function normaliseUser(token: string): string {
  return token.trim().replace(/^<@!?/, "").replace(/\|.*$/, "").replace(/>$/, "").replace(/^@/, "");
}

const SHAPES: Record<string, RegExp> = {
  slack: /^[UW][A-Z0-9]{2,20}$/,
  discord: /^\d{15,21}$/,
};
/** Console users (and unknown platforms): a plain name. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** The user id a reference names on `platform`, or null when it is not a user of that platform. */
export function userId(token: string, platform: string): string | null {
  const id = normaliseUser(token);
  return (SHAPES[platform] ?? NAME).test(id) ? id : null;
}
