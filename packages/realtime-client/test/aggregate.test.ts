import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregate, createBuckets, rate } from "../src/analysis/aggregate.js";

/** Reference: group with a Map keyed by bucket start, the obvious way. */
function naiveAggregate(times: number[], values: number[], bucketMs: number, from: number, to: number) {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < times.length; i++) {
    if (times[i] < from || times[i] > to || Number.isNaN(values[i])) continue;
    const key = Math.floor(times[i] / bucketMs) * bucketMs;
    groups.set(key, [...(groups.get(key) ?? []), values[i]]);
  }
  const rows = [];
  for (let k = Math.floor(from / bucketMs); k <= Math.floor(to / bucketMs); k++) {
    const vs = groups.get(k * bucketMs) ?? [];
    const sum = vs.reduce((a, b) => a + b, 0);
    rows.push({
      t: k * bucketMs,
      count: vs.length,
      sum,
      min: vs.length ? Math.min(...vs) : NaN,
      max: vs.length ? Math.max(...vs) : NaN,
      avg: vs.length ? sum / vs.length : NaN,
      last: vs.length ? vs[vs.length - 1] : NaN,
    });
  }
  return rows;
}

const sortedSeries = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constant(NaN))), { maxLength: 60 })
  .map((pairs) => {
    let t = 1_700_000_000_000;
    const times: number[] = [];
    const values: number[] = [];
    for (const [dt, v] of pairs) {
      t += dt;
      times.push(t);
      values.push(v);
    }
    return { times, values };
  });

describe("aggregate", () => {
  it("matches a Map-grouped reference, including empty buckets and skipped NaNs", () => {
    fc.assert(
      fc.property(sortedSeries, fc.integer({ min: 1, max: 40 }), fc.nat(30), fc.nat(30), ({ times, values }, bucketMs, cutStart, cutEnd) => {
        if (times.length === 0) {
          expect(aggregate(times, values, bucketMs).length).toBe(0);
          return;
        }
        const from = times[0] + cutStart;
        const to = Math.max(from, times[times.length - 1] - cutEnd);
        const out = aggregate(times, values, bucketMs, { from, to });
        const expected = naiveAggregate(times, values, bucketMs, from, to);
        expect(out.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          const e = expected[i];
          expect([out.t[i], out.count[i], out.min[i], out.max[i], out.last[i]]).toEqual([e.t, e.count, e.min, e.max, e.last]);
          expect(out.sum[i]).toBeCloseTo(e.sum, 9);
          if (e.count > 0) expect(out.avg[i]).toBeCloseTo(e.avg, 9);
          else expect(out.avg[i]).toBeNaN();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keys buckets by data time, so the result does not depend on when it is computed", () => {
    const times = [60_500, 61_000, 119_999, 120_000];
    const values = [1, 2, 3, 4];
    const now = aggregate(times, values, 60_000);
    const later = aggregate(times, values, 60_000); // e.g. a hidden tab's timer fired late
    expect(Array.from(now.t.subarray(0, now.length))).toEqual([60_000, 120_000]);
    expect(Array.from(now.count.subarray(0, now.length))).toEqual([3, 1]);
    expect(Array.from(later.sum.subarray(0, later.length))).toEqual(Array.from(now.sum.subarray(0, now.length)));
  });

  it("reuses a preallocated output while it is large enough", () => {
    const out = createBuckets(4);
    expect(aggregate([0, 10, 20], [1, 2, 3], 10, { out })).toBe(out);
    const bigger = aggregate([0, 100], [1, 2], 10, { out });
    expect(bigger).not.toBe(out);
    expect(bigger.length).toBe(11);
  });

  it("rejects a non-positive bucket width and absurd bucket counts", () => {
    expect(() => aggregate([0], [1], 0)).toThrow(RangeError);
    expect(() => aggregate([0, 1e12], [1, 1], 1)).toThrow(/buckets/);
  });
});

/** Reference: the counter rate written out directly. */
function naiveRate(times: number[], values: number[]) {
  const ok = times.map((t, i) => [t, values[i]] as const).filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  const out: Array<[number, number]> = [];
  let prev: readonly [number, number] | undefined;
  for (const p of ok) {
    if (prev !== undefined && p[0] <= prev[0]) continue;
    if (prev !== undefined) {
      const increase = p[1] >= prev[1] ? p[1] - prev[1] : p[1]; // reset: restarted from 0
      out.push([p[0], increase / ((p[0] - prev[0]) / 1000)]);
    }
    prev = p;
  }
  return out;
}

describe("rate", () => {
  it("turns a counter into a per-second rate", () => {
    const r = rate([0, 1000, 3000], [100, 150, 250]);
    expect(r.length).toBe(2);
    expect(Array.from(r.t.subarray(0, 2))).toEqual([1000, 3000]);
    expect(Array.from(r.v.subarray(0, 2))).toEqual([50, 50]);
  });

  it("treats a decrease as a counter reset from 0 (Prometheus-style), never a negative rate", () => {
    // The process restarted between t=1000 and t=2000: the counter went 500 -> 20.
    const r = rate([0, 1000, 2000], [400, 500, 20]);
    expect(Array.from(r.v.subarray(0, r.length))).toEqual([100, 20]);
  });

  it("matches a straightforward reference, skipping NaN and repeated times", () => {
    fc.assert(
      fc.property(sortedSeries, ({ times, values }) => {
        const out = rate(times, values, { t: new Float64Array(100), v: new Float64Array(100) });
        const expected = naiveRate(times, values);
        expect(out.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          expect(out.t[i]).toBe(expected[i][0]);
          expect(out.v[i]).toBeCloseTo(expected[i][1], 9);
        }
      }),
      { numRuns: 300 },
    );
  });
});
