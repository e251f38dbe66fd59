/**
 * Trend of a metric: its latest complete window compared with the window before.
 *
 * Windows are buckets of the samples' own timestamps ({@link aggregate}), never of
 * timer ticks: a background tab whose timers run once a minute computes the same trend.
 * The bucket still filling is ignored, so the trend does not swing at every bucket start.
 *
 * @module
 */
import type { MetricKind } from "@pulseboard/protocol";
import { aggregate, createBuckets, type Buckets } from "../analysis/aggregate.js";
import type { RingBuffer } from "../store/ring-buffer.js";

/**
 * Computes trends, reusing its bucket storage (one per card, or per value shown).
 *
 * @example
 * ```ts
 * const trend = new TrendMeter(15_000);
 * const change = trend.measure(manager.series("cpu.usage"), "gauge"); // 0.05: up 5 %
 * ```
 */
export class TrendMeter {
  private readonly out: Buckets = createBuckets(8);

  /** @param windowMs - width of a window. @default 15 000 */
  constructor(readonly windowMs = 15_000) {}

  /**
   * The latest complete window against the one before: their means, or for counters their
   * increases.
   * @param ring - the series.
   * @param kind - counters compare their increase per window; other kinds their mean.
   * @returns (current - previous) / |previous|, or NaN without two complete windows.
   */
  measure(ring: RingBuffer | undefined, kind: MetricKind): number {
    if (ring === undefined || ring.length < 2) return NaN;
    const last = ring.lastTime;
    const w = this.windowMs;
    const b = aggregate(ring.times(), ring.values(), w, { from: last - 3 * w, to: last, out: this.out });
    // b.length - 1 is the bucket still filling; compare the two before it.
    const cur = b.length - 2;
    const prev = b.length - 3;
    if (prev < 0 || b.count[cur] === 0 || b.count[prev] === 0) return NaN;
    if (ring.firstTime > b.t[prev]) return NaN; // the previous window is only partly held
    let current: number;
    let previous: number;
    if (kind === "counter") {
      if (prev < 1 || b.count[prev - 1] === 0) return NaN;
      current = b.last[cur] - b.last[prev];
      previous = b.last[prev] - b.last[prev - 1];
    } else {
      current = b.avg[cur];
      previous = b.avg[prev];
    }
    if (previous === 0) return current === 0 ? 0 : NaN;
    return (current - previous) / Math.abs(previous);
  }
}
