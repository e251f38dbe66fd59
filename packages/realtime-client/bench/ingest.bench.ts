/**
 * Ingest benchmark: how close the client's data path gets to the physical limit of parsing
 * JSON, and how far it is from a naive implementation.
 *
 *   npx tsx --conditions=@pulseboard/source bench/ingest.bench.ts              (from packages/realtime-client)
 *   npx tsx --conditions=@pulseboard/source --expose-gc bench/ingest.bench.ts  (cleaner allocation figures)
 *
 * Every figure is the median of several runs over the same pre-built frame texts, measured
 * side by side in one process. Targets: full ingest >= 0.6 x the bare limit, >= 100 x the
 * naive baseline; aggregate / decimate 1M points <= 5 ms; ~0 bytes allocated per point by
 * the pipeline beyond JSON.parse's own arrays.
 */
import { PerformanceObserver, performance } from "node:perf_hooks";
import { aggregate, createBuckets } from "../src/analysis/aggregate.js";
import { decimateMinMax } from "../src/analysis/decimate.js";
import { parseServerFrame } from "@pulseboard/protocol";
import type { DataFrame, MetricInfo } from "@pulseboard/protocol";
import { SeqCursor } from "../src/stream/seq-cursor.js";
import { SeriesStore } from "../src/store/series-store.js";
import { obtainGc } from "./gc.js";

// ---------------------------------------------------------------------------------------
// Workload: 20 metrics x 50 points per frame (a 50 ms tick at 1 kHz per metric), epoch-ms
// timestamps and values rounded to 2 decimals, like the mock server's generator.
// ---------------------------------------------------------------------------------------
const METRICS = 20;
const POINTS = 50;
const FRAMES = 1000; // 1 000 000 points per pass
const CAPACITY = 100_000;
const RUNS = 5;
const T0 = 1_700_000_000_000;

const catalogue: MetricInfo[] = Array.from({ length: METRICS }, (_, m) => ({
  id: `metric-${m}`,
  label: `Metric ${m}`,
  unit: "%",
  kind: "gauge",
  rateHz: 1000,
}));

function buildTexts(): string[] {
  const texts: string[] = [];
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let f = 0; f < FRAMES; f++) {
    const series: Record<string, { t: number[]; v: number[] }> = {};
    for (let m = 0; m < METRICS; m++) {
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < POINTS; i++) {
        t.push(T0 + f * POINTS + i);
        v.push(Math.round((50 + 40 * Math.sin((f * POINTS + i) / 500 + m) + 5 * random()) * 100) / 100);
      }
      series[catalogue[m].id] = { t, v };
    }
    texts.push(JSON.stringify({ type: "data", seq: f + 1, series }));
  }
  return texts;
}

const texts = buildTexts();
const totalPoints = FRAMES * METRICS * POINTS;
const totalBytes = texts.reduce((n, s) => n + s.length, 0);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(run: () => void, runs = RUNS): number {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    run();
    ms.push(performance.now() - start);
  }
  return median(ms);
}

let sink = 0; // keeps results observable so the optimiser cannot drop the work

// ---------------------------------------------------------------------------------------
// 1. Physical limit: JSON.parse and copy the numbers into Float64Arrays, nothing else.
// ---------------------------------------------------------------------------------------
const bareT = Array.from({ length: METRICS }, () => new Float64Array(CAPACITY));
const bareV = Array.from({ length: METRICS }, () => new Float64Array(CAPACITY));
const bareAt = new Int32Array(METRICS);
const bareIndex = new Map(catalogue.map((m, i) => [m.id, i]));
function bareIngest(text: string): void {
  const frame = JSON.parse(text) as DataFrame;
  for (const id in frame.series) {
    const k = bareIndex.get(id) as number;
    const { t, v } = frame.series[id];
    const at = bareT[k];
    const av = bareV[k];
    let w = bareAt[k];
    for (let i = 0; i < t.length; i++) {
      at[w] = t[i];
      av[w] = v[i];
      if (++w === CAPACITY) w = 0;
    }
    bareAt[k] = w;
  }
}

// ---------------------------------------------------------------------------------------
// 2. Full ingest: validate + dedupe + ring append, exactly the client's data path.
// ---------------------------------------------------------------------------------------
const store = new SeriesStore({ capacity: CAPACITY });
store.setCatalogue(catalogue);
let cursor = new SeqCursor();
function fullIngest(text: string): void {
  const parsed = parseServerFrame(text);
  if (!parsed.ok || parsed.frame.type !== "data") throw new Error("benchmark frame rejected");
  const ready = cursor.offer(parsed.frame);
  for (let i = 0; i < ready.length; i++) sink += store.ingest(ready[i] as DataFrame).points;
}
function fullPass(): void {
  store.clear(); // same timestamps every pass: start from empty rings (memory is kept)
  cursor = new SeqCursor();
  for (let f = 0; f < FRAMES; f++) fullIngest(texts[f]);
}

