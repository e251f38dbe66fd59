/**
 * createThrottledSignal: leading and trailing, like the client's throttle it is built on.
 *
 * ```
 * ms = 100
 * time     0    30   60   100        250
 * source   1    2    3               4
 * value    1              3          4
 *          leading        trailing   leading (window closed at 200)
 * ```
 */
import { createComputed, createRoot, createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createThrottledSignal } from "../src/index.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createThrottledSignal", () => {
  it("passes the first change at once and the latest one at the end of the window", () => {
    createRoot((dispose) => {
      const [source, setSource] = createSignal(0);
      const value = createThrottledSignal(source, 100);
      expect(value()).toBe(0);

      setSource(1);
      expect(value()).toBe(1); // leading
      vi.advanceTimersByTime(30);
      setSource(2);
      vi.advanceTimersByTime(30);
      setSource(3);
      expect(value()).toBe(1); // inside the window: held back
      vi.advanceTimersByTime(40);
      expect(value()).toBe(3); // trailing: the latest of 2 and 3, never 2

      vi.advanceTimersByTime(150);
      setSource(4);
      expect(value()).toBe(4); // a new burst: leading again
      dispose();
    });
  });

  it("never fires faster than the interval under a continuous stream", () => {
    createRoot((dispose) => {
      const [source, setSource] = createSignal(0);
      const value = createThrottledSignal(source, 250);
      const seen: number[] = [];
      let last = value();
      for (let t = 1; t <= 1000; t++) {
        setSource(t);
        vi.advanceTimersByTime(1);
        if (value() !== last) {
          last = value();
          seen.push(t);
        }
      }
      // 1 000 source changes in 1 s: one leading update, then one per 250 ms.
      expect(seen.length).toBeLessThanOrEqual(5);
      expect(seen.length).toBeGreaterThanOrEqual(4);
      dispose();
    });
  });

  it("cancels the pending trailing update when its owner is disposed", () => {
    const [source, setSource] = createSignal(0);
    const { value, dispose } = createRoot((dispose) => ({ value: createThrottledSignal(source, 100), dispose }));
    setSource(1);
    setSource(2); // pending trailing update
    expect(vi.getTimerCount()).toBe(1);
    dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(500);
    expect(value()).toBe(1);
  });

  it("passes every update of an object source with equals: false", () => {
    createRoot((dispose) => {
      const ring = { lastValue: 0 }; // a mutable object that stays the same reference
      const [tick, bump] = createSignal(undefined, { equals: false });
      const value = createThrottledSignal(() => (tick(), ring), 100, { equals: false });
      let runs = 0;
      createComputed(() => {
        value();
        runs++;
      });
      bump();
      expect(runs).toBe(2); // leading: passed although the reference did not change
      bump();
      vi.advanceTimersByTime(100);
      expect(runs).toBe(3); // trailing
      dispose();
    });
  });
});
