/** The clock port. The domain never reads the time itself: callers pass `clock.now()` in. */
export interface Clock {
  now(): Date;
}
