/**
 * History rollups: per series and tier, buckets of count, sum, min (and its time), max (and
 * its time), last (and its time). Buckets merge exactly (a bucket built from two halves equals
 * one built from all samples, up to the order of float additions in `sum`), so several
 * gateways can each add a partial bucket and the store merges them.
 *
 * A history answer picks a tier, groups its buckets by the requested step and reduces each
 * group with an {@link Aggregation}. The default, `envelope`, gives each step its min and its
 * max at the times they happened, so a one-sample spike survives any zoom level; `avg`,
 * `min`, `max`, `sum`, `count` and `last` give one value at the step's start.
 */
import type { Aggregation, HistorySeries, RollupTier } from "./types.js";

/** Slots of one bucket. */
export const AGG_SIZE = 8;
const COUNT = 0;
const SUM = 1;
const MIN = 2;
const TMIN = 3;
const MAX = 4;
const TMAX = 5;
const LAST = 6;
const TLAST = 7;

/**
 * Adds one sample to the bucket at `a[o…o+8)`. Ties: the earliest time of an equal min or
 * max is kept; for `last`, a sample at the same time as the current last replaces it (the
 * later append wins).
 */
export function addSample(a: Float64Array, o: number, t: number, v: number): void {
  if (a[o + COUNT] === 0) {
    firstSample(a, o, t, v);
    return;
  }
  a[o + COUNT] += 1;
  a[o + SUM] += v;
  if (v < a[o + MIN] || (v === a[o + MIN] && t < a[o + TMIN])) {
    a[o + MIN] = v;
    a[o + TMIN] = t;
  }
  if (v > a[o + MAX] || (v === a[o + MAX] && t < a[o + TMAX])) {
    a[o + MAX] = v;
    a[o + TMAX] = t;
  }
  if (t >= a[o + TLAST]) {
    a[o + LAST] = v;
    a[o + TLAST] = t;
  }
}

/** Makes the slots at `a[o…o+8)` a bucket of the one sample (t, v), whatever they held. */
function firstSample(a: Float64Array, o: number, t: number, v: number): void {
  a[o + COUNT] = 1;
  a[o + SUM] = v;
  a[o + MIN] = v;
  a[o + TMIN] = t;
  a[o + MAX] = v;
  a[o + TMAX] = t;
  a[o + LAST] = v;
  a[o + TLAST] = t;
}

/** Merges bucket `b[bo…]` (the later one, in append order) into `a[ao…]`. */
export function mergeBucket(a: Float64Array, ao: number, b: Float64Array, bo: number): void {
  if (b[bo + COUNT] === 0) return;
  if (a[ao + COUNT] === 0) {
    for (let k = 0; k < AGG_SIZE; k++) a[ao + k] = b[bo + k];
    return;
  }
  a[ao + COUNT] += b[bo + COUNT];
  a[ao + SUM] += b[bo + SUM];
  if (b[bo + MIN] < a[ao + MIN] || (b[bo + MIN] === a[ao + MIN] && b[bo + TMIN] < a[ao + TMIN])) {
    a[ao + MIN] = b[bo + MIN];
    a[ao + TMIN] = b[bo + TMIN];
  }
  if (b[bo + MAX] > a[ao + MAX] || (b[bo + MAX] === a[ao + MAX] && b[bo + TMAX] < a[ao + TMAX])) {
    a[ao + MAX] = b[bo + MAX];
    a[ao + TMAX] = b[bo + TMAX];
  }
  if (b[bo + TLAST] >= a[ao + TLAST]) {
    a[ao + LAST] = b[bo + LAST];
    a[ao + TLAST] = b[bo + TLAST];
  }
}

/** One tier bucket: its start and its 8 slots. */
export interface TierBucket {
  start: number;
  agg: Float64Array;
}

/** Slots per stored bucket: its start, then the {@link AGG_SIZE} aggregate slots. */
const STRIDE = AGG_SIZE + 1;

/**
 * The buckets of one series in one tier, in time order, in one growable typed array of
 * `[start, count, sum, min, tmin, max, tmax, last, tlast]` records (no object per bucket, and
 * a bucket's start next to its slots: with thousands of series each sample lands on cold
 * memory, so fewer cache lines per sample is what makes ingest fast). Appends are almost
 * always to the newest bucket; an older one is found by binary search, and a missing older
 * one is inserted in place.
 */
