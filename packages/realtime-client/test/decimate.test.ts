import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimateLttb, decimateMinMax } from "../src/analysis/decimate.js";

/** Reference: the first point, then per slice (grouped in a Map) its min and max in time order, then the last. */
function naiveMinMax(times: number[], values: number[], buckets: number): Array<[number, number]> {
  const n = times.length;
  if (n <= 2 * buckets) return times.map((t, i) => [t, values[i]]);
  const span = times[n - 1] - times[0];
  const scale = span > 0 ? buckets / span : 0; // slice = floor((t - t0) * buckets / span), as documented
  const slices = new Map<number, number[]>();
  for (let i = 1; i < n - 1; i++) {
    const s = Math.min(buckets - 1, Math.floor((times[i] - times[0]) * scale));
    slices.set(s, [...(slices.get(s) ?? []), i]);
  }
  const out: Array<[number, number]> = [[times[0], values[0]]];
  for (const s of [...slices.keys()].sort((a, b) => a - b)) {
    const idx = slices.get(s)!.filter((i) => !Number.isNaN(values[i]));
    if (idx.length === 0) continue;
    let lo = idx[0];
    let hi = idx[0];
    for (const i of idx) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push([times[i], values[i]]);
  }
  out.push([times[n - 1], values[n - 1]]);
  return out;
}

const series = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -50, max: 50 }) }, { weight: 1, arbitrary: fc.constant(NaN) })), {
    minLength: 1,
    maxLength: 200,
  })
  .map((pairs) => {
    let t = 0;
    return { times: pairs.map(([dt]) => (t += dt)), values: pairs.map(([, v]) => v) };
  });

describe("decimateMinMax", () => {
  it("matches a Map-grouped reference", () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 40 }), ({ times, values }, buckets) => {
        const d = decimateMinMax(times, values, buckets);
        const got = Array.from({ length: d.length }, (_, i) => [d.t[i], d.v[i]]);
        expect(got).toEqual(naiveMinMax(times, values, buckets));
        expect(d.length).toBeLessThanOrEqual(Math.max(times.length <= 2 * buckets ? times.length : 0, 2 * buckets + 2));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a one-sample spike and a one-sample dip that naive subsampling would miss", () => {
    const n = 100_000;
    const times = Float64Array.from({ length: n }, (_, i) => i * 10);
    const values = new Float64Array(n).fill(1);
    values[31_337] = 1000; // the spike someone is looking for
    values[77_777] = -5;
    const d = decimateMinMax(times, values, 500);
    const kept = Array.from(d.v.subarray(0, d.length));
    expect(kept).toContain(1000);
    expect(kept).toContain(-5);
    expect(d.length).toBeLessThanOrEqual(1002);
    expect(d.t[0]).toBe(0);
    expect(d.t[d.length - 1]).toBe((n - 1) * 10);
    // Naive every-k-th subsampling to the same size loses both.
    const every = Math.ceil(n / 1000);
    const naive = Array.from(values).filter((_, i) => i % every === 0);
    expect(naive).not.toContain(1000);
  });

  it("copies small inputs unchanged", () => {
    const d = decimateMinMax([1, 2, 3], [4, 5, 6], 2);
    expect(Array.from(d.t.subarray(0, d.length))).toEqual([1, 2, 3]);
    expect(Array.from(d.v.subarray(0, d.length))).toEqual([4, 5, 6]);
  });

  it("writes into a preallocated output", () => {
    const out = { t: new Float64Array(22), v: new Float64Array(22) };
    const d = decimateMinMax(Array.from({ length: 1000 }, (_, i) => i), Array.from({ length: 1000 }, (_, i) => i % 7), 10, out);
    expect(d.t).toBe(out.t);
  });
});

describe("decimateLttb", () => {
  it("keeps `threshold` points in time order, first and last included", () => {
    const times = Array.from({ length: 1000 }, (_, i) => i);
    const values = times.map((t) => Math.sin(t / 50) * 10);
    const d = decimateLttb(times, values, 100);
    expect(d.length).toBe(100);
    expect(d.t[0]).toBe(0);
    expect(d.t[99]).toBe(999);
    for (let i = 1; i < d.length; i++) expect(d.t[i]).toBeGreaterThan(d.t[i - 1]);
  });

  it("picks the peak of a triangle-shaped bucket", () => {
    const d = decimateLttb([0, 1, 2, 3, 4], [0, 0, 10, 0, 0], 3);
    expect(Array.from(d.v.subarray(0, 3))).toEqual([0, 10, 0]);
  });
});
