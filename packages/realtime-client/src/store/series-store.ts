/**
 * One ring buffer per metric, fed from validated data frames.
 *
 * The store is where per-point hygiene happens: the protocol layer accepts a frame as a
 * whole, and the store drops, one point at a time, what cannot be plotted (non-finite
 * values) or would break time order, counting every drop. Nothing here allocates per point.
 *
 * @module
 */
import type { DataFrame, MetricInfo } from "@pulseboard/protocol";
import { MAX_RING_CAPACITY, RingBuffer } from "./ring-buffer.js";

/**
 * What one {@link SeriesStore.ingest} call did.
 *
 * The store returns the SAME object from every call (and the same `unknownIds` array),
 * overwritten each time, so ingesting allocates nothing. Read it right away or copy what you
 * need before the next ingest.
 */
export interface IngestResult {
  /** Points appended to rings. */
  points: number;
  /** Points dropped because the value (or time) was not a finite number: null, "NaN", a string... */
  droppedNonFinite: number;
  /** Points dropped because their time was not after the newest time of their series. */
  droppedOutOfOrder: number;
  /** Series ids in the frame that are not in the catalogue (their points are ignored). */
  unknownIds: string[];
}

/** Lifetime counters of a {@link SeriesStore}. */
export interface StoreTotals {
  /** Points appended to rings (live and backfill). */
  points: number;
  /** Points that fell out of a ring because it was full (the oldest go first). */
  dropped: number;
  /** Points dropped for a non-finite value or time. */
  nonFinite: number;
  /** Points dropped for arriving out of time order. */
  outOfOrder: number;
  /** Points dropped because their series id was not in the catalogue. */
  unknown: number;
}

/** A time range with no data that could not be recovered (never interpolated). */
export interface Hole {
  from: number;
  to: number;
}

/** Options of {@link SeriesStore}. */
export interface SeriesStoreOptions {
  /**
   * Ring capacity (samples) of each series.
   * @default 4096
   */
  capacity?: number;
  /**
   * Per-metric capacity, for example to keep 10 minutes whatever the metric's rate:
   * `(info) => Math.ceil(info.rateHz * 600)`. Falls back to `capacity` when it returns
   * anything but an integer in [1, MAX_RING_CAPACITY].
   */
  capacityFor?: (info: MetricInfo) => number;
  /**
   * Most holes remembered per series; the oldest are forgotten first.
   * @default 64
   */
  maxHoles?: number;
}

/**
 * Metric catalogue plus one {@link RingBuffer} per metric.
 *
 * @example
 * ```ts
 * const store = new SeriesStore({ capacity: 10_000 });
 * store.setCatalogue(hello.metrics);
 * const result = store.ingest(dataFrame);          // counts, reused object
 * for (const id of store.takeChanged()) redraw(id, store.series(id)!);
 * ```
 */
export class SeriesStore {
  /** Lifetime counters; read-only for users, updated in place by the store. */
  readonly totals: Readonly<StoreTotals> = { points: 0, dropped: 0, nonFinite: 0, outOfOrder: 0, unknown: 0 };

  private readonly defaultCapacity: number;
  private readonly capacityFor: ((info: MetricInfo) => number) | undefined;
  private readonly maxHoles: number;
  private metrics: readonly MetricInfo[] = [];
  private readonly infos = new Map<string, MetricInfo>();
  private readonly rings = new Map<string, RingBuffer>();
  private readonly holeLists = new Map<string, Hole[]>();
  // Double-buffered change sets: takeChanged hands one out and starts filling the other, so
  // the notification path allocates nothing.
  private changed = new Set<string>();
  private spare = new Set<string>();
  private readonly result: IngestResult = { points: 0, droppedNonFinite: 0, droppedOutOfOrder: 0, unknownIds: [] };

  /**
   * @param options - see {@link SeriesStoreOptions}.
   * @throws RangeError for an invalid default capacity.
   */
  constructor(options: SeriesStoreOptions = {}) {
    this.defaultCapacity = options.capacity ?? 4096;
    // Fail at construction rather than when the catalogue arrives over the network.
    new RingBuffer(this.defaultCapacity);
    this.capacityFor = options.capacityFor;
    this.maxHoles = Math.max(1, options.maxHoles ?? 64);
  }