export class SeriesBuckets {
  private data = new Float64Array(4 * STRIDE);
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  add(start: number, t: number, v: number): void {
    const end = this.head + this.size;
    const data = this.data;
    if (this.size > 0) {
      const newest = data[(end - 1) * STRIDE];
      if (newest === start) {
        addSample(data, (end - 1) * STRIDE + 1, t, v);
        return;
      }
      if (start < newest) {
        const at = this.search(start);
        if (at < end && data[at * STRIDE] === start) {
          addSample(data, at * STRIDE + 1, t, v);
          return;
        }
        this.insert(at, start, t, v);
        return;
      }
    }
    this.insert(end, start, t, v);
  }

  /** Drops buckets that start before `minStart`. */
  evictBefore(minStart: number): void {
    while (this.size > 0 && this.data[this.head * STRIDE] < minStart) {
      this.head++;
      this.size--;
    }
    if (this.size === 0) this.head = 0;
  }

  /** Buckets with start in [fromStart, toStart] (copies). */
  range(fromStart: number, toStart: number): TierBucket[] {
    const out: TierBucket[] = [];
    const end = this.head + this.size;
    for (let i = this.search(fromStart); i < end && this.data[i * STRIDE] <= toStart; i++) {
      out.push({ start: this.data[i * STRIDE], agg: this.data.slice(i * STRIDE + 1, (i + 1) * STRIDE) });
    }
    return out;
  }

  /** First index in [head, end) whose start is >= `start`. */
  private search(start: number): number {
    let lo = this.head;
    let hi = this.head + this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid * STRIDE] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A new bucket of one sample at index `at`, later buckets shifted up. */
  private insert(at: number, start: number, t: number, v: number): void {
    const capacity = this.data.length / STRIDE;
    if (this.head + this.size === capacity) {
      if (this.head > 0 && this.size <= capacity / 2) {
        // Compact instead of growing: the evicted head is dead space.
        this.data.copyWithin(0, this.head * STRIDE, (this.head + this.size) * STRIDE);
        at -= this.head;
        this.head = 0;
      } else {
        const data = new Float64Array(capacity * 2 * STRIDE);
        data.set(this.data);
        this.data = data;
      }
    }
    const end = this.head + this.size;
    if (at < end) this.data.copyWithin((at + 1) * STRIDE, at * STRIDE, end * STRIDE);
    this.size++;
    this.data[at * STRIDE] = start;
    firstSample(this.data, at * STRIDE + 1, t, v);
  }
}

/** Start of the bucket of resolution `res` that holds time `t`. */
export function bucketStart(t: number, res: number): number {
  return Math.floor(t / res) * res;
}

/** Oldest bucket start a tier still answers for at time `now`. */
export function oldestBucket(tier: RollupTier, now: number): number {
  return now - tier.retentionMs;
}

/** Rollups of one series, in memory: one {@link SeriesBuckets} per tier. */
export class SeriesRollup {
  private readonly perTier: SeriesBuckets[];

  constructor(private readonly tiers: readonly RollupTier[]) {
    this.perTier = tiers.map(() => new SeriesBuckets());
  }

  /** Adds samples to every tier (samples older than a tier's retention skip it). */
  add(t: readonly number[], v: readonly number[], now: number): void {
    for (let k = 0; k < this.tiers.length; k++) {
      const res = this.tiers[k].resolutionMs;
      const minStart = oldestBucket(this.tiers[k], now);
      const buckets = this.perTier[k];
      for (let i = 0; i < t.length; i++) {
        const start = Math.floor(t[i] / res) * res;
        if (start >= minStart) buckets.add(start, t[i], v[i]);
      }
      buckets.evictBefore(minStart);
    }
  }

  buckets(tier: number, fromStart: number, toStart: number): TierBucket[] {
    return this.perTier[tier].range(fromStart, toStart);
  }
}

/**
 * Partial buckets of one batch, per tier, bucket start and series: what a gateway sends to a
 * shared store, which merges them into its buckets.
 */
