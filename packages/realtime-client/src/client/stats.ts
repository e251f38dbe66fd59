/**
 * The counters behind `manager.stats()`.
 *
 * Everything here is a plain number incremented on the hot path; the snapshot is assembled
 * only when someone asks. Rates use a sliding window of clock-keyed buckets (1 s buckets over
 * 5 s by default): reading a rate costs a loop over five numbers, adding to it costs one
 * comparison, and a tab whose timers are throttled still reports correct rates because the
 * buckets are keyed by the clock, not by timer ticks.
 *
 * @module
 */

import type { StoreTotals } from "../store/series-store.js";
import type { TransportKind } from "../transports/types.js";
import type { ConnectionState, ManagerStats, ParseErrorCounts } from "./types.js";

/**
 * Events per second over a sliding window of fixed buckets.
 *
 * @example
 * ```ts
 * const meter = new RateMeter();
 * meter.add(10, 1000);
 * meter.add(10, 1500);
 * meter.perSecond(2000); // 20 (20 events over the 1 s seen so far)
 * ```
 */
export class RateMeter {
  private readonly bucketMs: number;
  private readonly counts: Float64Array;
  /** Start time of the bucket each slot currently holds (NaN: empty). */
  private readonly starts: Float64Array;
  /** When counting started; rates over a young meter divide by the time actually observed. */
  private since = Number.NaN;

  /**
   * @param bucketMs - width of one bucket.
   * @param buckets - number of buckets; the window is `bucketMs * buckets`.
   * @default bucketMs 1000
   * @default buckets 5
   */
  constructor(bucketMs = 1000, buckets = 5) {
    this.bucketMs = bucketMs;
    this.counts = new Float64Array(buckets);
    this.starts = new Float64Array(buckets).fill(Number.NaN);
  }

  /**
   * Count `n` events at time `now`.
   * @param n - how many.
   * @param now - clock time in ms.
   */
  add(n: number, now: number): void {
    if (Number.isNaN(this.since)) this.since = now;
    const start = Math.floor(now / this.bucketMs) * this.bucketMs;
    const slot = Math.floor(start / this.bucketMs) % this.counts.length;
    if (this.starts[slot] !== start) {
      this.starts[slot] = start;
      this.counts[slot] = 0;
    }
    this.counts[slot] += n;
  }

  /**
   * Average rate over the window ending at `now`.
   * @param now - clock time in ms.
   * @returns events per second (0 before anything was counted).
   */
  perSecond(now: number): number {
    if (Number.isNaN(this.since)) return 0;
    const windowMs = this.bucketMs * this.counts.length;
    const oldest = Math.floor(now / this.bucketMs) * this.bucketMs - windowMs + this.bucketMs;
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const start = this.starts[i];
      if (start >= oldest && start <= now) sum += this.counts[i];
    }
    // The buckets summed cover [oldest, now]; a young meter only observed [since, now]. At least
    // one bucket width, so the first few events do not read as an enormous rate.
    const observed = Math.max(this.bucketMs, now - Math.max(oldest, this.since));
    return (sum * 1000) / observed;
  }

  /** Forget everything. */
  reset(): void {
    this.counts.fill(0);
    this.starts.fill(Number.NaN);
    this.since = Number.NaN;
  }
}

/** The counters `stats()` reports under their own name; their meaning is documented on {@link ManagerStats}. */
type ReportedAsIs =
  | "pointsLive"
  | "pointsReplayed"
  | "messages"
  | "reconnects"
  | "fallbacks"
  | "gapsReported"
  | "gapsBackfilled"
  | "holesRepaired"
  | "resubscribes"
  | "pointsBackfilled"
  | "pointsPrefilled"
  | "holesMarked"
  | "staleCallbacks"
  | "serverErrors";

/** The mutable counters the manager increments. Read through `manager.stats()`. */
export interface StatsCounters extends Pick<ManagerStats, ReportedAsIs> {
  /** `stats().bytesReceived`. */
  bytes: number;
  /** `stats().framesApplied`. */
  streamFrames: number;
  /** `stats().eventsReceived`. */
  events: number;
  parseErrors: ParseErrorCounts;
  readonly messageRate: RateMeter;
  readonly pointRate: RateMeter;
}

