/**
 * The ports the use cases take. `db` and `scheduler` implement the store side; chat adapters the
 * `ChatPort`; `src/clock.ts` the clock. Nothing here knows drizzle, Slack or Discord.
 */
import type { Clock } from "../domain/clock.js";
import type { StatusData, StatusQuery } from "../domain/status/model.js";
import type { Stats, StatsFilter } from "../domain/kpi/stats.js";
import type { Digest, ReviewIncident } from "../domain/review/documents.js";
import type { ChartSvg, WeekCounts } from "../domain/review/chart.js";
import type { ChildIncident, Incident, IncidentEvent, Outcome, Role, WarRoom } from "../domain/incident.js";
import type { Status } from "../domain/lifecycle.js";
import type { Pause } from "../domain/sla.js";
import type { RcaAction, RcaSection, TimelineEntry } from "../domain/rca/types.js";
import type { ChatMessage } from "../domain/views.js";
import type { PublicNotice } from "../domain/comms/public.js";
import type { Override } from "../domain/oncall/overrides.js";
import type { AlertRepo } from "./alerts/ports.js";

export type NewIncident = Omit<Incident, "id" | "roles" | "acknowledgedAt" | "acknowledgedBy" | "resolvedAt" | "closedAt" | "nextUpdateAt" | "outcome">;

export interface IncidentPatch {
  status?: Status;
  impact?: string;
  urgency?: string;
  priority?: string;
  respondBy?: Date | null;
  resolveBy?: Date | null;
  acknowledgedAt?: Date | null;
  acknowledgedBy?: string | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  nextUpdateAt?: Date | null;
  pauses?: Pause[];
  outcome?: Outcome | null;
  parentId?: number | null;
}

export interface ListFilter {
  includeClosed?: boolean;
  limit?: number;
}

/** Open (not resolved) incidents declared since `since` on the same service or of the same nature. */
export interface SimilarQuery {
  since: Date;
  service?: string | undefined;
  nature?: string | undefined;
  limit: number;
}

/** Incident records, bound to the transaction the caller runs in. */
export interface IncidentRepo {
  /** Next sequence number of the year: atomic, gap-free under concurrency. */
  nextSeq(year: number): Promise<number>;
  insert(incident: NewIncident): Promise<Incident>;
  /** Loads with a row lock (`FOR UPDATE`) so concurrent changes to one incident serialise. */
  get(id: number, lock?: boolean): Promise<Incident | null>;
  byReference(reference: string, lock?: boolean): Promise<Incident | null>;
  byChannel(platform: string, channelId: string, lock?: boolean): Promise<Incident | null>;
  update(id: number, patch: IncidentPatch): Promise<void>;
  setRole(id: number, role: Role, userId: string, at: Date): Promise<void>;
  appendEvent(e: Omit<IncidentEvent, "id">): Promise<void>;
  events(id: number): Promise<IncidentEvent[]>;
  /** Newest first, each with its war rooms (one statement). */
  list(filter: ListFilter): Promise<{ incident: Incident; rooms: WarRoom[] }[]>;
  /** References of open incidents like the one described, newest first (none when neither is given). */
  similar(q: SimilarQuery): Promise<string[]>;
  /** References of the incidents linked to this one with --parent. */
  children(id: number): Promise<ChildIncident[]>;
  warRooms(id: number): Promise<WarRoom[]>;
  /** The incident and its war rooms, read together (null when there is no such incident). */
  withRooms(id: number, lock?: boolean): Promise<{ incident: Incident; rooms: WarRoom[] } | null>;
  /** The same with `children` (see `children`), for the pinned summary: one statement. */
  withRoomsAndChildren(id: number): Promise<{ incident: Incident; rooms: WarRoom[]; children: ChildIncident[] } | null>;
  saveWarRoom(room: WarRoom, at: Date): Promise<void>;
  setSummaryMessage(id: number, platform: string, messageId: string, digest: string): Promise<void>;
  /** Records what the room's summary and topic now show (`app/jobs/summary-digest.ts`). */
  setRoomDigests(id: number, platform: string, digests: { summary?: string; topic?: string }): Promise<void>;
  /** Marks the war room ready for other posts (its summary pinned); a second call changes nothing. */
  setRoomReady(id: number, platform: string, at: Date): Promise<void>;
}