export function partialBuckets(
  series: ReadonlyArray<readonly [string, { t: readonly number[]; v: readonly number[] }]>,
  tiers: readonly RollupTier[],
  now: number,
): Array<Map<number, Map<string, Float64Array>>> {
  return tiers.map((tier) => {
    const res = tier.resolutionMs;
    const minStart = oldestBucket(tier, now);
    const byBucket = new Map<number, Map<string, Float64Array>>();
    for (const [id, cols] of series) {
      for (let i = 0; i < cols.t.length; i++) {
        const start = Math.floor(cols.t[i] / res) * res;
        if (start < minStart) continue;
        let members = byBucket.get(start);
        if (members === undefined) byBucket.set(start, (members = new Map()));
        let agg = members.get(id);
        if (agg === undefined) members.set(id, (agg = new Float64Array(AGG_SIZE)));
        addSample(agg, 0, cols.t[i], cols.v[i]);
      }
    }
    return byBucket;
  });
}

/** Which tier answers a window, and at which step. */
export interface TierChoice {
  tier: number;
  resolutionMs: number;
  step: number;
}

/**
 * Among the tiers that still cover `from` (or the coarsest, if none does), the coarsest whose
 * resolution is at most the wanted step (fewest buckets to read, nothing lost); if every
 * covering tier is coarser than the step, the finest of them. The step is rounded up to a
 * multiple of the tier's resolution.
 */
export function chooseTier(tiers: readonly RollupTier[], from: number, step: number | undefined, now: number): TierChoice {
  const wanted = step !== undefined && step > 0 ? step : tiers[0].resolutionMs;
  let candidates = tiers.map((_, i) => i).filter((i) => oldestBucket(tiers[i], now) <= from);
  if (candidates.length === 0) candidates = [tiers.length - 1];
  let pick = -1;
  for (const i of candidates) if (tiers[i].resolutionMs <= wanted) pick = i;
  if (pick < 0) pick = candidates[0];
  const res = tiers[pick].resolutionMs;
  return { tier: pick, resolutionMs: res, step: Math.ceil(wanted / res) * res };
}

/** The step-aligned bucket starts of a window: steps that start in [from, to]. */
export function windowSteps(from: number, to: number, step: number): { first: number; last: number; count: number } {
  const first = Math.ceil(from / step) * step;
  const last = Math.floor(to / step) * step;
  return { first, last, count: last >= first ? (last - first) / step + 1 : 0 };
}

/**
 * Reduces tier buckets (sorted by start, each inside the window) to one series at `step`.
 * Only steps with data appear: real data is sparse, and a missing point is not a zero.
 */
export function reduceBuckets(buckets: readonly TierBucket[], choice: TierChoice, agg: Aggregation, minStart: number): HistorySeries {
  const t: number[] = [];
  const v: number[] = [];
  const acc = new Float64Array(AGG_SIZE);
  let current = Number.NaN;
  const flush = (): void => {
    if (acc[COUNT] === 0) return;
    switch (agg) {
      case "envelope":
        if (acc[TMIN] === acc[TMAX]) {
          t.push(acc[TMIN]);
          v.push(acc[MIN]);
        } else if (acc[TMIN] < acc[TMAX]) {
          t.push(acc[TMIN], acc[TMAX]);
          v.push(acc[MIN], acc[MAX]);
        } else {
          t.push(acc[TMAX], acc[TMIN]);
          v.push(acc[MAX], acc[MIN]);
        }
        break;
      case "avg":
        t.push(current);
        v.push(acc[SUM] / acc[COUNT]);
        break;
      case "min":
        t.push(current);
        v.push(acc[MIN]);
        break;
      case "max":
        t.push(current);
        v.push(acc[MAX]);
        break;
      case "sum":
        t.push(current);
        v.push(acc[SUM]);
        break;
      case "count":
        t.push(current);
        v.push(acc[COUNT]);
        break;
      case "last":
        t.push(current);
        v.push(acc[LAST]);
        break;
    }
    acc.fill(0);
  };
  for (const bucket of buckets) {
    if (bucket.start < minStart) continue;
    const start = Math.floor(bucket.start / choice.step) * choice.step;
    if (start !== current) {
      flush();
      current = start;
    }
    mergeBucket(acc, 0, bucket.agg, 0);
  }
  flush();
  return { step: choice.step, tier: choice.resolutionMs, t, v };
}
