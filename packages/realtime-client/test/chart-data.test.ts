/**
 * Chart data from rings: stacked bars per second; donut geometry. (Time-series columns come
 * from the client's TimeAligner, tested with the client.)
 */
import { describe, expect, it } from "vitest";
import { RingBuffer } from "../src/store/ring-buffer.js";
import { ringSegment, slices } from "../src/view/donut-geometry.js";
import { StackedRates } from "../src/view/stacked-rates.js";

function ringOf(n: number, value: (i: number) => number, step = 10, capacity = n): RingBuffer {
  const ring = new RingBuffer(capacity);
  for (let i = 0; i < n; i++) ring.push(1_000_000 + i * step, value(i));
  return ring;
}

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
