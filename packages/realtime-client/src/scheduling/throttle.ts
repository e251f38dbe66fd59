/**
 * Throttle: run a function at most once per interval, keeping the latest arguments.
 *
 * @module
 */
import { systemClock, type Clock } from "./clock.js";

/**
 * A scheduled function: call it as often as you like; it decides when the wrapped function
 * really runs. Mirrors solid-primitives' scheduled functions.
 */
export interface Scheduled<Args extends unknown[]> {
  /** Request a run with these arguments (the latest arguments win). */
  (...args: Args): void;
  /** Cancel the pending run, if any. The next call starts afresh. */
  clear(): void;
  /** Run the pending call now (if any) instead of waiting, then start afresh. */
  flush(): void;
  /** Whether a run is scheduled and has not happened yet. */
  readonly pending: boolean;
}

/** Options of {@link throttle}. */
export interface ThrottleOptions {
  /**
   * Run on the first call of a burst, immediately.
   * @default true
   */
  leading?: boolean;
  /**
   * Run once more at the end of the interval if calls arrived during it, with the latest arguments.
   * @default true
   */
  trailing?: boolean;
  /**
   * Time source (tests pass a fake).
   * @default systemClock
   */
  clock?: Clock;
}

/**
 * Wrap `fn` so it runs at most once every `ms` milliseconds (lodash `throttle` semantics).
 *
 * ```
 * ms = 100, leading and trailing (the defaults):
 *
 * time    0    30   60   100       200  250       350
 * calls   a    b    c                   d
 * runs    a              c              d
 *         [--- window ---][--- window ---]  [--- window ---]
 *         a: leading      c: trailing, the   d: leading (the window
 *         (at once)       latest of b and c  had closed at 200)
 *
 * leading: false  -> the first run is c, at 100.
 * trailing: false -> b and c are dropped; runs are a and d.
 * ```
 *
 * A trailing run opens a new window, so runs are never closer than `ms` apart. With only
 * one call in a window there is no trailing run (the leading one already had those
 * arguments). `flush()` runs the pending trailing call now and closes the window.
 *
 * @param fn - the function to rate-limit.
 * @param ms - the interval in milliseconds (>= 0).
 * @param options - see {@link ThrottleOptions}.
 * @returns the scheduled function with `.clear()`, `.flush()` and `.pending`.
 * @throws RangeError when `ms` is negative or not finite.
 * @example
 * ```ts
 * const updateLabel = throttle((value: number) => (label.textContent = value.toFixed(1)), 250);
 * stream.on("data", () => updateLabel(ring.lastValue)); // text changes at most 4 times a second
 * onCleanup(updateLabel.clear);
 * ```
 */
export function throttle<Args extends unknown[]>(
  fn: (...args: Args) => void,
  ms: number,
  options: ThrottleOptions = {},
): Scheduled<Args> {
  if (!(ms >= 0) || ms === Infinity) throw new RangeError(`throttle interval must be a finite number >= 0, got ${String(ms)}`);
  const leading = options.leading ?? true;
  const trailing = options.trailing ?? true;
  const clock = options.clock ?? systemClock;
  let timer: unknown = null;
  let windowOpen = false;
  let pendingArgs: Args | null = null;

  const openWindow = (): void => {
    windowOpen = true;
    timer = clock.setTimeout(onWindowEnd, ms);
  };

  function onWindowEnd(): void {
    timer = null;
    windowOpen = false;
    if (pendingArgs !== null) {
      const args = pendingArgs;
      pendingArgs = null;
      // Re-open before running, so a call made from inside fn is throttled too.
      openWindow();
      fn(...args);
    }
  }

  const scheduled = ((...args: Args): void => {
    if (!windowOpen) {
      if (leading) {
        openWindow();
        fn(...args);
        return;
      }
      openWindow();
    }
    if (trailing) pendingArgs = args;
  }) as Scheduled<Args>;

  scheduled.clear = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    windowOpen = false;
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
