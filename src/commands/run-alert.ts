/**
 * The internal `alert` command: a monitoring notification (from the HTTP webhooks, as the system user
 * `monitoring`; `execute` lets no one else run it) or the triage channel's Declare button (anyone). The declaration the alerts make is
 * checked here with the declare command's own rules (limits, levels, natures, control characters),
 * so an incident opened by monitoring passes the same input checks as one typed by a person.
 */
import { declareProposed, receiveAlerts, type Prepare } from "../app/alerts/receive.js";
import type { AppContext, Invocation } from "../app/context.js";
import { declarationOf } from "../domain/alerts/declaration.js";
import { RefusalError } from "../domain/refusal.js";
import { commandFrom } from "./parser.js";
import type { Reply } from "./reply.js";
import { TEXT_MAX, TITLE_MAX } from "./table.js";
import type { Command } from "./types.js";

/** The alerts' declaration, checked for the platform the use case declares on (`alertPlatform`, or the Declare button's). */
const prepareFor =
  (ctx: AppContext): Prepare =>
  (route, batch, platform) => {
    const d = declarationOf(route, batch, TITLE_MAX, TEXT_MAX);
    const raw = { title: d.title, description: d.description, impact: d.impact, urgency: d.urgency, nature: d.nature, service: d.service, customer: d.customer, "detected-by": "monitoring" };
    const parsed = commandFrom("declare", raw, ctx.policy, platform);
    if (!parsed.ok) throw new RefusalError(parsed.refusal);
    return d;
  };

export async function runAlert(ctx: AppContext, inv: Invocation, cmd: Extract<Command, { name: "alert" }>): Promise<Reply> {
  if (cmd.op === "receive") {
    const o = await receiveAlerts(ctx, inv, cmd.batch, prepareFor(ctx));
    return { ...(o.incident ? { about: o.incident } : {}), ephemeral: true, text: o.text };
  }
  const o = await declareProposed(ctx, inv, cmd.group, prepareFor(ctx));
  return { about: o.incident!, ephemeral: false, text: `${o.text} Incident manager: @${inv.userId}.` };
}
