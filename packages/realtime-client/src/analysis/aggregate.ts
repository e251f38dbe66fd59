/**
 * Windowed aggregation over columnar samples: time buckets with min, max, avg, sum, count
 * and last, plus the per-second rate of a counter.
 *
 * Buckets are keyed by the samples' own timestamps (`floor(t / bucketMs) * bucketMs`), never
 * by when the code runs: a background tab whose timers fire once a minute computes the same
 * buckets as a foreground one. Everything is plain index loops into typed arrays, with
 * optional preallocated outputs so a chart refreshing every frame allocates nothing.
 *
 * @module
 */

/**
 * Columnar aggregation result. Arrays have a capacity; only the first `length` entries are
 * meaningful. Bucket `i` covers `[t[i], t[i] + bucketMs)`.
 */
export interface Buckets {
  /** Bucket start times. */
  t: Float64Array;
  /** Smallest value, NaN for an empty bucket. */
  min: Float64Array;
  /** Largest value, NaN for an empty bucket. */
  max: Float64Array;
  /** Mean value, NaN for an empty bucket. */
  avg: Float64Array;
  /** Sum of values, 0 for an empty bucket. */
  sum: Float64Array;
  /** Number of (non-NaN) values. */
  count: Float64Array;
  /** Value of the last sample in the bucket (input order), NaN for an empty bucket. */
  last: Float64Array;
  /** Number of buckets filled in. */
  length: number;
}

/** Refuse to produce more buckets than this in one call (a unit mistake, not a chart). */
export const MAX_BUCKETS = 10_000_000;

/**
 * Preallocate a {@link Buckets} to pass as `out` on every refresh.
 * @param capacity - maximum number of buckets.
 * @returns empty buckets (length 0).
 * @example
 * ```ts
 * const out = createBuckets(1000);
 * aggregate(ring.times(), ring.values(), 60_000, { out }); // reuses out while it is big enough
 * ```
 */
export function createBuckets(capacity: number): Buckets {
  const n = Math.max(0, Math.floor(capacity));
  return {
    t: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    avg: new Float64Array(n),
    sum: new Float64Array(n),
    count: new Float64Array(n),
    last: new Float64Array(n),
    length: 0,
  };
}

/** Options of {@link aggregate}. */
export interface AggregateOptions {
  /**
   * Start of the range (inclusive); samples before it are ignored.
   * @default the first sample's time
   */
  from?: number;
  /**
   * End of the range (inclusive); samples after it are ignored.
   * @default the last sample's time
   */
  to?: number;
  /**
   * Where to write. Used when its capacity suffices; otherwise a new {@link Buckets} is
   * allocated and returned (compare the result with `out` to notice).
   */
  out?: Buckets;
}

/**
 * Group samples into fixed time buckets.
 *
 * Every bucket between `from` and `to` appears, including empty ones (count 0, sum 0 and
 * NaN min/max/avg/last), so a chart shows a hole as a hole. NaN values are skipped. Times
 * are expected in ascending order (as rings hold them); with unsorted input the results are
 * still per bucket, and `last` is the last sample in input order.
 *
 * @param times - sample times (epoch ms).
 * @param values - sample values.
 * @param bucketMs - bucket width in ms (> 0).
 * @param options - see {@link AggregateOptions}.
 * @returns the buckets (`options.out` when it was large enough).
 * @throws RangeError when `bucketMs` is not a positive finite number or the range would need
 *   more than {@link MAX_BUCKETS} buckets.
 * @example
 * ```ts
 * // One-minute candles of the last hour.
 * const now = ring.lastTime;
 * const candles = aggregate(ring.times(), ring.values(), 60_000, { from: now - 3_600_000, to: now });
 * for (let i = 0; i < candles.length; i++) drawCandle(candles.t[i], candles.min[i], candles.max[i]);
 * ```
 */
