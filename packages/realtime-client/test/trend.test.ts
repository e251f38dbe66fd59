/**
 * TrendMeter: the latest complete window of a series against the one before, by the samples'
 * own timestamps. Gauges compare means, counters their increases; the window still filling is
 * ignored; without two complete windows held in the ring there is no trend (NaN).
 */
import { describe, expect, it } from "vitest";
import { RingBuffer } from "../src/store/ring-buffer.js";
import { TrendMeter } from "../src/view/trend.js";

const W = 10_000;
/** One sample a second at t = 0 .. 34 s: three complete 10 s windows, then one filling. */
function ring(value: (t: number) => number, capacity = 64): RingBuffer {
  const r = new RingBuffer(capacity);
  for (let t = 0; t <= 34_000; t += 1000) r.push(t, value(t));
  return r;
}
/** The window index of t: 0, 1, 2 complete, 3 filling. */
const windowOf = (t: number) => Math.floor(t / W);

describe("TrendMeter", () => {
  it("compares the means of a gauge's two latest complete windows, ignoring the filling one", () => {
    const levels = [5, 10, 15, 1000];
    const meter = new TrendMeter(W);
    expect(meter.measure(ring((t) => levels[windowOf(t)]), "gauge")).toBeCloseTo((15 - 10) / 10);
    // Falling: (5 - 10) / |10|.
    const falling = [20, 10, 5, -1000];
    expect(meter.measure(ring((t) => falling[windowOf(t)]), "gauge")).toBeCloseTo(-0.5);
  });

  it("compares a counter's increases per window, not its levels", () => {
    const perSample = [1, 2, 3, 50];
    // The counter's value: the sum of every increment up to and including t.
    const value = (t: number) => {
      let v = 0;
      for (let s = 0; s <= t; s += 1000) v += perSample[windowOf(s)];
      return v;
    };
    // Window 2 rose by 3 × 10 = 30, window 1 by 2 × 10 = 20.
    expect(new TrendMeter(W).measure(ring(value), "counter")).toBeCloseTo((30 - 20) / 20);
  });

  it("is NaN without two complete windows in the ring, and 0 for a flat zero", () => {
    const meter = new TrendMeter(W);
    expect(meter.measure(undefined, "gauge")).toBeNaN();
    const short = new RingBuffer(8);
    for (let t = 0; t < 15_000; t += 1000) short.push(t, 1);
    expect(meter.measure(short, "gauge")).toBeNaN(); // one complete window only
    // The ring holds the last 12 s only: the previous window is partly gone.
    expect(meter.measure(ring(() => 1, 12), "gauge")).toBeNaN();
    expect(meter.measure(ring(() => 0), "gauge")).toBe(0);
  });
});
