/**
 * Chart data from several rings: one time column shared by every series, as uPlot and most
 * canvas charts want it (`[xs, ys1, ys2, ...]`), aligned by timestamp.
 *
 * The series a chart groups (p50/p95/p99, cpu/memory...) are usually sampled on one grid and
 * arrive in the same frames, so their rings usually hold the same timestamps. Usually is not
 * always: a server may send `null` for one metric in one frame (the store drops it), a
 * backfill may fill one series and not another, a metric may start a tick later. Pairing the
 * newest n samples of each ring by position would then draw every older point of the short
 * series one tick off, silently. So samples are paired by time:
 *
 * ```
 * ring a:  t 10  20  30  40        ring b:  t 10  20      40     (b has no sample at 30)
 * xs:        10  20  30  40
 * a:          1   2   3   4
 * b:          5   6  null 8        (null: no sample at that time; uPlot draws a gap)
 * ```
 *
 * Cost, per call (it runs per drawn frame):
 * - Same timestamps in every series (the common case): zero-copy `subarray` views of the
 *   rings' mirrored storage, after one comparison pass over the window. Nothing is allocated
 *   but the views.
 * - Different timestamps: the union of the times is merged into a buffer the aligner owns,
 *   and each series is written into a reused array, with `null` where it has no sample.
 * - More points than the plot has pixel columns (times two): each series is reduced with
 *   {@link decimateMinMax} (min and max per column, so spikes survive) into buffers it owns,
 *   and the kept times of all series are merged; each series is then read at those times.
 *
 * Series on different grids (1 Hz next to 10 Hz) have `null` at each other's times; uPlot's
 * `spanGaps: true` on the sparser series draws it as a line all the same.
 *
 * Buffers grow when a window needs more room and are reused from then on. The returned
 * columns stay valid until the next `align()`: copy them to keep a frame (uPlot keeps a
 * reference and reads them again on redraws, hovering included).
 *
 * @module
 */

import { decimateMinMax } from "./decimate.js";
import type { RingBuffer } from "../store/ring-buffer.js";

/** A series column: a view of a ring, or values with `null` where the series has no sample. */
export type AlignedSeries = Float64Array | (number | null)[];

/**
 * `[times, ...series]`: one column per series, each as long as `times`, or empty for a series
 * that has no sample in the window (or no ring yet). Assignable to uPlot's `AlignedData`.
 */
export type AlignedColumns = [times: Float64Array, ...series: AlignedSeries[]];

const EMPTY = new Float64Array(0);

/**
 * Aligns the last `windowMs` of several rings by timestamp, reusing its buffers; one per
 * chart.
 *
 * @example
 * ```ts
 * import { TimeAligner } from "@pulseboard/realtime-client";
 *
 * const aligner = new TimeAligner();
 * manager.on("data", () => {
 *   const rings = ["latency.p50", "latency.p99"].map((id) => manager.series(id));
 *   plot.setData(aligner.align(rings, 60_000, plot.bbox.width)); // bbox is in device pixels
 * });
 * ```
 */
export class TimeAligner {
  /** Points per series in the latest result (the length of its time column). */
  points = 0;
  /** Whether the latest result was decimated (more samples than `2 * pixelColumns`). */
  decimated = false;
  /** Whether the latest result had to merge different timestamps (false: views of the rings). */
  merged = false;

  private union = EMPTY;
  private columns: (number | null)[][] = [];
  private kept: { t: Float64Array; v: Float64Array }[] = [];
  private keptCapacity = 0;
  // Per-series scratch, reused: the window of each ring and the lists being merged.
  private readonly times: Float64Array[] = [];
  private readonly values: Float64Array[] = [];
  private readonly lists: Float64Array[] = [];
  private readonly lengths: number[] = [];
  private readonly cursors: number[] = [];

