/**
 * Time and timers behind one small interface, so every scheduled thing in the client
 * (throttle, debounce, frame batcher, heartbeat, reconnect backoff) can be driven by a fake
 * clock in tests and by the real one in production.
 *
 * @module
 */

/**
 * Injectable time and timers (tests pass fakes).
 *
 * @example
 * ```ts
 * // A manual clock for a test: time only moves when the test says so.
 * let now = 0;
 * const clock: Clock = { now: () => now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
 * ```
 */
export interface Clock {
  /** Wall-clock time in epoch milliseconds (like `Date.now()`). */
  now(): number;
  /**
   * Run `fn` once after `ms` milliseconds.
   * @param fn - the callback.
   * @param ms - the delay in milliseconds.
   * @returns an opaque handle for {@link Clock.clearTimeout}.
   */
  setTimeout(fn: () => void, ms: number): unknown;
  /**
   * Cancel a timer started by {@link Clock.setTimeout}. Unknown or already fired handles are ignored.
   * @param handle - the value returned by `setTimeout`.
   */
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock: `Date.now` and the global timers.
 *
 * The globals are looked up on every call rather than captured when this module loads.
 * That is why each method is a small wrapper: it keeps the right `this` (a bare
 * `window.setTimeout` reference called as a method of another object throws "Illegal
 * invocation" in browsers), and it lets fake timers installed later (`vi.useFakeTimers()`,
 * sinon) take effect for code that already holds `systemClock`.
 *
 * @example
 * ```ts
 * const handle = systemClock.setTimeout(() => console.log("tick"), 1000);
 * systemClock.clearTimeout(handle);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number): unknown => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle: unknown): void => {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  },
};
