/**
 * A fixed-capacity time/value ring buffer whose contents are always readable as ONE
 * contiguous typed-array view, oldest to newest, without copying.
 *
 * The trick is mirroring: the ring is backed by arrays of twice the capacity and every sample
 * is written twice, at slot `i` and at slot `i + capacity`. Whatever the write position, the
 * `length` newest samples then sit side by side somewhere in the doubled array, so
 * `subarray(start, start + length)` is the series in time order. Charts like uPlot keep a
 * reference to the arrays they are given and never copy them; handing them such views costs
 * nothing per frame, while copying ring contents per frame is the classic cause of streaming
 * charts stuttering. The price is writing each sample twice (two stores, no allocation) and
 * twice the memory: 32 bytes per sample of capacity.
 *
 * ```
 * capacity 4, after pushing a b c d e f:
 *   slot:   0 1 2 3 | 4 5 6 7
 *   times:  e f c d | e f c d      start = 2, length = 4
 *                ^^^^^^^^^         times() = [c d e f]
 * ```
 *
 * @module
 */

/**
 * Largest accepted capacity: 2^24 samples, i.e. 512 MiB of Float64Array for one ring
 * (2 columns x 2 mirrors x 8 bytes). Anything above is almost certainly a unit mistake.
 */
export const MAX_RING_CAPACITY = 2 ** 24;

/**
 * Fixed-capacity, time-ordered ring of `(t, v)` samples on mirrored `Float64Array`s.
 *
 * Appends are O(1) and never allocate; when full, the oldest sample is overwritten and
 * counted in {@link RingBuffer.dropped}. Timestamps must be appended in non-decreasing order
 * (the {@link SeriesStore} enforces it); {@link RingBuffer.insertSorted} merges older samples.
 *
 * @example
 * ```ts
 * const ring = new RingBuffer(3);
 * ring.push(1000, 1); ring.push(2000, 2); ring.push(3000, 3); ring.push(4000, 4);
 * ring.times();  // Float64Array [2000, 3000, 4000], a view, not a copy
 * ring.dropped;  // 1
 * uplot.setData([ring.times(), ring.values()]);
 * ```
 */
export class RingBuffer {
  /** Maximum number of samples kept. */
  readonly capacity: number;
  private readonly t: Float64Array;
  private readonly v: Float64Array;
  /** Slot of the next write, in [0, capacity). */
  private head = 0;
  private size = 0;
  private overflowed = 0;
  // Views are cached until the next change: several consumers reading the same frame share
  // one pair of subarray objects, and any change produces fresh ones (uPlot compares them).
  private timesView: Float64Array | null = null;
  private valuesView: Float64Array | null = null;

  /**
   * @param capacity - maximum number of samples, an integer in [1, {@link MAX_RING_CAPACITY}].
   * @throws RangeError for a non-integer, a capacity below 1 or above the maximum.
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_RING_CAPACITY) {
      throw new RangeError(
        `RingBuffer capacity must be an integer in [1, ${MAX_RING_CAPACITY}], got ${String(capacity)}`,
      );
    }
    this.capacity = capacity;
    this.t = new Float64Array(2 * capacity);
    this.v = new Float64Array(2 * capacity);
  }

  /** Number of samples held, at most `capacity`. */
  get length(): number {
    return this.size;
  }

  /** Samples lost to overflow since construction (overwritten or discarded as too old). */
  get dropped(): number {
    return this.overflowed;
  }

  /**
   * Append one sample in O(1). When full, the oldest sample is overwritten and counted.
   * @param t - timestamp, not older than {@link RingBuffer.lastTime}.
   * @param v - value.
   */
  push(t: number, v: number): void {
    const cap = this.capacity;
    const h = this.head;
    this.t[h] = t;
    this.t[h + cap] = t;
    this.v[h] = v;
    this.v[h + cap] = v;
    this.head = h + 1 === cap ? 0 : h + 1;
    if (this.size < cap) this.size++;
    else this.overflowed++;
    this.timesView = null;
    this.valuesView = null;
  }

