import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeqCursor } from "../src/stream/seq-cursor.js";

type Frame = { seq: number; payload: string };
const frame = (seq: number): Frame => ({ seq, payload: `frame ${seq}` });
const seqs = (frames: Frame[]): number[] => frames.map((f) => f.seq);

describe("SeqCursor", () => {
  it("applies in-order frames one by one", () => {
    const cursor = new SeqCursor<Frame>();
    expect(seqs(cursor.offer(frame(1)))).toEqual([1]);
    expect(seqs(cursor.offer(frame(2)))).toEqual([2]);
    expect(cursor.seq).toBe(2);
  });

  it("drops and counts duplicates from an overlapping replay", () => {
    const cursor = new SeqCursor<Frame>();
    for (let s = 1; s <= 5; s++) cursor.offer(frame(s));
    // A reconnect replays from since=3, overlapping what we hold.
    expect(cursor.offer(frame(3))).toEqual([]);
    expect(cursor.offer(frame(5))).toEqual([]);
    expect(seqs(cursor.offer(frame(6)))).toEqual([6]);
    expect(cursor.duplicates).toBe(2);
  });

  it("holds frames ahead of a hole and releases them in order once it is filled", () => {
    const cursor = new SeqCursor<Frame>();
    cursor.offer(frame(1));
    expect(cursor.offer(frame(4))).toEqual([]);
    expect(cursor.offer(frame(3))).toEqual([]);
    expect(cursor.pendingRange()).toEqual({ from: 2, to: 2 });
    expect(cursor.classify(4)).toBe("duplicate");
    expect(cursor.classify(2)).toBe("accept");
    expect(cursor.classify(9)).toBe("ahead");
    expect(seqs(cursor.offer(frame(2)))).toEqual([2, 3, 4]);
    expect(cursor.pendingRange()).toBeNull();
    expect(cursor.seq).toBe(4);
  });

  it("any permutation with duplicates yields exactly 1..n in order: no gap, no duplicate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: n, maxLength: n }),
            fc.array(fc.integer({ min: 1, max: n }), { maxLength: 30 }),
            fc.array(fc.nat(), { maxLength: 30 }),
          ),
        ),
        ([n, order, extra, positions]) => {
          // Insert duplicates at random positions of the delivery order.
          const delivery = [...order];
          extra.forEach((s, i) => delivery.splice((positions[i] ?? 0) % (delivery.length + 1), 0, s));
          const cursor = new SeqCursor<Frame>({ maxPending: 64 });
          const applied: number[] = [];
          for (const s of delivery) applied.push(...seqs(cursor.offer(frame(s))));
          expect(applied).toEqual(Array.from({ length: n }, (_, i) => i + 1));
          expect(cursor.duplicates).toBe(extra.length);
          expect(cursor.pendingCount).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("skip() gives up an unreplayable range and releases what follows it", () => {
    const cursor = new SeqCursor<Frame>();
    cursor.offer(frame(1));
    cursor.offer(frame(5)); // inside the range the server will declare lost
    cursor.offer(frame(8));
    cursor.offer(frame(9));
    // Server: seqs 2..7 cannot be replayed. We still have 5, so it is applied, then 8 and 9.
    expect(seqs(cursor.skip(2, 7))).toEqual([5, 8, 9]);
    expect(cursor.seq).toBe(9);
    expect(cursor.skipped).toBe(5); // 2, 3, 4, 6, 7
    expect(cursor.pendingRange()).toBeNull();
  });

  it("skip() of a range already behind the cursor changes nothing", () => {
    const cursor = new SeqCursor<Frame>();
    for (let s = 1; s <= 5; s++) cursor.offer(frame(s));
    expect(cursor.skip(2, 4)).toEqual([]);
    expect(cursor.seq).toBe(5);
    expect(cursor.skipped).toBe(0);
  });

  it("skip() of a huge range stays cheap and lands on its end", () => {
    const cursor = new SeqCursor<Frame>({ maxPending: 8 });
    cursor.offer(frame(3));
    expect(seqs(cursor.skip(1, 5_000_000))).toEqual([3]);
    expect(cursor.seq).toBe(5_000_000);
    expect(seqs(cursor.offer(frame(5_000_001)))).toEqual([5_000_001]);
  });

  it("refuses frames beyond the pending window and counts them (they can be replayed later)", () => {
    const cursor = new SeqCursor<Frame>({ maxPending: 4 });
    cursor.offer(frame(1));
    expect(cursor.offer(frame(5))).toEqual([]); // 1 + 4: the edge of the window, held
    expect(cursor.offer(frame(6))).toEqual([]); // beyond: refused
    expect(cursor.overflowed).toBe(1);
    expect(cursor.pendingCount).toBe(1);
    expect(seqs(cursor.offer(frame(2)))).toEqual([2]);
    expect(cursor.offer(frame(3)).length + cursor.offer(frame(4)).length).toBe(3); // 3, then 4 and 5
    expect(cursor.seq).toBe(5);
  });

  it("starts over in a new epoch and says what was lost", () => {
    const cursor = new SeqCursor<Frame>();
    expect(cursor.setEpoch("e1")).toEqual({ reset: false });
    for (let s = 1; s <= 10; s++) cursor.offer(frame(s));
    cursor.offer(frame(14));
    expect(cursor.setEpoch("e1")).toEqual({ reset: false });
    expect(cursor.setEpoch("e2")).toEqual({
      reset: true,
      previousEpoch: "e1",
      previousSeq: 10,
      lostFrom: 11,
      lostTo: 14,
      discarded: 1,
    });
    expect(cursor.epoch).toBe("e2");
    expect(cursor.seq).toBe(0);
    expect(seqs(cursor.offer(frame(1)))).toEqual([1]);
  });

  it("ignores frames whose seq cannot be ordered", () => {
    const cursor = new SeqCursor<Frame>();
    expect(cursor.offer(frame(0))).toEqual([]);
    expect(cursor.offer(frame(1.5))).toEqual([]);
    expect(cursor.invalid).toBe(2);
    expect(cursor.seq).toBe(0);
  });

  it("validates maxPending", () => {
    expect(() => new SeqCursor({ maxPending: 0 })).toThrow(RangeError);
  });
});
