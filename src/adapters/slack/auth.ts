/**
 * Bolt's single-token mode calls `auth.test` from the App constructor and caches the promise: if that
 * one call fails (Slack briefly unreachable, the process stopping) the rejection is unhandled — which
 * ends a Node process — and every later request fails with it. This authorize function asks when
 * first needed, caches only a success, and `verify()` lets start-up fail fast on a bad token.
 */
import type { Authorize } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";

export function botAuthorization(client: WebClient, botToken: string): { authorize: Authorize<boolean>; verify: () => Promise<void> } {
  let identity: Promise<{ botUserId?: string; botId?: string }> | null = null;
  const lookup = () => {
    identity ??= client.auth.test({ token: botToken }).then(
      (r) => ({ botUserId: r.user_id, botId: r.bot_id }),
      (e: unknown) => {
        identity = null; // ask again next time
        throw e;
      },
    );
    return identity;
  };
  return {
    authorize: async () => ({ botToken, ...(await lookup()) }),
    verify: async () => {
      try {
        await lookup();
      } catch (e) {
        const reason = (e as { data?: { error?: string } }).data?.error ?? (e instanceof Error ? e.message : String(e));
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${reason})`);
      }
    },
  };
}
