/**
 * Debounce: run a function once things have been quiet for a while.
 *
 * @module
 */
import { systemClock, type Clock } from "./clock.js";
import type { Scheduled } from "./throttle.js";

export type { Scheduled } from "./throttle.js";

/** Options of {@link debounce}. */
export interface DebounceOptions {
  /**
   * The longest a call may wait: if calls keep coming, run anyway `maxWait` ms after the
   * first call not yet run. Without it a steady stream of calls would postpone the run forever.
   * @default undefined (no limit)
   */
  maxWait?: number;
  /**
   * Time source (tests pass a fake).
   * @default systemClock
   */
  clock?: Clock;
}

/**
 * Wrap `fn` so it runs `ms` after the LAST call of a burst, with that call's arguments
 * (lodash `debounce` with its default trailing edge).
 *
 * ```
 * ms = 100:
 * time   0  40  80            180
 * calls  a  b   c
 * runs                        c        (100 ms after the last call)
 *
 * ms = 100, maxWait = 150, a call every 40 ms:
 * time   0  40  80  120  150  160 ...
 * calls  a  b   c   d         e
 * runs                   d              (150 ms after a, the first waiting call)
 * ```
 *
 * Internally one timer is kept per burst instead of one per call: when it fires early it
 * re-arms for the remaining time. Debounced functions are often fed by hot events
 * (resize, scroll, keystrokes), where cancelling and creating a timer per call adds up.
 *
 * @param fn - the function to debounce.
 * @param ms - quiet time in milliseconds (>= 0).
 * @param options - see {@link DebounceOptions}.
 * @returns the scheduled function with `.clear()`, `.flush()` and `.pending`.
 * @throws RangeError when `ms` or `maxWait` is negative or not finite, or `maxWait < ms`.
 * @example
 * ```ts
 * const search = debounce((text: string) => filterMetrics(text), 200);
 * input.addEventListener("input", () => search(input.value));
 * ```
 */
export function debounce<Args extends unknown[]>(
  fn: (...args: Args) => void,
  ms: number,
  options: DebounceOptions = {},
): Scheduled<Args> {
  if (!(ms >= 0) || ms === Infinity) throw new RangeError(`debounce wait must be a finite number >= 0, got ${String(ms)}`);
  const maxWait = options.maxWait;
  if (maxWait !== undefined && (!(maxWait >= ms) || maxWait === Infinity)) {
    throw new RangeError(`debounce maxWait must be a finite number >= wait (${ms}), got ${String(maxWait)}`);
  }
  const clock = options.clock ?? systemClock;
  let timer: unknown = null;
  let pendingArgs: Args | null = null;
  let firstCallTime = 0;
  let lastCallTime = 0;

  const deadline = (): number => {
    const quiet = lastCallTime + ms;
    if (maxWait === undefined) return quiet;
    const limit = firstCallTime + maxWait;
    return limit < quiet ? limit : quiet;
  };

  function onTimer(): void {
    timer = null;
    if (pendingArgs === null) return;
    const remaining = deadline() - clock.now();
    if (remaining > 0) {
      timer = clock.setTimeout(onTimer, remaining);
      return;
    }
    const args = pendingArgs;
    pendingArgs = null;
    fn(...args);
  }

  const scheduled = ((...args: Args): void => {
    const now = clock.now();
    if (pendingArgs === null) firstCallTime = now;
    lastCallTime = now;
    pendingArgs = args;
    // The deadline only moves later with each call, so an armed timer is never too late.
    if (timer === null) timer = clock.setTimeout(onTimer, deadline() - now);
  }) as Scheduled<Args>;

  scheduled.clear = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    pendingArgs = null;
  };

  scheduled.flush = (): void => {
    const args = pendingArgs;
    scheduled.clear();
    if (args !== null) fn(...args);
  };

  Object.defineProperty(scheduled, "pending", { get: () => pendingArgs !== null, enumerable: true });
  return scheduled;
}