/**
 * Fresh counters, all zero.
 * @returns a new {@link StatsCounters}.
 */
export function createStatsCounters(): StatsCounters {
  return {
    messages: 0,
    bytes: 0,
    streamFrames: 0,
    pointsLive: 0,
    pointsReplayed: 0,
    events: 0,
    reconnects: 0,
    fallbacks: 0,
    gapsReported: 0,
    gapsBackfilled: 0,
    holesRepaired: 0,
    resubscribes: 0,
    pointsBackfilled: 0,
    pointsPrefilled: 0,
    holesMarked: 0,
    staleCallbacks: 0,
    serverErrors: 0,
    parseErrors: { too_large: 0, bad_json: 0, bad_shape: 0, unknown_type: 0, bad_value: 0, binary: 0 },
    messageRate: new RateMeter(),
    pointRate: new RateMeter(),
  };
}

/**
 * Sum of all parse error counts.
 * @param counts - per-code counts.
 * @returns the total.
 */
export function totalParseErrors(counts: Readonly<ParseErrorCounts>): number {
  let total = 0;
  for (const key of Object.keys(counts) as (keyof ParseErrorCounts)[]) total += counts[key];
  return total;
}

/** The data side's part of what {@link statsSnapshot} reads (see ./stream-data.ts). */
export interface StreamGauges {
  store: Readonly<StoreTotals>;
  /** Newest sample time applied, NaN before any. */
  newestSampleTime: number;
  duplicates: number;
  eventsDropped: number;
  notifications: number;
  epoch: string | null;
  seq: number;
}

/** What {@link statsSnapshot} reads. */
export interface StatsSources extends StreamGauges {
  now: number;
  state: ConnectionState;
  transport: TransportKind;
  counters: StatsCounters;
  rttMs: number | null;
  clockOffsetMs: number | null;
  /** Clock time of the attempt a backoff wait is in progress for, null when none is. */
  nextRetryAt: number | null;
  /** Clock time of the last message on the transport carrying the stream, null before any. */
  lastMessageAt: number | null;
}

/**
 * Assemble the public statistics from the counters.
 * @param s - the counters and gauges.
 * @returns a fresh {@link ManagerStats}.
 */
export function statsSnapshot(s: StatsSources): ManagerStats {
  const c = s.counters;
  const totals = s.store;
  const dropped = { overflow: totals.dropped, nonFinite: totals.nonFinite, outOfOrder: totals.outOfOrder, unknownMetric: totals.unknown };
  return {
    state: s.state,
    transport: s.transport,
    rttMs: s.rttMs,
    clockOffsetMs: s.clockOffsetMs,
    messagesPerSecond: c.messageRate.perSecond(s.now),
    pointsPerSecond: c.pointRate.perSecond(s.now),
    messages: c.messages,
    bytesReceived: c.bytes,
    framesApplied: c.streamFrames,
    pointsReceived: totals.points,
    pointsLive: c.pointsLive,
    pointsReplayed: c.pointsReplayed,
    eventsReceived: c.events,
    reconnects: c.reconnects,
    fallbacks: c.fallbacks,
    gapsReported: c.gapsReported,
    gapsBackfilled: c.gapsBackfilled,
    holesRepaired: c.holesRepaired,
    resubscribes: c.resubscribes,
    pointsBackfilled: c.pointsBackfilled,
    pointsPrefilled: c.pointsPrefilled,
    holesMarked: c.holesMarked,
    duplicatesDropped: s.duplicates,
    pointsDropped: dropped.overflow + dropped.nonFinite + dropped.outOfOrder + dropped.unknownMetric,
    pointsDroppedBy: dropped,
    eventsDropped: s.eventsDropped,
    parseErrors: { ...c.parseErrors },
    parseErrorsTotal: totalParseErrors(c.parseErrors),
    serverErrors: c.serverErrors,
    // Server "now" (our clock plus the measured offset) minus the newest sample we hold.
    lagMs: Number.isNaN(s.newestSampleTime) ? null : s.now + (s.clockOffsetMs ?? 0) - s.newestSampleTime,
    notifications: s.notifications,
    staleCallbacks: c.staleCallbacks,
    epoch: s.epoch,
    seq: s.seq,
    nextRetryAt: s.nextRetryAt,
    lastMessageAt: s.lastMessageAt,
  };
}
