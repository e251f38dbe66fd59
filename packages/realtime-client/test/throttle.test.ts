import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { throttle } from "../src/scheduling/throttle.js";

// Timelines below use the systemClock default: vi.useFakeTimers() replaces Date.now and the
// global timers, and systemClock looks them up on every call.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("throttle", () => {
  it("runs the first call at once and the latest of the others at the end of the window", () => {
    const fn = vi.fn();
    const update = throttle(fn, 100);
    update("a"); // t=0: leading run
    vi.advanceTimersByTime(30);
    update("b");
    vi.advanceTimersByTime(30);
    update("c"); // t=60: replaces b
    expect(fn.mock.calls).toEqual([["a"]]);
    expect(update.pending).toBe(true);
    vi.advanceTimersByTime(40); // t=100: trailing run with the latest arguments
    expect(fn.mock.calls).toEqual([["a"], ["c"]]);
    expect(update.pending).toBe(false);
  });

  it("never runs twice within one interval, even right after a trailing run", () => {
    const times: number[] = [];
    const update = throttle(() => times.push(Date.now()), 100);
    for (let t = 0; t < 1000; t += 10) {
      update();
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(200);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(100);
    expect(times.length).toBe(11); // 0, 100, ..., 1000: one per window, the last one trailing
  });

  it("does not add a trailing run when there was a single call", () => {
    const fn = vi.fn();
    const update = throttle(fn, 100);
    update(1);
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("with leading: false, waits for the end of the window", () => {
    const fn = vi.fn();
    const update = throttle(fn, 100, { leading: false });
    update(1);
    update(2);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fn.mock.calls).toEqual([[2]]);
  });

  it("with trailing: false, ignores calls made during the window", () => {
    const fn = vi.fn();
    const update = throttle(fn, 100, { trailing: false });
    update(1);
    update(2);
    vi.advanceTimersByTime(100);
    update(3);
    expect(fn.mock.calls).toEqual([[1], [3]]);
  });

  it(".clear() cancels the trailing run and the next call leads again", () => {
    const fn = vi.fn();
    const update = throttle(fn, 100);
    update(1);
    update(2);
    update.clear();
    vi.advanceTimersByTime(100);
    expect(fn.mock.calls).toEqual([[1]]);
    update(3);
    expect(fn.mock.calls).toEqual([[1], [3]]);
  });

  it(".flush() runs the pending call now", () => {
    const fn = vi.fn();
    const update = throttle(fn, 100);
    update(1);
    update(2);
    update.flush();
    expect(fn.mock.calls).toEqual([[1], [2]]);
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(2);
    update.flush(); // nothing pending: no call
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("accepts an injected clock", () => {
    const timers: Array<() => void> = [];
    const fn = vi.fn();
    const update = throttle(fn, 100, {
      clock: { now: () => 0, setTimeout: (cb) => timers.push(cb), clearTimeout: () => {} },
    });
    update(1);
    update(2);
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(fn.mock.calls).toEqual([[1], [2]]);
  });

  it("rejects a negative interval", () => {
    expect(() => throttle(() => {}, -1)).toThrow(RangeError);
  });
});
