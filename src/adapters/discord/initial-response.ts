/**
 * The initial response of an interaction received over HTTP is the HTTP response itself (Discord
 * waits up to 3 s for it). discord.js sends every initial response — reply (type 4), deferReply (5),
 * deferUpdate (6), update (7), autocomplete choices (8), showModal (9) — as one call,
 * `POST /interactions/{id}/{token}/callback`; for an interaction this process received over HTTP that
 * call is caught here and its body handed to the waiting HTTP request, so the handlers run unchanged on
 * either way in. Follow-ups (editing a deferred reply, follow-up messages) still go through the REST
 * webhook routes, as on the gateway. The caught call returns once the HTTP response is written, so a
 * follow-up never overtakes the response it edits.
 */
import type { REST } from "discord.js";

export interface InitialResponse {
  type: number;
  data?: unknown;
}

export interface CaughtResponse {
  body: InitialResponse;
  /** Call once the HTTP response is written (or the request is gone): the handler continues. */
  written: () => void;
}

const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

export class HttpInitialResponses {
  private readonly waiting = new Map<string, (r: CaughtResponse) => void>();

  constructor(rest: REST) {
    const post = rest.post.bind(rest);
    rest.post = (route, options) => {
      const take = this.waiting.get(CALLBACK.exec(route)?.[1] ?? "");
      if (!take) return post(route, options);
      if (options?.files?.length) throw new Error("an initial interaction response over HTTP cannot carry files; send them as a follow-up");
      this.waiting.delete(CALLBACK.exec(route)![1]!);
      return new Promise<unknown>((resolve) => take({ body: options?.body as InitialResponse, written: () => resolve(undefined) }));
    };
  }

  /** The initial response the handler of interaction `id` sends, once it sends it. */
  expect(id: string): { response: Promise<CaughtResponse>; cancel: () => void } {
    let cancel = () => {};
    const response = new Promise<CaughtResponse>((resolve) => {
      this.waiting.set(id, resolve);
      cancel = () => this.waiting.delete(id);
    });
    return { response, cancel };
  }
}
