/**
 * Chart data from rings: zero-copy views while the points fit the pixels, min-max
 * decimation (spikes kept) with one shared x column when they do not; stacked bars per
 * second; donut geometry.
 */
import { describe, expect, it } from "vitest";
import { RingBuffer } from "@pulseboard/realtime-client";
import { AlignedWindow } from "../../src/charts/aligned-window.ts";
import { ringSegment, slices } from "../../src/charts/donut-geometry.ts";
import { StackedRates } from "../../src/charts/stacked-rates.ts";

function ringOf(n: number, value: (i: number) => number, step = 10, capacity = n): RingBuffer {
  const ring = new RingBuffer(capacity);
  for (let i = 0; i < n; i++) ring.push(1_000_000 + i * step, value(i));
  return ring;
}

describe("AlignedWindow", () => {
  it("hands uPlot views of the rings, not copies", () => {
    const a = ringOf(500, (i) => i);
    const b = ringOf(500, (i) => -i);
    const [xs, ya, yb] = new AlignedWindow().compute([a, b], 60_000, 1000) as Float64Array[];
    expect(xs.length).toBe(500);
    expect(xs.buffer).toBe(a.times().buffer);
    expect(ya.buffer).toBe(a.values().buffer);
    expect(yb.buffer).toBe(b.values().buffer);
    expect(yb[499]).toBe(-499);
  });

  it("keeps only the window, aligned by the tail", () => {
    const a = ringOf(1000, (i) => i); // 10 s at 10 ms
    const b = ringOf(990, (i) => i + 10); // started a frame later
    const [xs, ya, yb] = new AlignedWindow().compute([a, b], 2000, 1000) as Float64Array[];
    expect(xs[xs.length - 1] - xs[0]).toBe(2000);
    expect(ya.length).toBe(xs.length);
    expect(yb[yb.length - 1]).toBe(999);
    expect(ya[ya.length - 1]).toBe(999);
  });

  it("decimates to about two points per pixel per series, keeping every spike", () => {
    const a = ringOf(60_000, (i) => (i === 12_345 ? 1000 : Math.sin(i / 100)));
    const b = ringOf(60_000, (i) => (i === 40_000 ? -500 : Math.cos(i / 100)));
    const window = new AlignedWindow();
    const [xs, ya, yb] = window.compute([a, b], 600_000, 500) as Float64Array[];
    expect(window.decimated).toBe(true);
    expect(xs.length).toBeLessThanOrEqual(2 * (2 * 500 + 2));
    expect(Math.max(...ya)).toBe(1000);
    expect(Math.min(...yb)).toBe(-500);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]);
  });
});

describe("StackedRates", () => {
  it("stacks visible classes per second, full stack first", () => {
    const ok = ringOf(30, () => 100, 100);
    const bad = ringOf(30, () => 5, 100);
    const stack = new StackedRates(2, 3);
    const [xs, full, bottom] = stack.compute([ok, bad], [true, true]) as Float64Array[];
    expect(xs.length).toBe(3);
    expect(full[1]).toBeCloseTo(105);
    expect(bottom[1]).toBeCloseTo(100);
    const [, fullWithout] = stack.compute([ok, bad], [false, true]) as Float64Array[];
    expect(fullWithout[1]).toBeCloseTo(5);
  });
});

describe("donut geometry", () => {
  it("splits the circle by share", () => {
    const s = slices([1, 1, 2]);
    expect(s[0].fraction).toBe(0.25);
    expect(s[2].end).toBeCloseTo(Math.PI * 2);
    expect(slices([0, NaN]).every((x) => x.fraction === 0)).toBe(true);
  });

  it("draws a full ring as two arcs and an empty one as nothing", () => {
    expect(ringSegment(100, 100, 90, 60, 0, Math.PI * 2).match(/A/g)).toHaveLength(4);
    expect(ringSegment(100, 100, 90, 60, 1, 1)).toBe("");
  });
});
