/**
 * What every Slack handler shares: timing and tracking the work done after the ack (so shutdown and
 * tests can wait for it), answering buttons and forms (refusals only to the user, successes to the
 * channel), and turning thrown refusals into replies.
 */
import type { App } from "@slack/bolt";
import { fit, type Reply } from "../../commands/index.js";
import type { Logger } from "../../log.js";
import type { Metrics } from "../../metrics.js";
import { workLimitOf, type WorkLimit } from "../work-limit.js";
import { withMentions } from "./mrkdwn.js";

export type Client = App["client"];

/** Work still running after Slack got its ack; shutdown and tests wait for it. */
export interface InFlight {
  settled(): Promise<void>;
}

/**
 * The work after the acks, tracked for shutdown and tests. Its database part (`limited`) runs at most
 * WORK_LIMIT at once, first acked first started (work-limit.ts); the answer to Slack (response_url,
 * views.open, a message) is not held in a slot, so a slow Slack does not slow the commands behind it.
 * A person's commands start in the order they were acked; two of them may overlap, as they did before.
 * Acked work waits in memory until it runs, as it did before while it ran: a crash loses what was
 * acked and not yet done (Slack does not retry an acked request), queued or not.
 */
export class Work implements InFlight {
  private readonly running = new Set<Promise<void>>();
  private readonly slots: WorkLimit;
  constructor(
    private readonly metrics: Metrics,
    private readonly log: Logger,
    limit?: WorkLimit | number,
  ) {
    this.slots = workLimitOf(limit);
  }

  /** Runs one handler's work, timed from the ack (time in the queue included); a failure is logged (Slack already has its ack). */
  run(kind: string, fn: () => Promise<void>): Promise<void> {
    const stop = this.metrics.handlerSeconds.startTimer({ platform: "slack", kind });
    const work = fn()
      .catch((e: unknown) => this.log.error("slack handler failed", { kind, error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        stop();
        this.running.delete(work);
      });
    this.running.add(work);
    return work;
  }

  /** The command itself (its transactions), once one of the limited slots is free. */
  limited<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots.run(fn);
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** Slack shows at most 3,000 characters in a text block; longer answers are cut at a line. */
export const SLACK_TEXT_MAX = 3000;

/** A reply as Slack text: escaped (no mass mention), within Slack's limit, ephemeral or not. */
export function respondText(reply: Reply): { response_type: "ephemeral" | "in_channel"; text: string } {
  // People are shown Slack's way (<@U…>). An ephemeral answer pings no one, so every id becomes a
  // mention there; a public one mentions only the people of the incident, never an id quoted from text.
  const text = fit(reply.text, SLACK_TEXT_MAX);
  return { response_type: reply.ephemeral ? "ephemeral" : "in_channel", text: withMentions(text, reply.ephemeral ? undefined : new Set(reply.people ?? [])) };
}

/**
 * Answers a button or form: refusals only to the user; a success was posted to the channel through the
 * outbox with the change (so a failed chat call after the change loses nothing); retries say nothing.
 * What is still sent directly here changes nothing people rely on: refusals and private copies
 * (ephemeral, to the one who clicked, shown only while they look), and a public reply about no
 * incident (nothing changed); a failure is logged by `Work.run`.
 */
export async function answer(client: Client, channel: string, user: string, reply: Reply): Promise<void> {
  if (reply.refusal?.code === "E_DUPLICATE_REQUEST") return;
  if (reply.posted && !reply.ephemeral) return; // the outbox posts it, with the change
  const { text } = respondText(reply);
  if (reply.ephemeral) await client.chat.postEphemeral({ channel, user, text });
  else await client.chat.postMessage({ channel, text });
}