export interface TimerSpec {
  kind: string;
  /**
   * Idempotency key: a second schedule with the same key is ignored. A key names one timer: its kind
   * and incident are the same in every schedule of it (a transaction's schedules are batched on that).
   */
  key: string;
  incidentId?: number | null;
  dueAt: Date;
  payload?: Record<string, unknown>;
  /**
   * Replace rather than ignore: one row per key whatever its state — a pending row takes the earlier
   * due time and the new payload, a finished one runs again, a running one runs once more after.
   */
  replace?: boolean;
  /**
   * Start parked on this signal (as a handler's WaitForSignal would park it), unless it is raised
   * already: for work that cannot run before it, such as a post into a war room being opened. Only
   * for a signal sure to be raised, and only inside a transaction (elsewhere the timer starts pending
   * and parks itself when it runs). Not with `replace`.
   */
  waitFor?: string;
}

export interface TimerRepo {
  schedule(t: TimerSpec): Promise<void>;
  /** Cancels pending (and waiting) timers of an incident (of the given kinds, or all). Returns how many. */
  cancel(incidentId: number, kinds?: string[]): Promise<number>;
  /** Cancels pending (and waiting) timers whose key starts with `prefix`, but for `keep`. Returns how many. */
  cancelKeys(prefix: string, keep?: string): Promise<number>;
  /** Raises a signal once: timers parked on it (a handler threw `WaitForSignal`) become due at `at`. */
  signal(key: string, at: Date): Promise<number>;
  /** Whether the signal was raised. */
  signalled(key: string): Promise<boolean>;
}

export interface Delivery {
  /** Idempotency key: enqueueing the same key twice sends once. */
  key: string;
  incidentId?: number | null;
  platform: string;
  /** A channel id, or "warroom" / "announcements" resolved when delivered; an e-mail address; a webhook URL. */
  target: string;
  /**
   * Chat posts and direct messages; e-mail and webhook deliveries to stakeholder destinations.
   * "archive": post `message` (a last notice) to `target`, store its id, then archive the channel; the
   * war room is recorded archived with the row marked sent (src/app/rca/archive.ts).
   * "edit": replace the message the row keyed `edits` posted in `target` with `message` (ChatPort.update).
   */
  action: "post" | "dm" | "archive" | "email" | "webhook" | "edit";
  message: ChatMessage;
  /** With "edit": the key of the row whose posted message is replaced (its message id is stored there once sent). */
  edits?: string;
  /**
   * An "edit" row may wait for this one: once it is sent, failed or cancelled, its delivery raises
   * `sentSignal(key)` (src/app/waits.ts), which releases the edit.
   */
  awaited?: boolean;
  /** Pages and confirmations: retried fast with a short cap (src/scheduler/retry.ts). */
  urgent?: boolean;
  /** Its deliver timer starts parked on this signal (TimerSpec.waitFor). */
  waitFor?: string;
  /** A delivery to a stakeholder destination of the policy (src/app/comms/stakeholders.ts). */
  stakeholder?: StakeholderDelivery;
}

/** What a delivery to a stakeholder destination carries besides its chat rendering. */
export interface StakeholderDelivery {
  /** The destination's name in the policy ("announcements" for a platform's own channel). */
  destination: string;
  /** A platform's own announcements channel (no destination configured): cancelled where its platform does not run, as ever. */
  implicit?: boolean;
  /** The public facts, rendered when sent (e-mail, webhook). */
  notice?: PublicNotice;
  /** Threading and timezone; no unsubscribe token (each is made when its mail is sent, and only its digest is stored). */
  mail?: {
    /** The list's timezone for the times written in the mail. */
    timezone: string;
    /** This communication's Message-ID key, and the incident's first mail's on this list (threading). */
    messageKey: string;
    rootKey: string | null;
  };
}

export interface QueuedDelivery extends Delivery {
  id: number;
  status: "pending" | "sent" | "failed" | "cancelled";
  attempts: number;
  /** The message id once posted (a step's result, stored before the next step of the row runs). */
  externalId: string | null;
}

export interface OutboxRepo {
  enqueue(d: Delivery, at: Date): Promise<void>;
  get(id: number): Promise<QueuedDelivery | null>;
  /** The row enqueued under `key`, or null. */
  byKey(key: string): Promise<QueuedDelivery | null>;
  markSent(id: number, externalId: string | null, at: Date): Promise<void>;
  /** Stores the message id of a row's first step, the row still pending (its next step follows). */
  markPosted(id: number, externalId: string): Promise<void>;
  /** Records a failed attempt; `final` marks the delivery failed for good. */
  markAttempt(id: number, error: string, final: boolean): Promise<void>;
  markCancelled(id: number, reason: string): Promise<void>;
}

