/**
 * Per-second stacked bars of categorical rates (HTTP status classes), computed from rings
 * with the client's `aggregate`, keyed by the samples' own timestamps.
 *
 * uPlot draws series in order and has no built-in stacking, so the stack is drawn as
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
import { aggregate, createBuckets, type Buckets, type RingBuffer } from "@pulseboard/realtime-client";
import type uPlot from "uplot";

/** Bucket width: one bar per second. */
export const BAR_MS = 1000;

/** Computes the stack, reusing its buffers. */
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
   * @returns uPlot data: bar centres, then the stacks, full stack first.
   */
  compute(rings: readonly (RingBuffer | undefined)[], visible: readonly boolean[]): uPlot.AlignedData {
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