  /**
   * Install the metric catalogue (from `hello` or `/api/metrics`). Rings of metrics that stay
   * in the catalogue keep their data (a reconnect does not blank the charts); new metrics get
   * an empty ring; metrics no longer listed are removed with their data.
   *
   * @param metrics - the catalogue; copied.
   */
  setCatalogue(metrics: readonly MetricInfo[]): void {
    this.metrics = Object.freeze(metrics.slice());
    const ids = new Set<string>();
    for (const info of metrics) {
      ids.add(info.id);
      this.infos.set(info.id, info);
      if (!this.rings.has(info.id)) this.rings.set(info.id, new RingBuffer(this.capacityOf(info)));
    }
    for (const id of [...this.rings.keys()]) {
      if (ids.has(id)) continue;
      this.rings.delete(id);
      this.infos.delete(id);
      this.holeLists.delete(id);
      this.changed.delete(id);
    }
  }

  /** @returns the current catalogue (frozen). */
  catalogue(): readonly MetricInfo[] {
    return this.metrics;
  }

  /**
   * @param id - a metric id.
   * @returns its catalogue entry, or undefined when unknown.
   */
  info(id: string): MetricInfo | undefined {
    return this.infos.get(id);
  }

  /**
   * @param id - a metric id.
   * @returns its ring (created when the catalogue arrived), or undefined when unknown.
   */
  series(id: string): RingBuffer | undefined {
    return this.rings.get(id);
  }

  /** @returns the ids that have a ring, in catalogue order. */
  ids(): string[] {
    return this.metrics.map((m) => m.id).filter((id) => this.rings.has(id));
  }

