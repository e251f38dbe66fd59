/**
 * A hand-driven {@link Clock}: time moves only in `advance()`, which runs the timers that fall
 * due, in order. Pass it as the manager's `clock` (and to anything else that takes one) to test
 * timing without fake global timers. `throttleTo` imitates a background tab, where the
 * browser runs timers no more often than once per given period.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";

/**
 * A {@link Clock} driven by hand.
 *
 * @example
 * ```ts
 * const clock = createManualClock(1_000_000);
 * clock.setTimeout(() => console.log("fired at", clock.now()), 500);
 * clock.advance(499); // nothing
 * clock.advance(1);   // "fired at 1000500"
 * expect(clock.pending).toBe(0);
 * ```
 */
export interface ManualClock extends Clock {
  /**
   * Move time forward by `ms`, running every timer that falls due on the way (timers they set
   * included) at its own time, oldest first among equals.
   * @param ms - how far to move; 0 runs what is already due.
   */
  advance(ms: number): void;
  /** Timers set and not yet fired or cleared. */
  readonly pending: number;
  /** Align every timer set from now on to the next multiple of this period (0, the default, disables). */
  throttleTo: number;
}

/**
 * Create a {@link ManualClock}.
 *
 * @param start - the initial `now()`, in milliseconds. @default 0
 * @returns a clock at `start` with no timer.
 *
 * @example
 * ```ts
 * const clock = createManualClock(0);
 * clock.throttleTo = 1000;                 // a background tab: timers run once a second at most
 * clock.setTimeout(() => console.log(clock.now()), 10);
 * clock.advance(1000);                     // logs 1000, not 10
 * ```
 */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ManualClock = {
    throttleTo: 0,
    now: () => now,
    setTimeout(fn, ms) {
      let at = now + Math.max(0, ms);
      if (clock.throttleTo > 0) at = Math.ceil(at / clock.throttleTo) * clock.throttleTo;
      timers.set(++nextId, { at, fn });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let nextKey = -1;
        let nextAt = Infinity;
        for (const [key, timer] of timers) {
          if (timer.at <= end && (timer.at < nextAt || (timer.at === nextAt && key < nextKey))) {
            nextAt = timer.at;
            nextKey = key;
          }
        }
        if (nextKey === -1) break;
        const timer = timers.get(nextKey)!;
        timers.delete(nextKey);
        now = Math.max(now, timer.at);
        timer.fn();
      }
      now = end;
    },
    get pending() {
      return timers.size;
    },
  };
  return clock;
}
