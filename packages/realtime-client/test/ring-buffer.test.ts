import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RING_CAPACITY, RingBuffer } from "../src/store/ring-buffer.js";

/**
 * The reference model: the obvious implementation with a plain array, `push` and `shift`.
 * Slow (shift is O(n)) but clearly right; the ring must behave exactly like it.
 */
class NaiveRing {
  samples: Array<[number, number]> = [];
  dropped = 0;
  constructor(readonly capacity: number) {}
  push(t: number, v: number): void {
    this.samples.push([t, v]);
    if (this.samples.length > this.capacity) {
      this.samples.shift();
      this.dropped++;
    }
  }
  insertSorted(t: number[], v: number[]): number {
    const accepted: Array<[number, number]> = [];
    let prev = -Infinity;
    for (let i = 0; i < t.length; i++) {
      if (!(t[i] > prev) || t[i] === Infinity) continue;
      prev = t[i];
      if (this.samples.some(([st]) => st === t[i])) continue;
      accepted.push([t[i], v[i]]);
    }
    const merged = [...this.samples.map((s) => ({ s, input: false })), ...accepted.map((s) => ({ s, input: true }))];
    // Stable sort by time: existing samples keep their order among equals.
    merged.sort((a, b) => a.s[0] - b.s[0]);
    const excess = Math.max(0, merged.length - this.capacity);
    this.dropped += excess;
    const kept = merged.slice(excess);
    this.samples = kept.map((x) => x.s);
    return kept.filter((x) => x.input).length;
  }
  times(): number[] {
    return this.samples.map(([t]) => t);
  }
  values(): number[] {
    return this.samples.map(([, v]) => v);
  }
  lowerBound(t: number): number {
    const i = this.samples.findIndex(([st]) => st >= t);
    return i < 0 ? this.samples.length : i;
  }
  upperBound(t: number): number {
    const i = this.samples.findIndex(([st]) => st > t);
    return i < 0 ? this.samples.length : i;
  }
}

type Op =
  | { kind: "push"; dt: number; v: number }
  | { kind: "pushColumns"; dts: number[]; from: number; cut: number }
  | { kind: "insertSorted"; ts: number[] }
  | { kind: "clear" }
  | { kind: "query"; t: number; span: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("push" as const), dt: fc.integer({ min: 0, max: 3 }), v: fc.double({ noNaN: true, noDefaultInfinity: true }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("pushColumns" as const),
      dts: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }),
      from: fc.nat(5),
      cut: fc.nat(5),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("insertSorted" as const), ts: fc.array(fc.integer({ min: -20, max: 400 }), { maxLength: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("query" as const), t: fc.integer({ min: -10, max: 500 }), span: fc.nat(50) }) },
);

function expectSameContent(ring: RingBuffer, model: NaiveRing): void {
  expect(ring.length).toBe(model.samples.length);
  expect(Array.from(ring.times())).toEqual(model.times());
  expect(Array.from(ring.values())).toEqual(model.values());
  expect(ring.dropped).toBe(model.dropped);
  const n = model.samples.length;
  expect(ring.firstTime).toBe(n > 0 ? model.samples[0][0] : NaN);
  expect(ring.lastTime).toBe(n > 0 ? model.samples[n - 1][0] : NaN);
  expect(ring.lastValue).toBe(n > 0 ? model.samples[n - 1][1] : NaN);
}