export interface NewCommunication {
  incidentId: number;
  at: Date;
  actor: string;
  /** notice | update | allclear | reminder | interim | report */
  kind: string;
  text: string;
  deliveryKeys: string[];
  /** Said to stakeholders (the status page shows only these publicly). */
  public: boolean;
}

export interface Communication extends Omit<NewCommunication, "deliveryKeys"> {
  id: number;
  deliveries: { target: string; status: string; attempts: number; lastError: string | null }[];
}

/** Stakeholder e-mail: the thread of each incident per list, and who unsubscribed. */
export interface MailRepo {
  /** The incident's first Message-ID key on this list: `key` when this is the first mail. */
  threadRoot(incidentId: number, destination: string, key: string, at: Date): Promise<string>;
  /**
   * A new unsubscribe token for one mail to a list member: only its digest is stored, so the mail is
   * the only place it is written. Every token issued stays valid.
   */
  issueToken(destination: string, address: string, at: Date): Promise<string>;
  unsubscribed(destination: string, address: string): Promise<boolean>;
  /** The list member a token belongs to, and whether they left; null for an unknown token. */
  recipient(token: string): Promise<{ destination: string; address: string; done: boolean } | null>;
  /** Records an unsubscription by token; null for an unknown token. */
  unsubscribe(token: string, at: Date): Promise<{ destination: string; address: string; already: boolean } | null>;
}

/** The communications log: what was said to whom, and whether it arrived. */
export interface CommsRepo {
  record(c: NewCommunication): Promise<number>;
  setDeliveryKeys(id: number, keys: string[]): Promise<void>;
  list(incidentId: number): Promise<Communication[]>;
}

export interface RequestRepo {
  /** True the first time a key is seen; false for a retry or a double click. */
  claim(key: string, at: Date): Promise<boolean>;
  /** Keeps what was given before a form opened; drafts older than a day are dropped on the way. */
  saveDraft(key: string, draft: Record<string, unknown>, at: Date): Promise<void>;
  /** A draft saved within the last day, or null. */
  draft(key: string, now: Date): Promise<Record<string, unknown> | null>;
}

export type PageChannel = "dm" | "warroom" | "webhook" | "email";
export type PageStatus = "queued" | "sent" | "failed" | "cancelled";

/** One page of the escalation ladder to one target over one channel. */
export interface PageRecord {
  incidentId: number;
  kind: "technical" | "managerial";
  ladder: "business" | "offhours";
  /** 1-based. */
  level: number;
  levelName: string;
  repeat: number;
  /** A chat id, "warroom", a webhook URL or an e-mail address. */
  target: string;
  channel: PageChannel;
  /** Idempotency key of the delivery: a second insert with the same key is ignored. */
  key: string;
}

export interface StoredPage extends PageRecord {
  id: number;
  /** For a direct message, the status of its outbox delivery ("pending" shown as queued). */
  status: PageStatus;
  lastError: string | null;
  createdAt: Date;
}

export interface PageRepo {
  /** The new page's id, or null when a page with this key exists already. */
  insert(p: PageRecord, at: Date): Promise<number | null>;
  get(id: number): Promise<StoredPage | null>;
  mark(id: number, status: PageStatus, at: Date, error?: string): Promise<void>;
  /** Cancels the queued pages of an incident, and the pending outbox deliveries of its direct messages. */
  cancelQueued(incidentId: number, reason: string): Promise<number>;
  list(incidentId: number): Promise<StoredPage[]>;
}

/** The RCA record of incidents: sections, actions, hand-added / pinned timeline entries, archiving. */
export interface RcaRepo {
  sections(incidentId: number): Promise<RcaSection[]>;
  /** Replaces (or, with `append`, extends) a section's text; returns the stored section. */
  setSection(incidentId: number, section: string, text: string, author: string, at: Date, append: boolean): Promise<RcaSection>;
  actions(incidentId: number): Promise<RcaAction[]>;
  /** Numbers the action (1, 2, … per incident; call with the incident locked). */
  addAction(incidentId: number, a: Omit<RcaAction, "n" | "doneAt" | "doneBy">, at: Date): Promise<RcaAction>;
  completeAction(incidentId: number, n: number, by: string, at: Date): Promise<void>;
  timelineEntries(incidentId: number): Promise<TimelineEntry[]>;
  addTimelineEntry(incidentId: number, e: TimelineEntry, at: Date): Promise<void>;
  markArchived(incidentId: number, platform: string, at: Date): Promise<void>;
}