  /**
   * Append columns `t[from..to)` / `v[from..to)` in one pass.
   *
   * @param t - timestamps, non-decreasing and not older than {@link RingBuffer.lastTime}.
   * @param v - values, same indexing as `t`.
   * @param from - first index.
   * @default from 0
   * @param to - end index (exclusive).
   * @default to t.length
   * @returns the number of samples appended (`to - from`). If that exceeds the capacity,
   *   only the newest `capacity` are kept and the rest count as dropped.
   * @example
   * ```ts
   * ring.pushColumns(frame.series.cpu.t, frame.series.cpu.v);
   * ```
   */
  pushColumns(t: ArrayLike<number>, v: ArrayLike<number>, from = 0, to: number = t.length): number {
    if (to > t.length) to = t.length;
    if (from < 0) from = 0;
    const count = to - from;
    if (count <= 0) return 0;
    const cap = this.capacity;
    let start = from;
    if (count > cap) {
      // Samples that would be overwritten within this very call are never written.
      start = to - cap;
      this.overflowed += count - cap + this.size;
      this.size = 0;
      this.head = 0;
    }
    const tt = this.t;
    const vv = this.v;
    let h = this.head;
    for (let i = start; i < to; i++) {
      const ti = t[i];
      const vi = v[i];
      tt[h] = ti;
      tt[h + cap] = ti;
      vv[h] = vi;
      vv[h + cap] = vi;
      if (++h === cap) h = 0;
    }
    this.head = h;
    const written = to - start;
    const total = this.size + written;
    if (total > cap) {
      this.overflowed += total - cap;
      this.size = cap;
    } else {
      this.size = total;
    }
    this.timesView = null;
    this.valuesView = null;
    return count;
  }

  /**
   * Timestamps, oldest to newest, as a zero-copy view of length {@link RingBuffer.length}.
   * The view shares the ring's buffer: it stays valid (and unchanged) until the next write,
   * after which a fresh view must be taken.
   */
  times(): Float64Array {
    if (this.timesView === null) {
      const s = this.startSlot();
      this.timesView = this.t.subarray(s, s + this.size);
    }
    return this.timesView;
  }

  /** Values, aligned with {@link RingBuffer.times}; same zero-copy rules. */
  values(): Float64Array {
    if (this.valuesView === null) {
      const s = this.startSlot();
      this.valuesView = this.v.subarray(s, s + this.size);
    }
    return this.valuesView;
  }

  /**
   * @param i - 0 is the oldest sample, `length - 1` the newest.
   * @returns the timestamp, or NaN outside [0, length).
   */
  timeAt(i: number): number {
    return i >= 0 && i < this.size ? this.t[this.startSlot() + i] : NaN;
  }

  /**
   * @param i - 0 is the oldest sample, `length - 1` the newest.
   * @returns the value, or NaN outside [0, length).
   */
  valueAt(i: number): number {
    return i >= 0 && i < this.size ? this.v[this.startSlot() + i] : NaN;
  }

  /** Timestamp of the oldest sample; NaN when empty. */
  get firstTime(): number {
    return this.size > 0 ? this.t[this.startSlot()] : NaN;
  }

  /** Timestamp of the newest sample; NaN when empty. */
  get lastTime(): number {
    return this.size > 0 ? this.t[this.startSlot() + this.size - 1] : NaN;
  }

  /** Value of the newest sample; NaN when empty. */
  get lastValue(): number {
    return this.size > 0 ? this.v[this.startSlot() + this.size - 1] : NaN;
  }

  /**
   * Binary search.
   * @param t - a timestamp.
   * @returns the first index whose time is >= `t` (`length` if none).
   */
  lowerBound(t: number): number {
    return this.search(t, false);
  }

  /**
   * Binary search.
   * @param t - a timestamp.
   * @returns the first index whose time is > `t` (`length` if none).
   */
  upperBound(t: number): number {
    return this.search(t, true);
  }