export function aggregate(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  bucketMs: number,
  options: AggregateOptions = {},
): Buckets {
  if (!(bucketMs > 0) || bucketMs === Infinity) {
    throw new RangeError(`aggregate bucketMs must be a positive finite number, got ${String(bucketMs)}`);
  }
  const n = Math.min(times.length, values.length);
  const from = options.from ?? (n > 0 ? times[0] : NaN);
  const to = options.to ?? (n > 0 ? times[n - 1] : NaN);
  const firstKey = Math.floor(from / bucketMs);
  const lastKey = Math.floor(to / bucketMs);
  const bucketCount = Number.isFinite(firstKey) && Number.isFinite(lastKey) && lastKey >= firstKey ? lastKey - firstKey + 1 : 0;
  if (bucketCount > MAX_BUCKETS) {
    throw new RangeError(`aggregate would produce ${bucketCount} buckets (more than ${MAX_BUCKETS}); use a wider bucketMs`);
  }
  const out = options.out !== undefined && options.out.t.length >= bucketCount ? options.out : createBuckets(bucketCount);
  const { t: bt, min, max, avg, sum, count, last } = out;
  for (let b = 0; b < bucketCount; b++) {
    bt[b] = (firstKey + b) * bucketMs;
    min[b] = NaN;
    max[b] = NaN;
    sum[b] = 0;
    count[b] = 0;
    last[b] = NaN;
  }
  out.length = bucketCount;
  if (bucketCount === 0) return out;

  // Accumulate the current bucket in locals and write it out when the bucket changes: with
  // sorted input that is one typed-array write per bucket instead of five per sample.
  let cur = -1;
  let cMin = NaN;
  let cMax = NaN;
  let cSum = 0;
  let cCount = 0;
  let cLast = NaN;
  for (let i = 0; i < n; i++) {
    const ti = times[i];
    if (!(ti >= from && ti <= to)) continue;
    const vi = values[i];
    if (vi !== vi) continue; // NaN
    const b = Math.floor(ti / bucketMs) - firstKey;
    if (b !== cur) {
      if (cCount > 0) mergeBucket(out, cur, cMin, cMax, cSum, cCount, cLast);
      cur = b;
      cMin = vi;
      cMax = vi;
      cSum = vi;
      cCount = 1;
      cLast = vi;
      continue;
    }
    if (vi < cMin) cMin = vi;
    if (vi > cMax) cMax = vi;
    cSum += vi;
    cCount++;
    cLast = vi;
  }
  if (cCount > 0) mergeBucket(out, cur, cMin, cMax, cSum, cCount, cLast);
  for (let b = 0; b < bucketCount; b++) avg[b] = count[b] > 0 ? sum[b] / count[b] : NaN;
  return out;
}

/** Fold one run of samples into bucket `b` (a bucket can get several runs if input is unsorted). */
function mergeBucket(out: Buckets, b: number, mn: number, mx: number, sm: number, cn: number, ls: number): void {
  if (out.count[b] === 0) {
    out.min[b] = mn;
    out.max[b] = mx;
  } else {
    if (mn < out.min[b]) out.min[b] = mn;
    if (mx > out.max[b]) out.max[b] = mx;
  }
  out.sum[b] += sm;
  out.count[b] += cn;
  out.last[b] = ls;
}

/** Columnar `(t, v)` pairs; the first `length` entries are meaningful. */
export interface Columns {
  t: Float64Array;
  v: Float64Array;
  length: number;
}

/**
 * The output of a column function (`rate`, the decimations): the caller's preallocated
 * columns when both hold `need` samples, so a caller that reuses them allocates nothing;
 * fresh ones otherwise.
 *
 * @param need - samples the output must hold.
 * @param out - the caller's columns, if any.
 * @returns the columns to write into.
 */
export function outputColumns(need: number, out?: { t: Float64Array; v: Float64Array }): { t: Float64Array; v: Float64Array } {
  if (out !== undefined && out.t.length >= need && out.v.length >= need) return out;
  return { t: new Float64Array(need), v: new Float64Array(need) };
}

/**
 * Per-second rate of change of a counter (a monotonically increasing total).
 *
 * Each output point sits at the later sample's time: `(v[i] - v[i-1]) / ((t[i] - t[i-1]) / 1000)`.
 *
 * Counter resets: a counter that goes DOWN has restarted (a process restarted and its total
 * began again at 0). Like Prometheus' `rate()`, the increase across a reset is taken to be
 * the new value itself (from 0 to `v[i]`), never a negative rate.
 *
 * Samples with a non-finite time or value are skipped, and so is a sample whose time is not
 * after the previous usable sample (no division by zero); the next usable sample is compared
 * with the last usable one.
 *
 * @param times - sample times (epoch ms), ascending.
 * @param values - counter values.
 * @param out - preallocated output, used when its capacity suffices.
 * @returns the rates (`length` = number of usable samples - 1, at least 0).
 * @example
 * ```ts
 * const perSecond = rate(ring.times(), ring.values());
 * chart.setData([perSecond.t.subarray(0, perSecond.length), perSecond.v.subarray(0, perSecond.length)]);
 * ```
 */
export function rate(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  out?: { t: Float64Array; v: Float64Array },
): Columns {
  const n = Math.min(times.length, values.length);
  const { t: ot, v: ov } = outputColumns(n > 0 ? n - 1 : 0, out);
  let k = 0;
  let prevT = NaN;
  let prevV = NaN;
  let havePrev = false;
  for (let i = 0; i < n; i++) {
    const ti = times[i];
    const vi = values[i];
    if (!Number.isFinite(ti) || !Number.isFinite(vi)) continue;
    if (havePrev) {
      if (!(ti > prevT)) continue;
      const increase = vi >= prevV ? vi - prevV : vi;
      ot[k] = ti;
      ov[k] = (increase * 1000) / (ti - prevT);
      k++;
    }
    prevT = ti;
    prevV = vi;
    havePrev = true;
  }
  return { t: ot, v: ov, length: k };
}