// ---------------------------------------------------------------------------------------
// 3. Seed baseline: objects per point, shift() at capacity, Map-grouped per-second
//    aggregation updated per point, a notification callback per message.
// ---------------------------------------------------------------------------------------
interface Point {
  t: number;
  v: number;
}
interface NaiveBucket {
  min: number;
  max: number;
  sum: number;
  count: number;
}
const naiveSeries = new Map<string, Point[]>();
const naiveBuckets = new Map<string, Map<number, NaiveBucket>>();
let naiveNotifications = 0;
const naiveListener = (frame: DataFrame): void => {
  naiveNotifications += Object.keys(frame.series).length;
};
function naiveIngest(text: string): void {
  const frame = JSON.parse(text) as DataFrame;
  for (const id of Object.keys(frame.series)) {
    const { t, v } = frame.series[id];
    let points = naiveSeries.get(id);
    if (points === undefined) naiveSeries.set(id, (points = []));
    let buckets = naiveBuckets.get(id);
    if (buckets === undefined) naiveBuckets.set(id, (buckets = new Map()));
    for (let i = 0; i < t.length; i++) {
      points.push({ t: t[i], v: v[i] });
      if (points.length > CAPACITY) points.shift();
      const key = Math.floor(t[i] / 1000) * 1000;
      const b = buckets.get(key);
      if (b === undefined) buckets.set(key, { min: v[i], max: v[i], sum: v[i], count: 1 });
      else {
        b.min = Math.min(b.min, v[i]);
        b.max = Math.max(b.max, v[i]);
        b.sum += v[i];
        b.count++;
      }
    }
  }
  naiveListener(frame);
}

/** Map-grouped aggregation of point objects: the naive counterpart of aggregate(). */
function naiveAggregate(points: Point[], bucketMs: number): Map<number, NaiveBucket> {
  const groups = new Map<number, NaiveBucket>();
  for (const p of points) {
    const key = Math.floor(p.t / bucketMs) * bucketMs;
    const b = groups.get(key);
    if (b === undefined) groups.set(key, { min: p.v, max: p.v, sum: p.v, count: 1 });
    else {
      b.min = Math.min(b.min, p.v);
      b.max = Math.max(b.max, p.v);
      b.sum += p.v;
      b.count++;
    }
  }
  return groups;
}

// ---------------------------------------------------------------------------------------
// 5. Allocation: heapUsed deltas over small batches, discarding any batch during which a
//    garbage collection ran (the perf_hooks GC observer tells us), summed over the run.
// ---------------------------------------------------------------------------------------

const gcEvents: Array<{ start: number; end: number }> = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcEvents.push({ start: e.startTime, end: e.startTime + e.duration });
});
gcObserver.observe({ entryTypes: ["gc"] });
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function bytesPerPoint(work: (from: number, to: number) => void, gc: (() => void) | null): Promise<{ bytes: number; batches: number }> {
  const BATCH = 10; // frames: 10 000 points, small enough to usually fit between two scavenges
  const LIMIT = 500; // frames measured: 500 000 points
  let bytes = 0;
  let points = 0;
  let batches = 0;
  for (let from = 0; from + BATCH <= LIMIT; from += BATCH) {
    gc?.();
    await nextTick(); // let the GC observer deliver entries of the forced collection
    const start = performance.now();
    const before = process.memoryUsage().heapUsed;
    work(from, from + BATCH);
    const after = process.memoryUsage().heapUsed;
    const end = performance.now();
    await nextTick();
    if (gcEvents.some((e) => e.end >= start && e.start <= end) || after < before) continue;
    bytes += after - before;
    points += BATCH * METRICS * POINTS;
    batches++;
  }
  return { bytes: points > 0 ? bytes / points : NaN, batches };
}

// ---------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------
const fmtRate = (pps: number): string =>
  pps >= 1e6 ? `${(pps / 1e6).toFixed(2)} M points/s` : `${(pps / 1e3).toFixed(1)} k points/s`;
