/**
 * `GET /oncall/<schedule>.ics`: the next 8 weeks of a schedule's shifts, overrides applied, as an
 * iCalendar feed that Google Calendar and Outlook subscribe to (VCALENDAR with PRODID, VERSION,
 * METHOD:PUBLISH, X-WR-CALNAME; one VEVENT per shift, times in UTC; lines folded at 75 octets, CRLF —
 * written by ical-generator).
 *
 * Calendar clients cannot send headers when subscribing, so the token may come as `?token=` as well
 * as `Authorization: Bearer`. No token configured (ONCALL_CALENDAR_TOKEN) → 404 with a sentence;
 * a missing or wrong token → 401; an unknown schedule → 404. `?platform=slack` shows that platform's
 * ids (default: the schedule's first). Clients poll; REFRESH-INTERVAL / X-PUBLISHED-TTL ask for hourly.
 */
import ical, { ICalCalendarMethod } from "ical-generator";
import { scheduleShifts, type ScheduleShifts } from "../../commands/index.js";
import { queryOf, sameSecret, sendText, tokenGiven, type HttpRoute } from "./route.js";
import type { HttpDeps } from "./routes.js";


/**
 * The feed's text. A shift's UID is stable from one fetch to the next and from one day to the next:
 * schedule, platform, person and start (`scheduleShifts` gives every shift its real start; a shift
 * longer than the week it looks back is the one exception).
 */
export function calendarText(s: ScheduleShifts): string {
  const cal = ical({
    name: `On call: ${s.schedule}`,
    prodId: { company: "incident-bot", product: "oncall", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 3600,
    description: `Who is on call on ${s.schedule} (${s.platform}), overrides included; times in UTC, schedule timezone ${s.timezone}.`,
  });
  s.shifts.forEach((shift) => {
    const people = shift.people.map((p) => `@${p}`).join(" ");
    const anchor = shift.start.toISOString();
    cal.createEvent({
      id: `${s.schedule}.${s.platform}.${shift.people.join("+")}.${anchor}@incident-bot`,
      stamp: s.at,
      start: shift.start,
      end: shift.end,
      summary: `${s.schedule}: ${people} on call${shift.layer === "override" ? " (override)" : ""}`,
      description: `Layer: ${shift.layer}`,
    });
  });
  return cal.toString();
}

export function oncallCalendarRoutes(d: HttpDeps): HttpRoute[] {
  return [
    {
      path: "/oncall/:file",
      method: ["GET"],
      handler: async (req, res) => {
        const token = d.env.oncallCalendarToken;
        const plain = "text/plain; charset=utf-8";
        if (!token) return sendText(res, 404, plain, "On-call calendar feeds are off: set ONCALL_CALENDAR_TOKEN to serve them.\n");
        if (!sameSecret(tokenGiven(req).token, token)) return sendText(res, 401, plain, "Give the calendar token as ?token=… or an Authorization: Bearer header.\n", { "www-authenticate": "Bearer" });
        const ctx = d.app();
        if (!ctx) return sendText(res, 503, plain, "The bot is starting; try again in a moment.\n", { "retry-after": "5" });
        const file = req.params?.file ?? "";
        const name = file.endsWith(".ics") ? file.slice(0, -4) : "";
        const platform = queryOf(req).get("platform") ?? undefined;
        const shifts = name ? await scheduleShifts(ctx, name, platform) : null;
        if (!shifts) return sendText(res, 404, plain, `No schedule "${(name || file).slice(0, 60)}": the feeds are /oncall/<schedule>.ics for the schedules of the policy.\n`);
        sendText(res, 200, "text/calendar; charset=utf-8", calendarText(shifts), { "cache-control": "private, max-age=300", "content-disposition": `inline; filename="${name}.ics"` });
      },
    },
  ];
}
