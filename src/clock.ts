/** Clock implementations. The port is `Clock` in the domain; only this module reads the real time. */
import type { Clock } from "./domain/clock.js";

export type { Clock };

export const systemClock: Clock = { now: () => new Date() };

/** Real time shifted by an offset that `advance` grows: the console's `:advance 30m`. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A clock that only moves when told: for tests. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
}
