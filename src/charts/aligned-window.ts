/**
 * uPlot data for one chart: the last `windowMs` of several series, as zero-copy views of
 * their ring buffers whenever possible.
 *
 * uPlot wants columnar data with ONE x array shared by every series: `[xs, ys1, ys2, ...]`.
 * The metrics a chart groups (p50/p95/p99, cpu/memory...) are sampled on the same grid and
 * arrive in the same frames, so their rings hold the same timestamps. We therefore align by
 * the tail: the newest `n` samples of each ring (n = the shortest ring) correspond one to
 * one, and the first series' `times()` serves as x for all. Nothing is copied: every column
 * is a `subarray` of a ring's mirrored storage.
 *
 * When the window holds more points than the plot has device pixels (times two), drawing
 * them all costs time and shows nothing more. Then each series is reduced with the client's
 * `decimateMinMax` (min and max per pixel column, so spikes survive), and since uPlot needs
 * one x array, the kept timestamps of all series are merged: each series is then sampled at
 * the union of the kept times. Every series keeps its own extremes, at the price of up to
 * `series x 2 x pixels` points, still far fewer than 60 000. Those columns live in buffers
 * owned by this object and reused at every call: still no allocation per frame.
 *
 * @module
 */
import { decimateMinMax, type RingBuffer } from "@pulseboard/realtime-client";
import type uPlot from "uplot";

const EMPTY = new Float64Array(0);

/** Builds a chart's data from its rings, reusing its buffers. */
export class AlignedWindow {
  private kept: { t: Float64Array; v: Float64Array }[] = [];
  private union = EMPTY;
  private columns: Float64Array[] = [];
  private readonly cursors: number[] = [];
  /** Points in the latest result (after decimation). */
  points = 0;
  /** Whether the latest result was decimated. */
  decimated = false;

  /**
   * @param rings - the chart's series (undefined until the catalogue arrives).
   * @param windowMs - time span to show, ending at the newest sample.
   * @param pixelColumns - the plot's width in device pixels.
   * @returns `[xs, ...ys]` for `uPlot.setData`.
   */
  compute(rings: readonly (RingBuffer | undefined)[], windowMs: number, pixelColumns: number): uPlot.AlignedData {
    let n = Infinity;
    let base: RingBuffer | undefined;
    for (const ring of rings) {
      if (ring === undefined) continue;
      base ??= ring;
      if (ring.length < n) n = ring.length;
    }
    if (base === undefined || n === 0 || n === Infinity) {
      this.points = 0;
      return [EMPTY, ...rings.map(() => EMPTY)];
    }
    // First index (in base) inside both the aligned tail and the time window.
    const tailStart = base.length - n;
    const start = Math.max(tailStart, base.lowerBound(base.lastTime - windowMs));
    const count = base.length - start;
    const xs = base.times().subarray(start);
    const ys = rings.map((ring) => (ring === undefined ? EMPTY : ring.values().subarray(ring.length - count)));

    const buckets = Math.max(1, Math.floor(pixelColumns));
    if (count <= 2 * buckets) {
      this.points = count;
      this.decimated = false;
      return [xs, ...ys];
    }
    this.decimated = true;
    return this.decimate(xs, ys, buckets);
  }

  /** Min-max per series, then every series sampled at the union of the kept times. */
  private decimate(xs: Float64Array, ys: Float64Array[], buckets: number): uPlot.AlignedData {
    const k = ys.length;
    const capacity = 2 * buckets + 2;
    if (this.kept.length !== k || this.kept[0].t.length < capacity) {
      this.kept = ys.map(() => ({ t: new Float64Array(capacity), v: new Float64Array(capacity) }));
      this.union = new Float64Array(capacity * k);
      this.columns = ys.map(() => new Float64Array(capacity * k));
    }
    const lengths: number[] = [];
    for (let s = 0; s < k; s++) {
      if (ys[s].length === 0) {
        lengths.push(0);
        continue;
      }
      lengths.push(decimateMinMax(xs, ys[s], buckets, this.kept[s]).length);
    }

    // k-way merge of sorted time lists, dropping duplicates.
    const union = this.union;
    const cursors = this.cursors;
    for (let s = 0; s < k; s++) cursors[s] = 0;
    let m = 0;
    for (;;) {
      let next = Infinity;
      for (let s = 0; s < k; s++) if (cursors[s] < lengths[s] && this.kept[s].t[cursors[s]] < next) next = this.kept[s].t[cursors[s]];
      if (next === Infinity) break;
      union[m++] = next;
      for (let s = 0; s < k; s++) if (cursors[s] < lengths[s] && this.kept[s].t[cursors[s]] === next) cursors[s]++;
    }

    // Sample each series at the union times (they are all sample times of xs).
    for (let s = 0; s < k; s++) {
      const y = ys[s];
      const out = this.columns[s];
      if (y.length === 0) continue;
      let j = 0;
      for (let i = 0; i < m; i++) {
        const t = union[i];
        while (xs[j] < t) j++;
        out[i] = y[j];
      }
    }
    this.points = m;
    return [union.subarray(0, m), ...this.columns.map((c, s) => (ys[s].length === 0 ? EMPTY : c.subarray(0, m)))];
  }
}
