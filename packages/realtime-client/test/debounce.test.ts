import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce } from "../src/scheduling/debounce.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("debounce", () => {
  it("runs once, `ms` after the last call of a burst, with its arguments", () => {
    const fn = vi.fn();
    const search = debounce(fn, 100);
    search("p");
    vi.advanceTimersByTime(40);
    search("pu");
    vi.advanceTimersByTime(40);
    search("pul"); // t=80
    vi.advanceTimersByTime(99);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1); // t=180
    expect(fn.mock.calls).toEqual([["pul"]]);
    expect(search.pending).toBe(false);
  });

  it("with maxWait, still runs during a never-ending burst", () => {
    const times: number[] = [];
    const save = debounce(() => times.push(Date.now()), 100, { maxWait: 150 });
    for (let t = 0; t <= 400; t += 40) {
      save();
      vi.advanceTimersByTime(40);
    }
    vi.advanceTimersByTime(200);
    // Each run happens 150 ms after the first call it delivers (0, 160, 320).
    // Without maxWait there would be a single run, at 500.
    expect(times).toEqual([150, 310, 470]);
  });

  it(".clear() drops the pending run", () => {
    const fn = vi.fn();
    const save = debounce(fn, 100);
    save(1);
    expect(save.pending).toBe(true);
    save.clear();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
    expect(save.pending).toBe(false);
  });

  it(".flush() runs the pending call at once, and only once", () => {
    const fn = vi.fn();
    const save = debounce(fn, 100);
    save(1);
    save(2);
    save.flush();
    expect(fn.mock.calls).toEqual([[2]]);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("uses one timer per burst, not one per call", () => {
    let started = 0;
    const save = debounce(() => {}, 100, {
      clock: { now: () => Date.now(), setTimeout: (cb, ms) => (started++, setTimeout(cb, ms)), clearTimeout: (h) => clearTimeout(h as number) },
    });
    for (let i = 0; i < 50; i++) {
      save();
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1000);
    expect(started).toBeLessThan(10);
  });

  it("rejects bad options", () => {
    expect(() => debounce(() => {}, NaN)).toThrow(RangeError);
    expect(() => debounce(() => {}, 100, { maxWait: 50 })).toThrow(RangeError);
  });
});