/** KPIs over a period, computed by the store (src/domain/kpi/stats.ts has the definitions). */
export interface StatsRepo {
  compute(f: StatsFilter): Promise<Stats>;
}

/** What the weekly digest and the monthly report are made of. */
export interface ReviewRepo {
  digest(now: Date, weekFrom: Date, recurringThreshold: number): Promise<Digest>;
  month(from: Date, to: Date): Promise<{ incidents: ReviewIncident[]; downtime: { service: string; ms: number }[] }>;
  weeks(from: Date, to: Date, zone: string): Promise<WeekCounts[]>;
}

/** The status page's reads (src/db/status-repo.ts). */
export interface StatusRepo {
  window(q: StatusQuery): Promise<StatusData>;
}

/** Per-channel send slots shared by every replica (one post per channel per interval). */
export interface SlotRepo {
  /** Books the channel's earliest free send slot (now or later) and answers its time. */
  book(platform: string, channel: string, now: Date, gapMs: number): Promise<Date>;
  /**
   * Books a call of a platform API method per workspace: the earliest time (now or later) with fewer
   * than `limit` calls booked in the `windowMs` before it, shared by every replica.
   */
  bookWindow(platform: string, method: string, now: Date, limit: number, windowMs: number): Promise<Date>;
}

/** The operations of a ChatPort a platform may rate-limit per workspace (posts are paced per channel). */
export type ChatCall = "createChannel" | "invite" | "setTopic" | "update" | "pin" | "archive" | "postFile" | "dm";

/** What a platform allows of one call: at most `limit` in any `windowMs`, counted under `method`. */
export interface CallLimit {
  method: string;
  limit: number;
  windowMs: number;
}

/** An override as stored: who is on call instead, on one platform of a schedule, from → to. */
export interface StoredOverride extends Override {
  schedule: string;
  createdBy: string;
  coverRequestId: number | null;
}

export type NewOverride = Omit<StoredOverride, "id" | "coverRequestId"> & { coverRequestId?: number | null };

export interface CoverRequest {
  id: number;
  schedule: string;
  platform: string;
  channelId: string;
  askedBy: string;
  until: Date;
  createdAt: Date;
  /** The outbox key of the posted request. */
  messageKey: string;
  acceptedBy: string | null;
  acceptedAt: Date | null;
}

export type NewCoverRequest = Pick<CoverRequest, "schedule" | "platform" | "channelId" | "askedBy" | "until" | "messageKey">;

/** On-call overrides and cover requests (schedules themselves are policy). */
export interface OncallRepo {
  /**
   * Holds the schedule's lock until the transaction ends: changes of its overrides take turns, so each
   * reads who was on call before it after the one before it committed (the notices of a change in force).
   */
  lockSchedule(schedule: string): Promise<void>;
  /** Overrides not removed that end after `after`, of one schedule or of all, by start. */
  overrides(after: Date, schedule?: string): Promise<StoredOverride[]>;
  addOverride(o: NewOverride, at: Date): Promise<StoredOverride>;
  /** An override not removed, or null. */
  override(id: number): Promise<StoredOverride | null>;
  /** False when there is no such override (or it was removed already). */
  removeOverride(id: number, by: string, at: Date): Promise<boolean>;
  addCoverRequest(c: NewCoverRequest, at: Date): Promise<CoverRequest>;
  coverRequest(id: number, lock?: boolean): Promise<CoverRequest | null>;
  /** True for the first accept only. */
  acceptCover(id: number, by: string, at: Date): Promise<boolean>;
  /** Incidents still open (not resolved or closed) that paged `userId` by direct message. */
  pagedOpenIncidents(platform: string, userId: string): Promise<{ reference: string; title: string }[]>;
}

/** Everything a use case may touch inside one transaction. */
export interface UnitOfWork {
  incidents: IncidentRepo;
  timers: TimerRepo;
  outbox: OutboxRepo;
  requests: RequestRepo;
  comms: CommsRepo;
  mail: MailRepo;
  pages: PageRepo;
  rca: RcaRepo;
  slots: SlotRepo;
  stats: StatsRepo;
  review: ReviewRepo;
  alerts: AlertRepo;
  status: StatusRepo;
  oncall: OncallRepo;
}

