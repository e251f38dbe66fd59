/**
 * Chart columns aligned by timestamp: every value is drawn at its own sample's time, a series
 * that misses a sample gets `null` there (never its neighbour's value, never a shift of its
 * older points), the common case of equal timestamps costs no copy, and buffers are reused
 * from one call to the next.
 */
import { describe, expect, it } from "vitest";
import { RingBuffer } from "../src/store/ring-buffer.js";
import { TimeAligner, type AlignedColumns } from "../src/analysis/time-aligner.js";

const T0 = 1_000_000;
const STEP = 10;

/** A ring with samples at T0 + i * STEP for each i of `indices`, valued `value(i)`. */
function ringAt(indices: Iterable<number>, value: (i: number) => number, capacity = 100_000): RingBuffer {
  const ring = new RingBuffer(capacity);
  for (const i of indices) ring.push(T0 + i * STEP, value(i));
  return ring;
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Every non-null value of every series must be that series' value at the column's time. */
function expectValuesAtTheirTimes(columns: AlignedColumns, truth: ((t: number) => number | null)[]): void {
  const [xs, ...ys] = columns;
  ys.forEach((y, s) => {
    expect(y.length, `series ${s} column length`).toBe(xs.length);
    for (let i = 0; i < xs.length; i++) expect(y[i], `series ${s} at t=${xs[i]}`).toBe(truth[s](xs[i]));
  });
}

describe("TimeAligner", () => {
  it("hands out views of the rings, not copies, when every series has the same times", () => {
    const a = ringAt(range(0, 500), (i) => i);
    const b = ringAt(range(0, 500), (i) => -i);
    const aligner = new TimeAligner();
    const [xs, ya, yb] = aligner.align([a, b], 60_000, 1000) as [Float64Array, Float64Array, Float64Array];
    expect(xs.length).toBe(500);
    expect(xs.buffer).toBe(a.times().buffer);
    expect(ya.buffer).toBe(a.values().buffer);
    expect(yb.buffer).toBe(b.values().buffer);
    expect(yb[499]).toBe(-499);
    expect(aligner.merged).toBe(false);
  });

  it("pairs samples by time when one series misses a sample in the middle of the window", () => {
    // 100 samples each; b has none at index 50 (the server sent null, the store dropped it).
    const a = ringAt(range(0, 100), (i) => i);
    const b = ringAt(range(0, 100).filter((i) => i !== 50), (i) => 1000 + i);
    const aligner = new TimeAligner();
    const columns = aligner.align([a, b], 60_000, 1000);
    const [xs, , yb] = columns;
    expect(Array.from(xs)).toEqual(range(0, 100).map((i) => T0 + i * STEP));
    expect(yb[50]).toBeNull();
    // b's older points stay at their own times: 1000 + i at T0 + i * STEP, not a tick later.
    expectValuesAtTheirTimes(columns, [(t) => (t - T0) / STEP, (t) => (t === T0 + 50 * STEP ? null : 1000 + (t - T0) / STEP)]);
    expect(aligner.merged).toBe(true);
  });

  it("merges times that only some series have, and keeps the window by the newest sample of any series", () => {
    const a = ringAt(range(0, 40), (i) => i); // ends first
    const b = ringAt(range(5, 45).filter((i) => i % 7 !== 0), (i) => -i); // starts later, misses some
    const columns = new TimeAligner().align([a, b], 300, 1000); // 300 ms = 30 steps before t(44)
    const [xs] = columns;
    // Every time either series has inside the window; 42 is in neither (a ended, b misses it).
    expect(Array.from(xs)).toEqual(range(14, 45).filter((i) => i !== 42).map((i) => T0 + i * STEP));
    const at = (t: number) => (t - T0) / STEP;
    expectValuesAtTheirTimes(columns, [(t) => (at(t) < 40 ? at(t) : null), (t) => (at(t) % 7 === 0 ? null : -at(t))]);
  });

  it("gives an empty column to a series without a ring or without samples in the window", () => {
    const a = ringAt(range(0, 10), (i) => i);
    const old = ringAt(range(-1000, -900), (i) => i);
    const [xs, ya, none, stale] = new TimeAligner().align([a, undefined, old], 1000, 100);
    expect(xs.length).toBe(10);
    expect(ya.length).toBe(10);
    expect(none.length).toBe(0);
    expect(stale.length).toBe(0);
    expect(new TimeAligner().align([undefined, new RingBuffer(4)], 1000, 100).map((c) => c.length)).toEqual([0, 0, 0]);
  });

  it("decimates to about two points per pixel column per series, keeping every spike, aligned by time", () => {
    const missing = new Set([12_000, 30_000, 30_001]);
    const a = ringAt(range(0, 60_000), (i) => (i === 12_345 ? 1000 : Math.sin(i / 100)));
    const b = ringAt(range(0, 60_000).filter((i) => !missing.has(i)), (i) => (i === 40_000 ? -500 : Math.cos(i / 100)));
    const aligner = new TimeAligner();
    const columns = aligner.align([a, b], 600_000, 500);
    const [xs, ya, yb] = columns;
    expect(aligner.decimated).toBe(true);
    expect(xs.length).toBeLessThanOrEqual(2 * (2 * 500 + 2));
    expect(Math.max(...(ya as number[]))).toBe(1000);
    expect(Math.min(...(yb as (number | null)[]).filter((v): v is number => v !== null))).toBe(-500);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]);
    const at = (t: number) => (t - T0) / STEP;
    expectValuesAtTheirTimes(columns, [
      (t) => (at(t) === 12_345 ? 1000 : Math.sin(at(t) / 100)),
      (t) => (missing.has(at(t)) ? null : at(t) === 40_000 ? -500 : Math.cos(at(t) / 100)),
    ]);
  });

  it("reuses its buffers from one call to the next", () => {
    const a = ringAt(range(0, 300), (i) => i, 1000);
    const b = ringAt(range(0, 300).filter((i) => i !== 150), (i) => i, 1000);
    const aligner = new TimeAligner();
    const first = aligner.align([a, b], 60_000, 1000);
    a.push(T0 + 300 * STEP, 300);
    b.push(T0 + 300 * STEP, 300);
    const second = aligner.align([a, b], 60_000, 1000);
    expect(second[0].buffer).toBe(first[0].buffer);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).toBe(first[2]);
    expect(second[0].length).toBe(301);

    const many = new TimeAligner();
    const big = ringAt(range(0, 20_000), (i) => i);
    const d1 = many.align([big, b], 600_000, 200);
    big.push(T0 + 20_000 * STEP, 1);
    const d2 = many.align([big, b], 600_000, 200);
    expect(many.decimated).toBe(true);
    expect(d2[0].buffer).toBe(d1[0].buffer);
    expect(d2[1]).toBe(d1[1]);
  });
});
