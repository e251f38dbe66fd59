/**
 * The engine contract: one suite every engine must pass, run against the memory engine
 * (test/memory-engine.test.ts) and the Redis engine (test/redis-engine.test.ts).
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Aggregation, Engine, EngineOptions, RollupTier } from "../../src/index.js";
import { AGGREGATIONS, EVENT_ID_STRIDE, FRAME_OVERHEAD_BYTES, chooseTier } from "../../src/index.js";
import { FeedRecorder, batch, event, must, type EngineFactory } from "./batches.js";

export interface ContractOptions {
  /** Runs of the history property test (each makes a fresh source). */
  propertyRuns: number;
}

/** A manual clock near real time (the Redis engine's rollup keys expire by Redis's own clock). */
function manualClock(): { now: number; clock: () => number } {
  const c = { now: Math.floor(Date.now() / 60_000) * 60_000, clock: () => c.now };
  return c;
}

export function engineContract(name: string, factory: EngineFactory, options: ContractOptions): void {
  describe(`engine contract: ${name}`, () => {
    const open: Engine[] = [];
    const make = async (engineOptions: EngineOptions = {}): Promise<Engine> => {
      const engine = await factory(engineOptions);
      open.push(engine);
      return engine;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((engine) => engine.close()));
    });

    it("assigns seq +1 per frame: a data frame, then an events frame; an empty batch makes none", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      const a = must(await engine.append("s", batch({ "cpu.usage": [[c.now, 1]] })));
      expect(a.frames.map((f) => [f.seq, f.type])).toEqual([[1, "data"]]);
      const b = must(await engine.append("s", batch({ "cpu.usage": [[c.now + 1, 2]] }, { events: [event(c.now, "deploy")] })));
      expect(b.frames.map((f) => [f.seq, f.type])).toEqual([
        [2, "data"],
        [3, "events"],
      ]);
      const e = must(await engine.append("s", batch({}, { events: [event(c.now, "x")] })));
      expect(e.frames.map((f) => f.seq)).toEqual([4]);
      const none = must(await engine.append("s", batch({})));
      expect(none.frames).toEqual([]);
      expect(none.seq).toBe(4);
      const state = must(await engine.state("s"));
      expect(state).toMatchObject({ seq: 4, oldestSeq: 1, retainedFrames: 4, epoch: a.epoch });
      expect(b.epoch).toBe(a.epoch);
    });

    it("serializes frames once, as protocol v1 frames, samples sorted by time and event ids derived from seq", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      const t = c.now;
      const appended = must(
        await engine.append(
          "s",
          batch({ b: [[t + 20, 3], [t, 1], [t + 10, 2]], a: [[t, 0.5]] }, { events: [event(t + 5, "later"), event(t + 1, "<b>first</b> & \"quoted\"")] }),
        ),
      );
      const [data, events] = appended.frames;
      expect(data.toObject()).toEqual({ type: "data", seq: 1, series: { b: { t: [t, t + 10, t + 20], v: [1, 2, 3] }, a: { t: [t], v: [0.5] } } });
      expect(events.toObject()).toEqual({
        type: "events",
        seq: 2,
        events: [
          { id: 2 * EVENT_ID_STRIDE, t: t + 1, level: "info", kind: "log", source: "test", text: '<b>first</b> & "quoted"' },
          { id: 2 * EVENT_ID_STRIDE + 1, t: t + 5, level: "info", kind: "log", source: "test", text: "later" },
        ],
      });
      expect(data.bytes).toBe(Buffer.byteLength(data.body) + FRAME_OVERHEAD_BYTES);
      // A filtered selection is cut from the same string, with the same member text.
      expect(JSON.parse(data.encodeFor({ metrics: new Set(["a"]), events: true }))).toEqual({ type: "data", seq: 1, series: { a: { t: [t], v: [0.5] } } });
      expect(JSON.parse(events.encodeFor({ metrics: "*", events: false }))).toEqual({ type: "events", seq: 2, events: [] });
      const read = must(await engine.read("s", { since: 0, epoch: appended.epoch }));
      expect(read.frames.map((f) => f.json)).toEqual([data.json, events.json]);
    });

    it("reads after a cursor: nothing to replay without since, frames after since, bad_since ahead, max and maxBytes cut with more", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      let epoch = "";
      for (let i = 0; i < 5; i++) epoch = must(await engine.append("s", batch({ x: [[c.now + i, i]] }))).epoch;
      const cursorOnly = must(await engine.read("s", { since: null }));
      expect(cursorOnly).toMatchObject({ epoch, seq: 5, oldestSeq: 1, since: null, frames: [], more: false });
      expect(cursorOnly.gap).toBeUndefined();
      const after2 = must(await engine.read("s", { since: 2, epoch }));
      expect(after2.frames.map((f) => f.seq)).toEqual([3, 4, 5]);
      expect(after2).toMatchObject({ since: 2, more: false });
      expect(must(await engine.read("s", { since: 5, epoch })).frames).toEqual([]);
      const ahead = await engine.read("s", { since: 6, epoch });
      expect(ahead.ok).toBe(false);
      if (!ahead.ok) expect(ahead.error.code).toBe("bad_since");
      const limited = must(await engine.read("s", { since: 0, epoch, max: 2 }));
      expect(limited.frames.map((f) => f.seq)).toEqual([1, 2]);
      expect(limited.more).toBe(true);
      const oneFrameBytes = limited.frames[0].bytes;
      const byBytes = must(await engine.read("s", { since: 0, epoch, maxBytes: oneFrameBytes * 2 + 1 }));
      expect(byBytes.frames.map((f) => f.seq)).toEqual([1, 2]);
      expect(byBytes.more).toBe(true);
      // At least one frame, whatever maxBytes says.
      expect(must(await engine.read("s", { since: 0, epoch, maxBytes: 1 })).frames.map((f) => f.seq)).toEqual([1]);
    });

    it("retention by time: frames appended at or before now - retentionMs are gone, and the gap is exactly their range", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock, retention: { retentionMs: 10_000 } });
      const start = c.now;
      let epoch = "";
      for (let i = 0; i < 6; i++) {
        c.now = start + i * 1000;
        epoch = must(await engine.append("s", batch({ x: [[c.now, i]] }))).epoch;
      }
      // Frame k (seq k) was appended at start + (k-1) s; at start + 12 s the cutoff is start + 2 s.
      c.now = start + 12_000;
      const state = must(await engine.state("s"));
      expect(state).toMatchObject({ seq: 6, oldestSeq: 4, retainedFrames: 3 });
      const read = must(await engine.read("s", { since: 1, epoch }));
      expect(read.gap).toEqual({ type: "gap", from: 2, to: 3, reason: "retention" });
      expect(read.frames.map((f) => f.seq)).toEqual([4, 5, 6]);
      // A reader that holds seq 3 misses nothing.
      expect(must(await engine.read("s", { since: 3, epoch })).gap).toBeUndefined();
      // Everything expired: nothing retained, oldestSeq = seq + 1.
      c.now = start + 60_000;
      expect(must(await engine.state("s"))).toMatchObject({ seq: 6, oldestSeq: 7, retainedFrames: 0, retainedBytes: 0 });
      expect(must(await engine.read("s", { since: 0, epoch })).gap).toEqual({ type: "gap", from: 1, to: 6, reason: "retention" });
    });

    it("retention by frame count keeps the newest maxFrames", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock, retention: { maxFrames: 3 } });
      let epoch = "";
      for (let i = 0; i < 7; i++) epoch = must(await engine.append("s", batch({ x: [[c.now + i, i]] }))).epoch;
      expect(must(await engine.state("s"))).toMatchObject({ seq: 7, oldestSeq: 5, retainedFrames: 3 });
      expect(must(await engine.read("s", { since: 2, epoch })).gap).toEqual({ type: "gap", from: 3, to: 4, reason: "retention" });
    });

    it("retention by bytes keeps what fits, and always the newest frame", async () => {
      const c = manualClock();
      // Frames of one series with values of equal width have equal sizes.
      const probe = await make({ clock: c.clock });
      const size = must(await probe.append("p", batch({ x: [[c.now, 100]] }))).frames[0].bytes;
      const engine = await make({ clock: c.clock, retention: { maxBytes: size * 3 + size / 2 } });
      let epoch = "";
      for (let i = 0; i < 6; i++) epoch = must(await engine.append("s", batch({ x: [[c.now, 100 + i]] }))).epoch;
      const state = must(await engine.state("s"));
      expect(state).toMatchObject({ seq: 6, oldestSeq: 4, retainedFrames: 3, retainedBytes: size * 3 });
      expect(must(await engine.read("s", { since: 0, epoch })).gap).toEqual({ type: "gap", from: 1, to: 3, reason: "retention" });
      // A frame larger than the cap on its own is still kept (alone).
      const big = batch({ x: Array.from({ length: 200 }, (_, i) => [c.now + i, i] as [number, number]) });
      must(await engine.append("s", big));
      expect(must(await engine.state("s"))).toMatchObject({ seq: 7, oldestSeq: 7, retainedFrames: 1 });
    });

    it("a reset starts a new epoch: seq restarts at 1; an old cursor gets since 0, and an epoch gap only for evicted seqs", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock, retention: { maxFrames: 2 } });
      const first = must(await engine.append("s", batch({ x: [[c.now, 1]] }))).epoch;
      must(await engine.append("s", batch({ x: [[c.now, 2]] })));
      const reset = must(await engine.reset("s"));
      expect(reset.epoch).not.toBe(first);
      expect(reset).toMatchObject({ seq: 0, oldestSeq: 1, retainedFrames: 0 });
      const again = must(await engine.append("s", batch({ x: [[c.now, 3]] })));
      expect(again.frames[0].seq).toBe(1);
      const fromOld = must(await engine.read("s", { since: 2, epoch: first }));
      expect(fromOld).toMatchObject({ epoch: reset.epoch, since: 0 });
      expect(fromOld.gap).toBeUndefined();
      expect(fromOld.frames.map((f) => f.seq)).toEqual([1]);
      for (let i = 0; i < 3; i++) must(await engine.append("s", batch({ x: [[c.now, i]] })));
      const evicted = must(await engine.read("s", { since: 2, epoch: first }));
      expect(evicted.gap).toEqual({ type: "gap", from: 1, to: 2, reason: "epoch" });
      expect(evicted.frames.map((f) => f.seq)).toEqual([3, 4]);
    });

    it("grows the catalogue at any time, applies stated fields, keeps derived ones from overwriting them", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      const first = must(await engine.append("s", batch({ "cpu.a": [[c.now, 1]] })));
      expect(first.added).toEqual([{ id: "cpu.a", label: "cpu.a", unit: "", kind: "gauge", rateHz: 0 }]);
      const second = must(
        await engine.append(
          "s",
          batch({ "cpu.b": [[c.now, 1]], "cpu.a": [[c.now + 1, 2]] }, { metrics: [{ id: "cpu.a", set: { unit: "%", label: "CPU A" } }, { id: "mem.x", defaults: { label: "mem x", group: "mem" } }] }),
        ),
      );
      expect(second.added.map((m) => m.id)).toEqual(["cpu.b", "mem.x"]);
      expect(second.changed).toEqual([{ id: "cpu.a", label: "CPU A", unit: "%", kind: "gauge", rateHz: 0 }]);
      // A derived label does not overwrite the stated one; the same stated fields change nothing.
      const third = must(await engine.append("s", batch({ "cpu.a": [[c.now + 2, 3]] }, { metrics: [{ id: "cpu.a", set: { unit: "%" }, defaults: { label: "derived" } }] })));
      expect(third.added).toEqual([]);
      expect(third.changed).toEqual([]);
      expect(must(await engine.catalogue("s"))).toEqual([
        { id: "cpu.a", label: "CPU A", unit: "%", kind: "gauge", rateHz: 0 },
        { id: "cpu.b", label: "cpu.b", unit: "", kind: "gauge", rateHz: 0 },
        { id: "mem.x", label: "mem x", unit: "", kind: "gauge", group: "mem", rateHz: 0 },
      ]);
      expect(must(await engine.state("s")).series).toBe(3);
    });

    it("the cardinality cap drops the samples of new series beyond it and keeps the known ones", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock, maxSeriesPerSource: 2 });
      must(await engine.append("s", batch({ a: [[c.now, 1]] })));
      const capped = must(await engine.append("s", batch({ a: [[c.now + 1, 2]], b: [[c.now, 1]], c: [[c.now, 1], [c.now + 1, 2]], d: [[c.now, 1]] })));
      expect(capped.added.map((m) => m.id)).toEqual(["b"]);
      expect(capped.dropped).toMatchObject({ series: ["c", "d"], samples: 3, limit: { limit: "maxSeriesPerSource", max: 2, status: 422 } });
      expect(capped.frames[0].toObject()).toEqual({ type: "data", seq: 2, series: { a: { t: [c.now + 1], v: [2] }, b: { t: [c.now], v: [1] } } });
      expect(must(await engine.catalogue("s")).map((m) => m.id)).toEqual(["a", "b"]);
    });

    it("snapshot: the latest sample by time of every series, with the cursor", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      must(await engine.append("s", batch({ a: [[c.now + 10, 1], [c.now + 20, 2]], b: [[c.now, 5]] })));
      // An older sample arriving later does not replace the latest; one at the same time does.
      must(await engine.append("s", batch({ a: [[c.now + 5, 9]] })));
      must(await engine.append("s", batch({ b: [[c.now, 6]] })));
      const snap = must(await engine.snapshot("s"));
      expect(snap.latest).toEqual({ a: { t: c.now + 20, v: 2 }, b: { t: c.now, v: 6 } });
      expect(snap).toMatchObject({ source: "s", seq: 3, serverTime: c.now });
      expect(snap.metrics.map((m) => m.id)).toEqual(["a", "b"]);
    });

    it("lists its sources; invalid names are an error value, not a throw", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      must(await engine.append("beta", batch({ a: [[c.now, 1]] })));
      must(await engine.append("alpha", batch({ a: [[c.now, 1]] })));
      expect(must(await engine.sources()).map((s) => [s.source, s.seq])).toEqual([
        ["alpha", 1],
        ["beta", 1],
      ]);
      for (const bad of ["", "has space", "x".repeat(65), "a{b}"]) {
        const result = await engine.append(bad, batch({ a: [[c.now, 1]] }));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe("unknown_source");
      }
    });

    it("feeds hand every new frame to every listener once, in order, the same string for all", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      must(await engine.append("s", batch({ a: [[c.now, 1]] })));
      const one = new FeedRecorder();
      const two = new FeedRecorder();
      const feedOne = must(await engine.subscribe("s", one.listener));
      const feedTwo = must(await engine.subscribe("s", two.listener));
      expect([feedOne.seq, feedTwo.seq]).toEqual([1, 1]);
      for (let i = 0; i < 5; i++) must(await engine.append("s", batch({ a: [[c.now + i, i]] }, { events: i === 2 ? [event(c.now, "e")] : [] })));
      await one.until(() => one.seqs.length === 6);
      await two.until(() => two.seqs.length === 6);
      expect(one.seqs).toEqual([2, 3, 4, 5, 6, 7]);
      expect(two.seqs).toEqual(one.seqs);
      const framesOne = one.events.flatMap((e) => (e.type === "frames" ? e.frames : []));
      const framesTwo = two.events.flatMap((e) => (e.type === "frames" ? e.frames : []));
      framesOne.forEach((frame, i) => expect(frame).toBe(framesTwo[i]));
      feedOne.close();
      must(await engine.append("s", batch({ a: [[c.now, 1]] })));
      await two.until(() => two.seqs.length === 7);
      expect(one.seqs.length).toBe(6);
      feedTwo.close();
    });

    it("a feed announces a new epoch and continues with its frames", async () => {
      const c = manualClock();
      const engine = await make({ clock: c.clock });
      const first = must(await engine.append("s", batch({ a: [[c.now, 1]] }))).epoch;
      const rec = new FeedRecorder();
      const feed = must(await engine.subscribe("s", rec.listener));
      must(await engine.append("s", batch({ a: [[c.now, 2]] })));
      // The reset drops the old epoch's frames: let the feed have seq 2 first.
      await rec.until(() => rec.seqs.includes(2));
      const reset = must(await engine.reset("s"));
      must(await engine.append("s", batch({ a: [[c.now, 3]] })));
      await rec.until(() => rec.events.some((e) => e.type === "epoch") && rec.seqs.length === 2);
      const kinds = rec.events.map((e) => (e.type === "frames" ? `frames:${e.epoch === first ? "old" : "new"}:${e.frames.map((f) => f.seq)}` : e.type));
      expect(kinds).toEqual(["frames:old:2", "epoch", "frames:new:1"]);
      expect(rec.events.find((e) => e.type === "epoch")).toEqual({ type: "epoch", epoch: reset.epoch, previous: first });
      feed.close();
    });

    it("history picks the tier and step, and answers only buckets with data", async () => {
      const c = manualClock();
      const tiers: RollupTier[] = [
        { resolutionMs: 1000, retentionMs: 600_000 },
        { resolutionMs: 10_000, retentionMs: 6 * 3_600_000 },
      ];
      const engine = await make({ clock: c.clock, tiers });
      const t0 = c.now - 120_000;
      must(await engine.append("s", batch({ a: [[t0, 1], [t0 + 500, 5], [t0 + 30_000, 7]] })));
      const fine = must(await engine.history("s", { ids: ["a", "nope"], from: t0, to: c.now, step: 1000, agg: "max" }));
      expect(fine.unknown).toEqual(["nope"]);
      expect(fine.series.a).toEqual({ step: 1000, tier: 1000, t: [t0, t0 + 30_000], v: [5, 7] });
      const coarse = must(await engine.history("s", { ids: ["a"], from: t0, to: c.now, step: 25_000, agg: "sum" }));
      expect(coarse.series.a.tier).toBe(10_000);
      expect(coarse.series.a.step).toBe(30_000);
      // An hour back is beyond the 1 s tier: the 10 s tier answers, step rounded up to it.
      const old = must(await engine.history("s", { ids: ["a"], from: c.now - 3_600_000, to: c.now, step: 1000, agg: "count" }));
      expect(old.series.a).toMatchObject({ tier: 10_000, step: 10_000 });
      const tooMany = await engine.history("s", { ids: ["a"], from: 0, to: c.now, step: 1000 });
      expect(tooMany.ok).toBe(false);
      if (!tooMany.ok) expect(tooMany.error.code).toBe("too_large");
    });

    it("history rollups equal a naive aggregation of the samples (property)", async () => {
      const c = manualClock();
      const tiers: RollupTier[] = [
        { resolutionMs: 1000, retentionMs: 300_000 },
        { resolutionMs: 10_000, retentionMs: 3_600_000 },
        { resolutionMs: 60_000, retentionMs: 24 * 3_600_000 },
      ];
      const engine = await make({ clock: c.clock, tiers });
      const ids = ["m.a", "m.b", "m.c"];
      let run = 0;
      const sample = fc.record({
        id: fc.constantFrom(...ids),
        // Up to 30 minutes back and a little into the future, often on a few shared instants
        // (ties of time, min, max and last); integer values keep sums exact.
        dt: fc.oneof(
          fc.integer({ min: -5, max: 5 }).map((k) => k * 250),
          fc.integer({ min: -1_800_000, max: 5_000 }),
        ),
        v: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -1000, max: 1000 })),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(sample, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: -1_800_000, max: 0 }),
          fc.integer({ min: 0, max: 1_800_000 }),
          fc.constantFrom(undefined, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000),
          async (batches, fromOffset, span, step) => {
            const source = `p${run++}`;
            const appended: Array<{ id: string; t: number; v: number }> = [];
            for (const samples of batches) {
              const b = batch({});
              for (const s of samples) {
                let cols = b.series.get(s.id);
                if (cols === undefined) b.series.set(s.id, (cols = { t: [], v: [] }));
                cols.t.push(c.now + s.dt);
                cols.v.push(s.v);
              }
              must(await engine.append(source, b));
              // Append order: batch by batch; within a batch, each series stably sorted by time.
              for (const [id, cols] of b.series) {
                const order = cols.t.map((_, i) => i).sort((x, y) => cols.t[x] - cols.t[y] || x - y);
                for (const i of order) appended.push({ id, t: cols.t[i], v: cols.v[i] });
              }
            }
            const from = c.now + fromOffset;
            const to = Math.min(from + span, c.now + 5000);
            const choice = chooseTier(tiers, from, step, c.now);
            const known = ids.filter((id) => appended.some((s) => s.id === id));
            for (const agg of AGGREGATIONS) {
              const answer = must(await engine.history(source, { ids, from, to, step, agg }));
              expect(answer.unknown).toEqual(ids.filter((id) => !known.includes(id)));
              for (const id of known) {
                expect(answer.series[id], `${agg} of ${id}`).toEqual(naive(appended.filter((s) => s.id === id), choice, tiers, c.now, from, to, agg));
              }
            }
          },
        ),
        { numRuns: options.propertyRuns },
      );
    });
  });
}

