/**
 * A stakeholder leaves an e-mail list through the link of a mail (List-Unsubscribe): recorded by
 * token, so later mails of that list skip the address (deliveries still queued are cancelled when
 * they come up). The token is the only proof: it is random, one per mail, and the database holds
 * only its digest (src/db/mail-repo.ts), which the token given here is looked up by.
 */
import type { AppContext } from "../context.js";

export interface Unsubscribed {
  destination: string;
  address: string;
  /** True when the address had already left the list. */
  already: boolean;
}

/** Null for an unknown token. */
export async function unsubscribe(ctx: AppContext, token: string): Promise<Unsubscribed | null> {
  return ctx.store.transaction((uow) => uow.mail.unsubscribe(token, ctx.clock.now()));
}

/** Who the token belongs to, without changing anything (the confirmation page). */
export async function unsubscribeTarget(ctx: AppContext, token: string): Promise<{ destination: string; address: string; done: boolean } | null> {
  return ctx.store.transaction((uow) => uow.mail.recipient(token));
}
