/**
 * The manager's data side: what it holds for the application, and everything that fills it,
 * whatever the transport.
 *
 * ```
 * transport sessions ──▶ StreamPipeline ──▶ SeriesStore (rings, catalogue) / EventLog ──▶ Notifier ──▶ `data`, `events`
 *                             │ gap, epoch change, lost frame        ▲
 *                             └──▶ GapBackfiller ────────────────────┤ history
 *                    loadHistory(), prefillMs ──▶ HistoryPrefiller ──┘
 * ```
 *
 * The subscription lives here too: which metrics are backfilled, prefilled and reported as
 * unknown all depend on it. When data flows is not this side's business: the manager
 * (./manager.ts) and its transport sessions decide that, and feed {@link StreamData.pipeline}.
 *
 * @module
 */

import { EventLog } from "../store/event-log.js";
import { HistoryPrefiller } from "../history/prefill.js";
import { GapBackfiller } from "../history/gap-backfill.js";
import { HistoryClient } from "../history/history-client.js";
import { Notifier } from "../notify/notifier.js";
import type { ResolvedOptions } from "./options.js";
import type { MetricInfo } from "@pulseboard/protocol";
import { SeriesStore } from "../store/series-store.js";
import type { StatsCounters, StreamGauges } from "./stats.js";
import { StreamPipeline } from "../stream/pipeline.js";
import type { GapEvent, ManagerErrorCode } from "./types.js";

/** History requests in flight at most during a backfill (and during each `loadHistory()`). */
const HISTORY_CONCURRENCY = 4;

/** Options of {@link StreamData}. */
export interface StreamDataOptions {
  /** The manager's options, defaults applied. */
  config: ResolvedOptions;
  counters: StatsCounters;
  /** Estimated server clock minus ours (null before the first pong): where "now" is for the server. */
  clockOffsetMs: () => number | null;
  /** A gap has settled: the manager's `gap` event. */
  onGap: (event: GapEvent) => void;
  /** A non-fatal problem: the manager's `error` event. */
  reportError: (code: ManagerErrorCode, message: string) => void;
}

/**
 * The rings, the event log and the parts that fill them, wired together.
 *
 * @example
 * ```ts
 * const data = new StreamData({ config, counters, clockOffsetMs, onGap, reportError });
 * data.installCatalogue(hello.metrics);
 * data.pipeline.offer(frame);        // rings fill, `data` listeners run on the next frame
 * ```
 */
export class StreamData {
  readonly store: SeriesStore;
  readonly eventLog: EventLog;
  readonly notifier: Notifier;
  readonly pipeline: StreamPipeline;
  readonly backfiller: GapBackfiller;
  readonly prefiller: HistoryPrefiller;
  private readonly options: StreamDataOptions;
  private metrics: readonly string[] | "*";
  /** Unknown ids already reported since the last catalogue or subscription: each is reported once. */
  private readonly unknownReported = new Set<string>();
  /** `history.prefillMs` is set and has not run yet. */
  private prefillDue: boolean;

  /** @param options - see {@link StreamDataOptions}. */
  constructor(options: StreamDataOptions) {
    const { config: o, counters, reportError } = options;
    this.options = options;
    this.metrics = o.metrics;
    this.prefillDue = o.history.prefillMs > 0;
    this.store = new SeriesStore({ capacity: o.bufferCapacity, capacityFor: o.capacityFor });
    this.eventLog = new EventLog(o.eventCapacity);
    this.notifier = new Notifier({ store: this.store, log: this.eventLog, clock: o.clock, scheduler: o.frameScheduler });
    // One client for both uses of history, so both obey the same limits.
    const history = new HistoryClient({ httpUrl: o.httpUrl, source: o.source, token: o.token, fetch: o.fetch, clock: o.clock, maxBytes: o.maxFrameBytes, timeoutMs: o.connectTimeoutMs });
    this.backfiller = new GapBackfiller({
      store: this.store,
      history: o.history.backfill ? history : null,
      concurrency: HISTORY_CONCURRENCY,
      onSettled: (event) => {
        if (event.backfilled) counters.gapsBackfilled++;
        counters.pointsBackfilled += event.points;
        counters.holesMarked += event.holes.length;
        options.onGap(event);
      },
      onFailure: (message) => reportError("history_failed", message),
      onChanged: () => this.notifier.markDirty(),
    });
    this.prefiller = new HistoryPrefiller({
      store: this.store,
      history,
      concurrency: HISTORY_CONCURRENCY,
      subscribed: () => (this.metrics === "*" ? this.store.ids() : this.metrics.filter((id) => this.store.series(id) !== undefined)),
      streamEdge: () => {
        const newest = this.pipeline.newestSampleTime;
        // Before any data, the server's "now": our clock plus the measured offset.
        return Number.isNaN(newest) ? o.clock.now() + (options.clockOffsetMs() ?? 0) : newest + 1;
      },
      onMerged: (points) => {
        counters.pointsPrefilled += points;
        this.notifier.markDirty();
      },
      onFailure: (message) => reportError("history_failed", message),
    });
    this.pipeline = new StreamPipeline({
      store: this.store,
      eventLog: this.eventLog,
      backfiller: this.backfiller,
      counters,
      clock: o.clock,
      startFrom: o.startFrom,
      isSubscribed: (id) => this.metrics === "*" || this.metrics.includes(id),
      onChanged: () => {
        this.notifier.markDirty();
        this.startPrefill();
      },
      onUnknownMetrics: (ids) => this.reportUnknownMetrics(ids),
    });
  }

  /** The metrics the stream should carry: ids, or `"*"` for all. */
  get subscription(): readonly string[] | "*" {
    return this.metrics;
  }

  /** @param metrics - the new subscription (already validated and frozen). */
  subscribe(metrics: readonly string[] | "*"): void {
    this.metrics = metrics;
    this.unknownReported.clear();
  }

  /** @param metrics - a catalogue from a hello or `GET /api/metrics`; it replaces the previous one. */
  installCatalogue(metrics: readonly MetricInfo[]): void {
    this.store.setCatalogue(metrics);
    this.unknownReported.clear();
    this.prefiller.catalogueInstalled();
  }

  /**
   * Report each metric id the catalogue does not have, once.
   * @param ids - the unknown ids.
   * @param what - the rest of the sentence after the id.
   */
  reportUnknownMetrics(ids: readonly string[], what = "is not in the catalogue; its data was ignored"): void {
    for (const id of ids) {
      if (this.unknownReported.has(id)) continue;
      this.unknownReported.add(id);
      this.options.reportError("unknown_metric", `metric ${JSON.stringify(id.slice(0, 80))} ${what}`);
    }
  }

  /** @returns the data side's part of `stats()`. */
  gauges(): StreamGauges {
    const pipeline = this.pipeline;
    return {
      store: this.store.totals,
      newestSampleTime: pipeline.newestSampleTime,
      duplicates: pipeline.duplicates,
      eventsDropped: this.eventLog.dropped,
      notifications: this.notifier.flushCount,
      epoch: pipeline.epoch,
      seq: pipeline.seq,
    };
  }

  /** `history.prefillMs`: once, as soon as the stream delivered samples, so history ends where the stream begins. */
  private startPrefill(): void {
    if (!this.prefillDue || Number.isNaN(this.pipeline.newestSampleTime)) return;
    this.prefillDue = false;
    // What `loadHistory(prefillMs)` does; the option was validated as a finite number > 0.
    void this.prefiller.load(this.options.config.history.prefillMs, undefined);
  }
}
