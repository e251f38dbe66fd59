/**
 * `createThrottledSignal`: a signal that follows another at most once per interval.
 *
 * Throttling (not debouncing) is the right tool for live values: a debounced number would
 * never change while the stream keeps flowing, a throttled one changes every `ms` and always
 * ends on the latest value. The scheduling itself is the client's `throttle` (leading and
 * trailing); this wrapper only ties it to Solid: it tracks the source and clears the pending
 * run when the owner is disposed.
 *
 * @module
 */
import { createComputed, createSignal, on, onCleanup, untrack, type Accessor } from "solid-js";
import { throttle, type Clock } from "@pulseboard/realtime-client";

/** Options of {@link createThrottledSignal}. */
export interface ThrottledSignalOptions<T> {
  /**
   * Equality of successive values; `false` passes every update on (use it when the source
   * returns the same mutable object each time, like a ring buffer).
   * @default Object.is
   */
  equals?: false | ((prev: T, next: T) => boolean);
  /**
   * Time source (tests pass a fake).
   * @default the client's systemClock
   */
  clock?: Clock;
}

/**
 * Follow `source`, at most once every `ms` milliseconds: the first change of a burst passes
 * at once (leading), the latest value of the burst passes when the interval ends (trailing).
 *
 * @param source - any accessor (a signal, a memo, a function reading signals).
 * @param ms - minimum time between updates, in milliseconds.
 * @param options - see {@link ThrottledSignalOptions}.
 * @returns an accessor of the throttled value; it starts at the source's current value.
 * @example
 * ```tsx
 * const live = createRealtime({ url });
 * const cpu = () => live.series("cpu.usage")?.lastValue ?? NaN;
 * const shown = createThrottledSignal(cpu, 250); // text changes at most 4 times a second
 * return <span>{shown().toFixed(1)} %</span>;
 * ```
 */
export function createThrottledSignal<T>(source: Accessor<T>, ms: number, options: ThrottledSignalOptions<T> = {}): Accessor<T> {
  const [value, setValue] = createSignal<T>(untrack(source), { equals: options.equals });
  const push = throttle((next: T) => setValue(() => next), ms, { clock: options.clock });
  // createComputed runs synchronously with the source's change, so the leading update is
  // visible in the same tick; `defer` skips the initial run (the signal starts there).
  createComputed(on(source, (next) => push(next), { defer: true }));
  onCleanup(() => push.clear());
  return value;
}