const rows: Array<[string, string, string]> = [];

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${FRAMES} frames x ${METRICS} metrics x ${POINTS} points = ${totalPoints.toLocaleString("en")} points per pass, ${(totalBytes / 1e6).toFixed(1)} MB of JSON; median of ${RUNS} runs`);

  // Warm-up: let the JIT see every path before measuring.
  for (let f = 0; f < 200; f++) bareIngest(texts[f]);
  fullPass();

  const bareMs = time(() => {
    for (let f = 0; f < FRAMES; f++) bareIngest(texts[f]);
  });
  const fullMs = time(fullPass);
  const bareRate = totalPoints / (bareMs / 1000);
  const fullRate = totalPoints / (fullMs / 1000);
  const allocRows: Array<[string, string, string]> = [];

  // Allocations per point (without a forced GC, batches during which one ran are discarded).
  const { gc, how: gcHow } = obtainGc();
  const how = gc === null ? "unavailable (batches with a GC are discarded)" : gcHow;
  const parsed: unknown[] = new Array<unknown>(10);
  const parseOnly = await bytesPerPoint((from, to) => {
    for (let f = from; f < to; f++) parsed[f - from] = JSON.parse(texts[f]);
  }, gc);
  const full = await bytesPerPoint((from, to) => {
    if (from === 0) {
      store.clear();
      cursor = new SeqCursor();
    }
    for (let f = from; f < to; f++) fullIngest(texts[f]);
  }, gc);
  sink += parsed.length;
  allocRows.push(["allocated per point: JSON.parse alone", `${parseOnly.bytes.toFixed(1)} B`, `${parseOnly.batches} clean batches, gc ${how}`]);
  allocRows.push(["allocated per point: full ingest", `${full.bytes.toFixed(1)} B`, `pipeline beyond parse: ${(full.bytes - parseOnly.bytes).toFixed(2)} B/point (target ~0)`]);
  gcObserver.disconnect();

  // The naive baseline is only slow once its arrays are full (shift() then moves 100 000
  // references per point), so fill them first and time steady state on fewer frames. For
  // honesty, also time it while its arrays are still short (no shift yet).
  const NAIVE_FRAMES = 20;
  const naiveColdMs = time(() => {
    naiveSeries.clear();
    naiveBuckets.clear();
    for (let f = 0; f < NAIVE_FRAMES * 10; f++) naiveIngest(texts[f]);
  }, 3);
  const naiveColdRate = (NAIVE_FRAMES * 10 * METRICS * POINTS) / (naiveColdMs / 1000);
  for (const m of catalogue) naiveSeries.set(m.id, Array.from({ length: CAPACITY }, (_, i) => ({ t: i, v: i })));
  const naiveMs = time(() => {
    for (let f = 0; f < NAIVE_FRAMES; f++) naiveIngest(texts[f]);
  }, 3);
  const naiveRate = (NAIVE_FRAMES * METRICS * POINTS) / (naiveMs / 1000);

  rows.push(["physical limit (JSON.parse + copy into Float64Array)", fmtRate(bareRate), `${bareMs.toFixed(1)} ms / pass`]);
  rows.push(["full ingest (parseServerFrame + SeqCursor + SeriesStore)", fmtRate(fullRate), `${(fullRate / bareRate).toFixed(2)} x limit (target >= 0.6)`]);
  rows.push(["naive baseline at capacity (objects, shift, Map agg, notify)", fmtRate(naiveRate), `ours ${(fullRate / naiveRate).toFixed(0)} x faster (target >= 100)`]);
  rows.push(["naive baseline before its arrays fill (no shift yet)", fmtRate(naiveColdRate), `ours ${(fullRate / naiveColdRate).toFixed(1)} x faster`]);

  // Aggregation and decimation over 1M points of one series.
  const N = 1_000_000;
  const ts = new Float64Array(N);
  const vs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    ts[i] = T0 + i * 10;
    vs[i] = Math.sin(i / 1000) * 50 + (i % 997 === 0 ? 500 : 0);
  }
  const bucketMs = Math.ceil((N * 10) / 1000); // 1 000 buckets
  const out = createBuckets(1001);
  for (let r = 0; r < 3; r++) aggregate(ts, vs, bucketMs, { out });
  const aggMs = time(() => {
    sink += aggregate(ts, vs, bucketMs, { out }).length;
  }, 9);
  const decOut = { t: new Float64Array(2002), v: new Float64Array(2002) };
  for (let r = 0; r < 3; r++) decimateMinMax(ts, vs, 1000, decOut);
  const decMs = time(() => {
    sink += decimateMinMax(ts, vs, 1000, decOut).length;
  }, 9);
  const pointObjects: Point[] = Array.from({ length: N }, (_, i) => ({ t: ts[i], v: vs[i] }));
  naiveAggregate(pointObjects, bucketMs);
  const naiveAggMs = time(() => {
    sink += naiveAggregate(pointObjects, bucketMs).size;
  }, 5);
  rows.push(["aggregate 1M points -> 1k buckets", `${aggMs.toFixed(2)} ms`, "target <= 5 ms"]);
  rows.push(["decimateMinMax 1M points -> 1k px (<= 2k points)", `${decMs.toFixed(2)} ms`, "target <= 5 ms"]);
  rows.push(["naive Map-grouped aggregation, 1M point objects", `${naiveAggMs.toFixed(2)} ms`, `aggregate() ${(naiveAggMs / aggMs).toFixed(0)} x faster`]);
  rows.push(...allocRows);


  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log();
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  if (sink === 42) console.log(naiveNotifications);
}

const started = performance.now();
main().then(
  () => console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
