/** The timer kinds of the escalation ladder. */
export const ACK_TIMEOUT = "escalation.ack_timeout";
export const RESOLVE_BY_BREACH = "escalation.resolve_by";
export const RESPOND_BY_MISSED = "escalation.respond_by";
export const PAGE_ROOM = "page.warroom";
export const PAGE_WEBHOOK = "page.webhook";
export const PAGE_EMAIL = "page.email";

/** What acknowledgement stops: the next rung of the ladder. */
export const LADDER_KINDS = [ACK_TIMEOUT, RESPOND_BY_MISSED];
/** What resolve and close stop: everything still to come. */
export const ALL_KINDS = [ACK_TIMEOUT, RESOLVE_BY_BREACH, RESPOND_BY_MISSED, PAGE_ROOM, PAGE_WEBHOOK, PAGE_EMAIL];
