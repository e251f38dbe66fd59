import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../src/scheduling/clock.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("systemClock", () => {
  it("follows fake timers installed after it was imported", () => {
    vi.useFakeTimers();
    vi.setSystemTime(5000);
    const fn = vi.fn();
    systemClock.setTimeout(fn, 100);
    expect(systemClock.now()).toBe(5000);
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("cancels timers and survives methods being detached from the object", () => {
    vi.useFakeTimers();
    const { setTimeout: later, clearTimeout: cancel } = systemClock;
    const fn = vi.fn();
    cancel(later(fn, 10));
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
  });
});