/** The history of one series computed the slow, obvious way, from every appended sample. */
function naive(
  samples: Array<{ t: number; v: number }>,
  choice: { tier: number; resolutionMs: number; step: number },
  tiers: readonly RollupTier[],
  now: number,
  from: number,
  to: number,
  agg: Aggregation,
): { step: number; tier: number; t: number[]; v: number[] } {
  const res = choice.resolutionMs;
  const step = choice.step;
  const minStart = now - tiers[choice.tier].retentionMs;
  const first = Math.ceil(from / step) * step;
  const last = Math.floor(to / step) * step;
  const groups = new Map<number, Array<{ t: number; v: number }>>();
  for (const s of samples) {
    if (Math.floor(s.t / res) * res < minStart) continue;
    const start = Math.floor(s.t / step) * step;
    if (start < first || start > last) continue;
    if (!groups.has(start)) groups.set(start, []);
    groups.get(start)!.push(s);
  }
  const t: number[] = [];
  const v: number[] = [];
  for (const start of [...groups.keys()].sort((a, b) => a - b)) {
    const g = groups.get(start)!;
    let min = g[0];
    let max = g[0];
    let lastSample = g[0];
    for (const s of g) {
      if (s.v < min.v || (s.v === min.v && s.t < min.t)) min = s;
      if (s.v > max.v || (s.v === max.v && s.t < max.t)) max = s;
      if (s.t >= lastSample.t) lastSample = s;
    }
    const sum = g.reduce((acc, s) => acc + s.v, 0);
    switch (agg) {
      case "envelope":
        if (min.t === max.t) {
          t.push(min.t);
          v.push(min.v);
        } else {
          const pair = min.t < max.t ? [min, max] : [max, min];
          t.push(pair[0].t, pair[1].t);
          v.push(pair[0].v, pair[1].v);
        }
        break;
      case "avg":
        t.push(start);
        v.push(sum / g.length);
        break;
      case "min":
        t.push(start);
        v.push(min.v);
        break;
      case "max":
        t.push(start);
        v.push(max.v);
        break;
      case "sum":
        t.push(start);
        v.push(sum);
        break;
      case "count":
        t.push(start);
        v.push(g.length);
        break;
      case "last":
        t.push(start);
        v.push(lastSample.v);
        break;
    }
  }
  return { step, tier: res, t, v };
}