export interface Store {
  /** Runs `fn` in one transaction: all of it commits, or none. */
  transaction<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` without a transaction of its own: each statement commits alone (inside an open
   * transaction, it joins that one). For one statement, or reads that need no snapshot taken together
   * — on PostgreSQL, at READ COMMITTED, a transaction's statements see other commits anyway; on PGlite
   * other transactions may now commit between them. Saves BEGIN and COMMIT.
   */
  autocommit<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T>;
}

/** What a chat platform can do for the use cases. Adapters implement it; the outbox calls it. */
export interface ChatPort {
  readonly platform: string;
  /**
   * Creates the war-room channel. `key` (the incident reference) is its marker, carried by the topic:
   * a name already taken by a channel whose topic/purpose carries the marker is adopted (a retry after
   * the channel was made but not recorded); a name taken by anything else gets `-2`, `-3`…
   * Inviting `members` and setting `topic` are separate war-room steps unless `setsUpAtCreation`.
   */
  createChannel(req: { name: string; key: string; topic: string; members: string[] }): Promise<{ channelId: string; name: string }>;
  /** The platform lets members in and sets the topic in the create call itself (Discord, console). */
  readonly setsUpAtCreation?: boolean;
  /** Minimum gap between two posts to one channel, shared by every replica (send slots). */
  readonly sendIntervalMs?: number;
  /**
   * The platform's documented limit on a call, per workspace (Slack's tiers), or none: the bot books
   * its calls against it (method slots, shared by every replica) rather than run into 429s.
   */
  callLimit?(call: ChatCall, to?: string): CallLimit | undefined;
  post(channelId: string, message: ChatMessage): Promise<{ messageId: string }>;
  update(channelId: string, messageId: string, message: ChatMessage): Promise<void>;
  pin(channelId: string, messageId: string): Promise<void>;
  /** Where the platform has channel topics: kept as priority · status · IM. */
  setTopic?(channelId: string, topic: string): Promise<void>;
  dm(userId: string, message: ChatMessage): Promise<{ messageId: string }>;
  /** Adds users (paged responders) to a channel, where the platform has channel membership. */
  invite?(channelId: string, userIds: string[]): Promise<void>;
  /** Posts a text file (the incident report); where missing, callers fall back to a plain post. */
  postFile?(channelId: string, filename: string, content: string | Uint8Array, title: string): Promise<{ messageId: string }>;
  /** Archives a channel (the war room, some days after closing). */
  archive?(channelId: string): Promise<void>;
  /** The channel stakeholders follow (announcements), if configured. */
  announcementsChannel(): string | null;
}

/** A durable timer as its handler sees it. */
export interface TimerJob {
  id: number;
  kind: string;
  key: string;
  incidentId: number | null;
  payload: Record<string, unknown>;
  /** Including this one. */
  attempts: number;
  /** True when a failure now is final (no retry follows). */
  lastAttempt: boolean;
}

export type TimerJobHandler = (job: TimerJob) => Promise<void>;

/** Told after a commit that new timers may be due, so it fires them on time rather than at the next poll. */
export interface TimerWaker {
  wake(): void;
}

/** Told what happened, for metrics. */
export interface Observer {
  commandHandled(platform: string, subcommand: string, outcome: string): void;
  incidentDeclared(priority: string): void;
}

/** A webhook page: a JSON POST carrying an `Idempotency-Key` header. Throws on failure (retried). */
export interface WebhookSender {
  post(url: string, body: unknown, idempotencyKey: string): Promise<void>;
}

/** An e-mail (page or stakeholder mail) through SMTP. Throws on failure (retried). */
export interface MailSender {
  /** Message ids are keys: the sender writes each `<key@its domain>`. Answers the Message-ID written. */
  send(mail: OutgoingMail): Promise<void | { messageId: string }>;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  html?: string;
  /** Threading: the key of the mail this one answers, and of the thread's first. */
  inReplyTo?: string;
  references?: string[];
  /** List-Unsubscribe (and List-Unsubscribe-Post one-click) to this URL. */
  unsubscribeUrl?: string;
  /** List-Id: the list's name. */
  list?: string;
}

/** Paging outside chat; a missing sender makes such pages fail and be reported. */
export interface PagingPorts {
  webhook?: WebhookSender;
  mail?: MailSender;
}

/** Encodes a raster as PNG (the app stays free of image libraries). */
export type ChartRenderer = (chart: ChartSvg) => Uint8Array;

export interface AppDeps {
  store: Store;
  clock: Clock;
  chats: Record<string, ChatPort>;
  waker: TimerWaker;
  observer?: Observer;
  paging?: PagingPorts;
  renderChart?: ChartRenderer;
  /** The bot's public base URL (PUBLIC_URL), for links in e-mails (unsubscribe); none when unset. */
  publicUrl?: string;
}