  /**
   * @param rings - the chart's series, in column order (undefined: no ring yet, such as
   *   before the catalogue arrived).
   * @param windowMs - time span to show, ending at the newest sample of any series.
   * @param pixelColumns - the plot's width in device pixels: above twice as many points,
   *   the series are decimated.
   * @returns `[times, ...series]`, valid until the next call; see {@link AlignedColumns}.
   */
  align(rings: readonly (RingBuffer | undefined)[], windowMs: number, pixelColumns: number): AlignedColumns {
    const k = rings.length;
    let end = -Infinity;
    for (const ring of rings) if (ring !== undefined && ring.length > 0 && ring.lastTime > end) end = ring.lastTime;
    this.merged = false;
    this.decimated = false;
    if (end === -Infinity) {
      this.points = 0;
      return [EMPTY, ...rings.map(() => EMPTY)];
    }

    // The window of each ring, and whether all non-empty windows hold the same times.
    const from = end - windowMs;
    let base = -1;
    let same = true;
    let longest = 0;
    for (let s = 0; s < k; s++) {
      const ring = rings[s];
      const start = ring === undefined ? 0 : ring.lowerBound(from);
      const t = ring === undefined ? EMPTY : ring.times().subarray(start);
      this.times[s] = t;
      this.values[s] = ring === undefined ? EMPTY : ring.values().subarray(start);
      if (t.length > longest) longest = t.length;
      if (t.length === 0) continue;
      if (base === -1) base = s;
      else if (same) same = sameTimes(this.times[base], t);
    }
    this.times.length = k;
    this.values.length = k;
    const buckets = Math.max(1, Math.floor(pixelColumns));
    const limit = 2 * buckets;

    if (same) {
      const xs = this.times[base];
      if (xs.length <= limit) {
        this.points = xs.length;
        return [xs, ...this.values];
      }
    } else if (longest <= limit) {
      // Each series fits; their union (at most k times longer) usually does too.
      for (let s = 0; s < k; s++) {
        this.lists[s] = this.times[s];
        this.lengths[s] = this.times[s].length;
      }
      const m = this.mergeLists(k);
      if (m <= limit) return this.readAt(m, k);
    }

    // Too many points: min-max per pixel column for each series, then the union of what was kept.
    this.decimated = true;
    const capacity = limit + 2;
    if (this.kept.length < k || this.keptCapacity < capacity) {
      this.kept = Array.from({ length: k }, () => ({ t: new Float64Array(capacity), v: new Float64Array(capacity) }));
      this.keptCapacity = capacity;
    }
    for (let s = 0; s < k; s++) {
      const d = decimateMinMax(this.times[s], this.values[s], buckets, this.kept[s]);
      this.lists[s] = this.kept[s].t;
      this.lengths[s] = d.length;
    }
    return this.readAt(this.mergeLists(k), k);
  }

  /**
   * Merges the sorted time lists `lists[0..k)` (first `lengths[s]` of each) into
   * `this.union`, without duplicates.
   * @returns the number of distinct times.
   */
  private mergeLists(k: number): number {
    let total = 0;
    for (let s = 0; s < k; s++) total += this.lengths[s];
    // Room to spare: a sliding window grows by a sample now and then, and must not reallocate each time.
    if (this.union.length < total) this.union = new Float64Array(2 * total);
    const union = this.union;
    const { lists, lengths, cursors } = this;
    for (let s = 0; s < k; s++) cursors[s] = 0;
    let m = 0;
    for (;;) {
      let next = Infinity;
      for (let s = 0; s < k; s++) if (cursors[s] < lengths[s] && lists[s][cursors[s]] < next) next = lists[s][cursors[s]];
      if (next === Infinity) break;
      union[m++] = next;
      for (let s = 0; s < k; s++) if (cursors[s] < lengths[s] && lists[s][cursors[s]] === next) cursors[s]++;
    }
    return m;
  }

  /** Each series' value at each of the first `m` union times, `null` where it has no sample. */
  private readAt(m: number, k: number): AlignedColumns {
    this.merged = true;
    this.points = m;
    while (this.columns.length < k) this.columns.push([]);
    const union = this.union;
    const out: AlignedColumns = [union.subarray(0, m)];
    for (let s = 0; s < k; s++) {
      const t = this.times[s];
      const v = this.values[s];
      if (t.length === 0) {
        out.push(EMPTY);
        continue;
      }
      const column = this.columns[s];
      column.length = m;
      let j = 0;
      for (let i = 0; i < m; i++) {
        const x = union[i];
        while (j < t.length && t[j] < x) j++;
        column[i] = j < t.length && t[j] === x ? v[j] : null;
      }
      out.push(column);
    }
    return out;
  }
}

/** Whether two sorted time columns are equal. */
function sameTimes(a: Float64Array, b: Float64Array): boolean {
  const n = a.length;
  if (b.length !== n || a[0] !== b[0] || a[n - 1] !== b[n - 1]) return false;
  for (let i = 1; i < n - 1; i++) if (a[i] !== b[i]) return false;
  return true;
}
