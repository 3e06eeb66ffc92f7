/** Replies of the RCA and closure subcommands: rca, action, timeline, report, close. */
import type { AppContext, Invocation } from "../app/context.js";
import { addAction, completeAction, listActions } from "../app/rca/actions.js";
import { closeIncident } from "../app/rca/close.js";
import { rcaOverview } from "../app/rca/overview.js";
import { renderIncidentReport, sendIncidentReport } from "../app/rca/report.js";
import { approveRca, setRcaSection, setRcaSections } from "../app/rca/sections.js";
import { addTimelineEntry } from "../app/rca/timeline.js";
import { formatTime } from "../domain/views.js";
import type { RcaCommand } from "./types.js";
import { actionLine, actionsText, checklistText, sectionText } from "./rca-format.js";
import type { Reply } from "./reply.js";

const said = (incident: Reply["about"], text: string): Reply => ({ about: incident, ephemeral: false, text });

export async function runRca(ctx: AppContext, inv: Invocation, cmd: RcaCommand): Promise<Reply> {
  const tz = ctx.policy.businessHours.timezone;
  switch (cmd.name) {
    case "rca": {
      if (cmd.op === "approve") {
        const r = await approveRca(ctx, inv, cmd.incident);
        return said(r.incident, `The RCA of ${r.incident.reference} is approved by @${r.approval.by}.`);
      }
      if (cmd.op === "form") {
        const r = await setRcaSections(ctx, inv, cmd.texts, cmd.incident);
        return said(r.incident, r.changed.length ? `${r.incident.reference}: RCA updated by @${inv.userId} (${r.changed.join(", ")}).` : `${r.incident.reference}: nothing changed in the RCA.`);
      }
      if (cmd.op === "set") {
        const r = await setRcaSection(ctx, inv, cmd);
        return said(r.incident, `${r.incident.reference}: ${cmd.section.label} ${cmd.append ? "added to" : "set"} by @${inv.userId}.`);
      }
      const o = await rcaOverview(ctx, inv, cmd.incident);
      if (!cmd.section) return { ephemeral: true, text: checklistText(ctx.policy, o) };
      const s = o.sections.find((x) => x.section === cmd.section!.id);
      return { ephemeral: true, text: sectionText(o.incident, cmd.section.label, cmd.section.id, s?.text, s?.authors ?? []) };
    }
    case "action": {
      if (cmd.op === "add") {
        const r = await addAction(ctx, inv, cmd);
        return said(r.incident, `${r.incident.reference}: action added.\n${actionLine(r.action)}`);
      }
      if (cmd.op === "done") {
        const r = await completeAction(ctx, inv, cmd.n, cmd.incident);
        return said(r.incident, `${r.incident.reference}: action ${r.action.n} done.\n${actionLine(r.action)}`);
      }
      const r = await listActions(ctx, inv, cmd.incident);
      return { ephemeral: true, text: actionsText(r.incident, r.actions) };
    }
    case "timeline": {
      const r = await addTimelineEntry(ctx, inv, cmd);
      return said(r.incident, `${r.incident.reference}: added to the timeline at ${formatTime(r.entry.at, tz)}: ${r.entry.text}`);
    }
    case "report": {
      if (cmd.send) {
        const r = await sendIncidentReport(ctx, inv, cmd.incident);
        return said(r.incident, `${r.incident.reference}: the incident report is sent to the announcements channel.`);
      }
      const r = await renderIncidentReport(ctx, inv, cmd.incident);
      if (r.posted) return { ephemeral: true, text: `${r.incident.reference}: the incident report is posted here as ${r.filename}.` };
      return { ephemeral: true, text: r.markdown };
    }
    case "close": {
      const r = await closeIncident(ctx, inv, cmd);
      return said(r.incident, `${r.incident.reference} is closed, with the customer's agreement. It is now read-only; the war room is archived in ${ctx.policy.archiveAfterDays} days.`);
    }
  }
}