describe("RingBuffer", () => {
  it("behaves like a plain array with push/shift under random operation sequences", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(opArb, { maxLength: 80 }), (capacity, ops) => {
        const ring = new RingBuffer(capacity);
        const model = new NaiveRing(capacity);
        let clock = 0;
        let value = 0;
        for (const op of ops) {
          switch (op.kind) {
            case "push":
              clock += op.dt;
              ring.push(clock, op.v);
              model.push(clock, op.v);
              break;
            case "pushColumns": {
              const t: number[] = [];
              const v: number[] = [];
              for (const dt of op.dts) {
                clock += dt;
                t.push(clock);
                v.push(value++);
              }
              const from = Math.min(op.from, t.length);
              const to = Math.max(from, t.length - op.cut);
              expect(ring.pushColumns(t, v, from, to)).toBe(to - from);
              for (let i = from; i < to; i++) model.push(t[i], v[i]);
              if (to > from) clock = t[to - 1];
              break;
            }
            case "insertSorted": {
              const t = [...op.ts].sort((a, b) => a - b);
              const v = t.map(() => value++);
              expect(ring.insertSorted(t, v)).toBe(model.insertSorted(t, v));
              clock = Math.max(clock, ring.length > 0 ? ring.lastTime : clock);
              break;
            }
            case "clear":
              ring.clear();
              model.samples = [];
              break;
            case "query": {
              expect(ring.lowerBound(op.t)).toBe(model.lowerBound(op.t));
              expect(ring.upperBound(op.t)).toBe(model.upperBound(op.t));
              const w = ring.window(op.t, op.t + op.span);
              const expected = model.samples.filter(([t]) => t >= op.t && t <= op.t + op.span);
              expect(Array.from(w.times)).toEqual(expected.map(([t]) => t));
              expect(Array.from(w.values)).toEqual(expected.map(([, v]) => v));
              for (let i = 0; i < ring.length; i++) {
                expect(ring.timeAt(i)).toBe(model.samples[i][0]);
                expect(ring.valueAt(i)).toBe(model.samples[i][1]);
              }
              break;
            }
          }
          expectSameContent(ring, model);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("wraps around many times and still returns the newest `capacity` samples oldest-first", () => {
    const ring = new RingBuffer(7);
    for (let i = 0; i < 7 * 1000 + 3; i++) ring.push(i, i * 10);
    expect(Array.from(ring.times())).toEqual([6996, 6997, 6998, 6999, 7000, 7001, 7002]);
    expect(Array.from(ring.values())).toEqual([69960, 69970, 69980, 69990, 70000, 70010, 70020]);
    expect(ring.dropped).toBe(7 * 1000 + 3 - 7);
  });

  it("hands out zero-copy views: same buffer as the ring, only the offset moves", () => {
    const ring = new RingBuffer(4);
    ring.push(1, 10);
    const first = ring.times();
    ring.push(2, 20);
    ring.push(3, 30);
    ring.push(4, 40);
    ring.push(5, 50); // wraps: the window slides one slot to the right
    const second = ring.times();
    expect(second.buffer).toBe(first.buffer);
    expect(ring.values().buffer).toBe(ring.values().buffer);
    expect(second.byteOffset).toBe(first.byteOffset + Float64Array.BYTES_PER_ELEMENT);
    expect(Array.from(second)).toEqual([2, 3, 4, 5]);
    // Backing store is 2 x capacity whatever was pushed: memory is bounded.
    expect(second.buffer.byteLength).toBe(2 * 4 * Float64Array.BYTES_PER_ELEMENT);
  });

  it("gives a fresh view after every change and the same view while nothing changed", () => {
    const ring = new RingBuffer(3);
    ring.push(1, 1);
    const a = ring.times();
    expect(ring.times()).toBe(a);
    ring.push(2, 2);
    expect(ring.times()).not.toBe(a);
    expect(a.length).toBe(1); // an old view is a snapshot of the old extent
  });

  it("keeps only the newest `capacity` samples of an oversized pushColumns and counts the rest as dropped", () => {
    const ring = new RingBuffer(3);
    ring.push(0, 0);
    expect(ring.pushColumns([1, 2, 3, 4, 5], [10, 20, 30, 40, 50])).toBe(5);
    expect(Array.from(ring.times())).toEqual([3, 4, 5]);
    expect(ring.dropped).toBe(3); // the old sample and samples 1 and 2
  });

  it("merges a backfill into place, skipping timestamps it already has", () => {
    const ring = new RingBuffer(10);
    ring.pushColumns([10, 20, 50], [1, 2, 5]);
    expect(ring.insertSorted([0, 20, 30, 40], [0, 99, 3, 4])).toBe(3);
    expect(Array.from(ring.times())).toEqual([0, 10, 20, 30, 40, 50]);
    expect(Array.from(ring.values())).toEqual([0, 1, 2, 3, 4, 5]); // 20 kept its live value
  });

  it("discards backfilled samples older than everything a full ring keeps, counting them", () => {
    const ring = new RingBuffer(3);
    ring.pushColumns([10, 20, 30], [1, 2, 3]);
    expect(ring.insertSorted([1, 2, 25], [0, 0, 2.5])).toBe(1);
    expect(Array.from(ring.times())).toEqual([20, 25, 30]);
    expect(ring.dropped).toBe(3); // 1, 2 and the previous oldest (10)
  });

  it("reports NaN for positions outside the data and for an empty ring", () => {
    const ring = new RingBuffer(2);
    expect(ring.firstTime).toBeNaN();
    expect(ring.lastValue).toBeNaN();
    ring.push(1, 1);
    expect(ring.timeAt(1)).toBeNaN();
    expect(ring.valueAt(-1)).toBeNaN();
  });

  it("rejects capacities that are not integers, below 1 or absurdly large", () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, MAX_RING_CAPACITY + 1]) {
      expect(() => new RingBuffer(bad)).toThrow(RangeError);
    }
    expect(new RingBuffer(1).capacity).toBe(1);
  });
});