  /**
   * Append a validated data frame's columns to the rings.
   *
   * Per point, in this order: a value or time that is not a finite number is dropped
   * (`droppedNonFinite`); a time not strictly after the series' newest time is dropped
   * (`droppedOutOfOrder`, which also removes duplicates of an overlapping replay). Series ids
   * not in the catalogue are skipped whole and listed in `unknownIds`.
   *
   * @param frame - a data frame that passed {@link parseServerFrame}.
   * @returns counts for this frame: the same reused object every call (see {@link IngestResult}).
   */
  ingest(frame: DataFrame): IngestResult {
    const result = this.result;
    result.unknownIds.length = 0;
    let points = 0;
    let nonFinite = 0;
    let outOfOrder = 0;
    let unknown = 0;
    let dropped = 0;
    const series = frame.series;
    // Object.keys (own keys only) rather than for-in: immune to a polluted Object.prototype.
    const ids = Object.keys(series);
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k];
      const columns = series[id];
      const ring = this.rings.get(id);
      if (ring === undefined) {
        result.unknownIds.push(id);
        unknown += columns.t.length;
        continue;
      }
      const t = columns.t;
      // `v` may hold null or strings (see protocol.ts); treat it as untyped here.
      const v = columns.v as ArrayLike<unknown>;
      const n = t.length;
      let last = ring.length > 0 ? ring.lastTime : -Infinity;
      const droppedBefore = ring.dropped;
      let appended = 0;
      for (let i = 0; i < n; i++) {
        const ti = t[i];
        const vi = v[i];
        if (typeof vi !== "number" || !Number.isFinite(vi) || !Number.isFinite(ti)) {
          nonFinite++;
          continue;
        }
        if (!(ti > last)) {
          outOfOrder++;
          continue;
        }
        ring.push(ti, vi);
        last = ti;
        appended++;
      }
      if (appended > 0) {
        points += appended;
        dropped += ring.dropped - droppedBefore;
        this.changed.add(id);
      }
    }
    result.points = points;
    result.droppedNonFinite = nonFinite;
    result.droppedOutOfOrder = outOfOrder;
    const totals = this.totals as StoreTotals;
    totals.points += points;
    totals.nonFinite += nonFinite;
    totals.outOfOrder += outOfOrder;
    totals.unknown += unknown;
    totals.dropped += dropped;
    return result;
  }

  /**
   * Ids whose ring changed since the previous call, for per-series notification after a
   * frame flush. Returns one of two internal sets, alternately: the set handed out stays
   * valid until the NEXT call (which clears and refills it), so iterate it right away.
   *
   * @returns the ids changed since the last call.
   * @example
   * ```ts
   * batcher.subscribe(() => { for (const id of store.takeChanged()) charts.get(id)?.redraw(); });
   * ```
   */
  takeChanged(): ReadonlySet<string> {
    const out = this.changed;
    this.spare.clear();
    this.changed = this.spare;
    this.spare = out;
    return out;
  }

  /**
   * Merge older samples (from `/api/history`) into a series by time. Points with a
   * non-finite value or time are dropped and counted; timestamps already present are
   * skipped; when the ring is full the oldest samples go, counted in `totals.dropped`.
   *
   * @param id - metric id (unknown ids are ignored and return 0).
   * @param t - ascending timestamps.
   * @param v - values (entries that are not finite numbers are dropped).
   * @returns how many samples were added.
   */
  backfill(id: string, t: ArrayLike<number>, v: ArrayLike<unknown>): number {
    const ring = this.rings.get(id);
    const totals = this.totals as StoreTotals;
    const n = Math.min(t.length, v.length);
    if (ring === undefined) {
      totals.unknown += n;
      return 0;
    }
    const ct = new Float64Array(n);
    const cv = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      const vi = v[i];
      if (typeof vi !== "number" || !Number.isFinite(vi) || !Number.isFinite(ti)) {
        totals.nonFinite++;
        continue;
      }
      ct[m] = ti;
      cv[m] = vi;
      m++;
    }
    const droppedBefore = ring.dropped;
    const added = ring.insertSorted(ct.subarray(0, m), cv.subarray(0, m));
    totals.dropped += ring.dropped - droppedBefore;
    totals.points += added;
    if (added > 0) this.changed.add(id);
    return added;
  }

  /**
   * Record a time range that will stay empty (the server could not replay it and history
   * could not fill it), so a chart can show a break instead of a misleading straight line.
   * Overlapping holes merge; at most `maxHoles` are kept per series.
   *
   * @param id - metric id (unknown ids are ignored).
   * @param from - first missing time (inclusive).
   * @param to - last missing time (inclusive).
   */
  markHole(id: string, from: number, to: number): void {
    if (!this.rings.has(id) || !(from <= to)) return;
    let list = this.holeLists.get(id);
    if (list === undefined) {
      list = [];
      this.holeLists.set(id, list);
    }
    // Lists are short (maxHoles), so sort and merge in place rather than anything clever.
    list.push({ from, to });
    list.sort((a, b) => a.from - b.from);
    let w = 0;
    for (let r = 1; r < list.length; r++) {
      if (list[r].from <= list[w].to) list[w].to = Math.max(list[w].to, list[r].to);
      else list[++w] = list[r];
    }
    list.length = w + 1;
    if (list.length > this.maxHoles) list.splice(0, list.length - this.maxHoles);
    this.changed.add(id);
  }

  /**
   * Holes of a series that still overlap its ring (older ones are forgotten as the ring
   * moves on). The returned array is internal: do not modify it.
   *
   * @param id - metric id.
   * @returns holes in time order (empty for none or unknown ids).
   */
  holes(id: string): ReadonlyArray<Hole> {
    const list = this.holeLists.get(id);
    if (list === undefined) return EMPTY_HOLES;
    const first = this.rings.get(id)?.firstTime ?? NaN;
    let stale = 0;
    while (stale < list.length && list[stale].to < first) stale++;
    if (stale > 0) list.splice(0, stale);
    return list;
  }

  /** Empty every ring and forget holes; the catalogue and lifetime totals stay. */
  clear(): void {
    for (const ring of this.rings.values()) ring.clear();
    this.holeLists.clear();
    this.changed.clear();
  }

  private capacityOf(info: MetricInfo): number {
    const wanted = this.capacityFor?.(info);
    // The catalogue comes from the network: a bad capacity must not throw here.
    return wanted !== undefined && Number.isInteger(wanted) && wanted >= 1 && wanted <= MAX_RING_CAPACITY
      ? wanted
      : this.defaultCapacity;
  }
}

const EMPTY_HOLES: ReadonlyArray<Hole> = Object.freeze([]);
