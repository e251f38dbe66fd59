/**
 * A hand-driven Clock: time moves only in `advance()`. `throttleTo` imitates a background tab,
 * where the browser runs timers no more often than once per given period.
 */
import type { Clock } from "../../src/clock.js";

export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Timers not yet fired. */
  readonly pending: number;
  /** Align every timer to the next multiple of `periodMs` (0 disables). */
  throttleTo: number;
}

export function manualClock(start = 0): ManualClock {
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