  /**
   * Zero-copy views of the samples with `from <= time <= to`.
   * @param from - inclusive lower time bound.
   * @param to - inclusive upper time bound.
   * @returns views into the ring's buffer (empty when nothing matches).
   * @example
   * ```ts
   * const last5s = ring.window(ring.lastTime - 5000, ring.lastTime);
   * ```
   */
  window(from: number, to: number): { times: Float64Array; values: Float64Array } {
    const s = this.startSlot();
    const i0 = this.lowerBound(from);
    const i1 = Math.max(i0, this.upperBound(to));
    return { times: this.t.subarray(s + i0, s + i1), values: this.v.subarray(s + i0, s + i1) };
  }

  /**
   * Merge older samples (a backfill from history) into place by time. O(length + input).
   *
   * - `t` must be ascending; a sample not after the previous accepted input sample, or with a
   *   non-finite time, is skipped.
   * - A timestamp already present in the ring is skipped: no duplicates.
   * - When the merged series exceeds the capacity, the oldest samples are discarded and
   *   counted in {@link RingBuffer.dropped}, exactly like overflow on push.
   *
   * Allocates two scratch arrays per call; backfills are rare (after a gap), appends are not.
   *
   * @param t - ascending timestamps.
   * @param v - values.
   * @returns how many input samples are now in the ring.
   */
  insertSorted(t: ArrayLike<number>, v: ArrayLike<number>): number {
    const n = Math.min(t.length, v.length);
    if (n === 0) return 0;
    const cap = this.capacity;
    const size = this.size;
    const s = this.startSlot();
    const rt = this.t;
    const rv = this.v;

    // 1. Keep ascending, finite input times that are not already in the ring (two pointers).
    const inT = new Float64Array(n);
    const inV = new Float64Array(n);
    let m = 0;
    let prev = -Infinity;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      if (!(ti > prev) || ti === Infinity) continue;
      prev = ti;
      while (e < size && rt[s + e] < ti) e++;
      if (e < size && rt[s + e] === ti) continue;
      inT[m] = ti;
      inV[m] = v[i];
      m++;
    }
    if (m === 0) return 0;

    // 2. Merge from the newest end so that only the newest `capacity` samples are produced.
    const total = size + m;
    const keep = total < cap ? total : cap;
    const outT = new Float64Array(keep);
    const outV = new Float64Array(keep);
    let i = size - 1;
    let j = m - 1;
    let k = keep - 1;
    let taken = 0;
    while (k >= 0) {
      if (j < 0 || (i >= 0 && rt[s + i] > inT[j])) {
        outT[k] = rt[s + i];
        outV[k] = rv[s + i];
        i--;
      } else {
        outT[k] = inT[j];
        outV[k] = inV[j];
        j--;
        taken++;
      }
      k--;
    }

    // 3. Lay the result out from slot 0, mirrored.
    rt.set(outT, 0);
    rt.set(outT, cap);
    rv.set(outV, 0);
    rv.set(outV, cap);
    this.overflowed += total - keep;
    this.size = keep;
    this.head = keep === cap ? 0 : keep;
    this.timesView = null;
    this.valuesView = null;
    return taken;
  }

  /** Remove every sample. Keeps the memory and the lifetime {@link RingBuffer.dropped} count. */
  clear(): void {
    this.size = 0;
    this.head = 0;
    this.timesView = null;
    this.valuesView = null;
  }

  /**
   * The binary search behind both bounds: the first index whose time is >= `t`, or > `t` with
   * `skipEqual` (`length` if none). Times are ascending, so that index splits the ring in two.
   */
  private search(t: number, skipEqual: boolean): number {
    const tt = this.t;
    const s = this.startSlot();
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const time = tt[s + mid];
      if (time < t || (skipEqual && time === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Slot of the oldest sample: the contiguous run [start, start + size) is the series. */
  private startSlot(): number {
    const s = this.head - this.size;
    return s < 0 ? s + this.capacity : s;
  }
}
