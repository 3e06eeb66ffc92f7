/**
 * `/incident report` renders the incident report (read-only, also after closing) and posts it as a
 * file where the command ran; `/incident report send` posts it to the announcements channel through
 * the outbox, logs it as a communication, records `report.sent` and stops the customer-report deadline.
 */
import { randomUUID } from "node:crypto";
import type { Incident } from "../../domain/incident.js";
import { RCA_EVENTS } from "../../domain/rca/events.js";
import { renderReport, reportFilename } from "../../domain/rca/report.js";
import { refusal, RefusalError } from "../../domain/refusal.js";
import type { ChatMessage } from "../../domain/views.js";
import { claimRequest, ensureNotClosed, inTransaction, targetIncident, type AppContext, type Invocation } from "../context.js";
import { say, STAKEHOLDERS } from "../comms/post.js";
import { stakeholderDestinations } from "../comms/stakeholders.js";
import { REPORT_KINDS } from "../comms/promise.js";
import { loadRecord, reportInput } from "./record.js";

export interface RenderedReport {
  incident: Incident;
  filename: string;
  markdown: string;
  /** True when posted as a file in the channel the command ran in. */
  posted: boolean;
}

/** Renders the report; where the platform takes files it is posted as one, through the outbox. */
export async function renderIncidentReport(ctx: AppContext, inv: Invocation, reference?: string): Promise<RenderedReport> {
  const posted = !!ctx.chats[inv.platform]?.postFile;
  return ctx.store.transaction(async (uow) => {
    const incident = await targetIncident(uow, inv, reference);
    const markdown = renderReport(reportInput(ctx.policy, await loadRecord(uow, incident)));
    const filename = reportFilename(incident);
    if (posted) {
      const file = { name: filename, base64: Buffer.from(markdown, "utf8").toString("base64") };
      const message: ChatMessage = { kind: "notice", reference: incident.reference, headline: `Incident report ${incident.reference}`, fields: [], file };
      const key = `${REPORT_FILE_KEY}${inv.platform}:${inv.requestKey ?? randomUUID()}`;
      await uow.outbox.enqueue({ key, incidentId: incident.id, platform: inv.platform, target: inv.channelId, action: "post", message }, ctx.clock.now());
    }
    return { incident, filename, markdown, posted };
  });
}

/** Outbox keys of report files: a report is still delivered once its incident is closed (read-only, not silent). */
export const REPORT_FILE_KEY = "report-file:";

export function reportMessage(i: Incident, markdown: string): ChatMessage {
  return { kind: "notice", reference: i.reference, headline: `Incident report ${i.reference}: ${i.title}`, body: markdown, fields: [] };
}

export async function sendIncidentReport(ctx: AppContext, inv: Invocation, reference?: string): Promise<{ incident: Incident }> {
  return inTransaction(ctx, async (uow) => {
    await claimRequest(ctx, uow, inv);
    const i = await targetIncident(uow, inv, reference);
    ensureNotClosed(i);
    const destinations = stakeholderDestinations(ctx, i).filter((d) => !(d.kind === "chat" && d.implicit && !ctx.chats[d.platform]?.announcementsChannel()));
    if (destinations.length === 0) {
      throw new RefusalError(
        refusal("E_BAD_ARGUMENT", `No stakeholder destination is configured for ${i.reference}: set an announcements channel for ${i.platform}, or stakeholders.destinations and rules in the policy file.`, { reference: i.reference }),
      );
    }
    if (i.status !== "resolved") {
      throw new RefusalError(refusal("E_TRANSITION_NOT_ALLOWED", `${i.reference} is not resolved yet: the customer report follows the resolution.`, { reference: i.reference }));
    }
    const now = ctx.clock.now();
    const record = reportInput(ctx.policy, await loadRecord(uow, i));
    const markdown = renderReport(record);
    const message = reportMessage(i, markdown);
    // Logged with the other communications; sending it stops the customer-report deadline.
    await say(ctx, uow, i, { kind: "report", actor: inv.userId, text: message.headline, message, targets: [STAKEHOLDERS], public: { kind: "report", text: renderReport(record, "public") } }, now);
    await uow.timers.cancel(i.id, REPORT_KINDS);
    await uow.incidents.appendEvent({ incidentId: i.id, at: now, actor: inv.userId, kind: RCA_EVENTS.reportSent, data: { by: inv.userId } });
    return { incident: i };
  });
}
