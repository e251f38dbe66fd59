/**
 * Per-second stacked bars of categorical rates (HTTP status classes), computed from rings
 * with {@link aggregate}, keyed by the samples' own timestamps.
 *
 * Chart libraries that draw series in order without built-in stacking (uPlot), so the stack is drawn as
 * overlapping bars: the first series is the full stack (coloured as the top class), each
 * next one is the stack without the class above it, and so on. What remains visible of each
 * bar is exactly its class's share. A hidden class is left out of the sums.
 *
 * ```
 * classes (bottom to top):  2xx 3xx 4xx 5xx
 * series 1 = 2xx+3xx+4xx+5xx   (drawn first, coloured 5xx)
 * series 2 = 2xx+3xx+4xx       (coloured 4xx)
 * series 3 = 2xx+3xx           (coloured 3xx)
 * series 4 = 2xx               (drawn last, coloured 2xx)
 * ```
 *
 * @module
 */
import { aggregate, createBuckets, type Buckets } from "../analysis/aggregate.js";
import type { RingBuffer } from "../store/ring-buffer.js";

/** Columnar chart data: bar centres, then one column per stack (uPlot's `AlignedData` accepts it). */
export type StackedColumns = [xs: Float64Array, ...stacks: Float64Array[]];

/** Bucket width: one bar per second. */
export const BAR_MS = 1000;

/**
 * Computes the stack, reusing its buffers (the columns returned are the same arrays every
 * call: hand them to the chart, do not keep them).
 *
 * @example
 * ```ts
 * const stack = new StackedRates(4, 60); // 2xx..5xx, the last 60 s
 * plot.setData(stack.compute(["http.2xx", "http.3xx", "http.4xx", "http.5xx"].map((id) => manager.series(id)), [true, true, true, true]));
 * ```
 */
export class StackedRates {
  private readonly buckets: Buckets[];
  private readonly xs: Float64Array;
  private readonly stacks: Float64Array[];
  /** Mean rate of each class in the latest complete second (bottom class first). */
  readonly latest: number[];

  /**
   * @param classes - number of categories.
   * @param bars - number of bars (seconds) shown.
   */
  constructor(
    readonly classes: number,
    readonly bars: number,
  ) {
    this.buckets = Array.from({ length: classes }, () => createBuckets(bars + 1));
    this.xs = new Float64Array(bars);
    this.stacks = Array.from({ length: classes }, () => new Float64Array(bars));
    this.latest = new Array<number>(classes).fill(NaN);
  }

  /**
   * @param rings - one ring per class, bottom class first.
   * @param visible - which classes are shown.
   * @returns the columns: bar centres, then the stacks, full stack first.
   */
  compute(rings: readonly (RingBuffer | undefined)[], visible: readonly boolean[]): StackedColumns {
    let last = -Infinity;
    for (const ring of rings) if (ring !== undefined && ring.length > 0 && ring.lastTime > last) last = ring.lastTime;
    if (last === -Infinity) return [this.xs.subarray(0, 0), ...this.stacks.map((s) => s.subarray(0, 0))];
    const firstBar = Math.floor(last / BAR_MS) * BAR_MS - (this.bars - 1) * BAR_MS;
    for (let i = 0; i < this.bars; i++) this.xs[i] = firstBar + i * BAR_MS + BAR_MS / 2;
    const k = this.classes;
    for (let c = 0; c < k; c++) {
      const ring = rings[c];
      const b = this.buckets[c];
      if (ring === undefined) {
        b.length = 0;
        continue;
      }
      aggregate(ring.times(), ring.values(), BAR_MS, { from: firstBar, to: last, out: b });
      // The newest bucket is still filling: report the one before it.
      this.latest[c] = b.length >= 2 ? b.avg[b.length - 2] : NaN;
    }
    // Series s (0-based) is class k-1-s and stacks every visible class at or below it.
    for (let i = 0; i < this.bars; i++) {
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const b = this.buckets[c];
        const v = i < b.length ? b.avg[i] : NaN;
        if (visible[c] && Number.isFinite(v)) sum += v;
        this.stacks[k - 1 - c][i] = sum;
      }
    }
    return [this.xs, ...this.stacks];
  }
}
