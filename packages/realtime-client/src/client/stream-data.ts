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
 * The parts are private: each transport session gets the slice it drives and nothing else,
 * a stream sink (the pipeline's cursor operations, ./websocket-session.ts and
 * ./polling-session.ts say which) and a subscription sink (what to ask for, where a catalogue
 * goes), and the manager gets methods (rings, events, listeners, history loads). Who owns
 * what stays visible: only this class touches the store, the notifier and the history parts.
 *
 * The subscription lives here too: which metrics are backfilled, prefilled and reported as
 * unknown all depend on it. When data flows is not this side's business: the manager
 * (./manager.ts) and its transport sessions decide that.
 *
 * @module
 */

import { EventLog } from "../store/event-log.js";
import { HistoryPrefiller } from "../history/prefill.js";
import { GapBackfiller } from "../history/gap-backfill.js";
import { HistoryClient } from "../history/history-client.js";
import { Notifier } from "../notify/notifier.js";
import { serverRequestOptions, type ResolvedOptions } from "./options.js";
import type { MetricInfo, StreamEvent } from "@pulseboard/protocol";
import type { RingBuffer } from "../store/ring-buffer.js";
import { SeriesStore } from "../store/series-store.js";
import { StreamPipeline } from "../stream/pipeline.js";
import type { PollStreamSink, PollSubscriptionSink } from "./polling-session.js";
import type { StatsCounters, StreamGauges } from "./stats.js";
import type { DataEvent, GapEvent, LoadHistoryResult, ManagerErrorCode, StreamEventsEvent } from "./types.js";
import type { SocketStreamSink } from "./websocket-session.js";

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
 * const socket = new WebSocketSession({ ...context, stream: data.socketSink, subscription: data });
 * data.installCatalogue(hello.metrics);
 * data.socketSink.offer(frame);      // rings fill, `data` listeners run on the next frame
 * ```
 */
export class StreamData implements PollSubscriptionSink {
  /** What the WebSocket session drives: the pipeline, seen through its slice. */
  readonly socketSink: SocketStreamSink;
  /** What the polling session drives: the same pipeline, seen through its slice. */
  readonly pollSink: PollStreamSink;
  private readonly store: SeriesStore;
  private readonly eventLog: EventLog;
  private readonly notifier: Notifier;
  private readonly pipeline: StreamPipeline;
  private readonly backfiller: GapBackfiller;
  private readonly prefiller: HistoryPrefiller;
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
    const history = new HistoryClient(serverRequestOptions(o));
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
        if (!Number.isNaN(this.pipeline.newestSampleTime)) this.prefiller.streamStarted();
        this.startPrefill();
      },
      onUnknownMetrics: (ids) => this.reportUnknownMetrics(ids),
    });
    // Both sessions feed the one pipeline (that is what makes switching transports safe);
    // each sees only the operations it needs.
    this.socketSink = this.pipeline;
    this.pollSink = this.pipeline;
  }

  // --- The subscription sink (both sessions) -----------------------------------------------

  /** The metrics the stream should carry: ids, or `"*"` for all. */
  get subscribed(): readonly string[] | "*" {
    return this.metrics;
  }

  /** @param metrics - a catalogue from a hello or `GET /api/metrics`; it replaces the previous one. */
  installCatalogue(metrics: readonly MetricInfo[]): void {
    this.store.setCatalogue(metrics);
    this.unknownReported.clear();
    this.prefiller.catalogueInstalled();
  }

  /** @returns the installed catalogue (empty before the first). */
  catalogue(): readonly MetricInfo[] {
    return this.store.catalogue();
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

  // --- What the manager asks -------------------------------------------------------------------

  /** @param metrics - the new subscription (already validated and frozen). */
  subscribe(metrics: readonly string[] | "*"): void {
    this.metrics = metrics;
    this.unknownReported.clear();
  }

  /**
   * @param listener - a `data` listener, called at most once per frame (or per `intervalMs`).
   * @param intervalMs - see `NotifyOptions.intervalMs`.
   * @returns a function that removes it.
   */
  onData(listener: (event: DataEvent) => void, intervalMs: number): () => void {
    return this.notifier.addData(listener, intervalMs);
  }

  /**
   * @param listener - an `events` listener, batched like `data`.
   * @param intervalMs - see `NotifyOptions.intervalMs`.
   * @returns a function that removes it.
   */
  onEvents(listener: (event: StreamEventsEvent) => void, intervalMs: number): () => void {
    return this.notifier.addEvents(listener, intervalMs);
  }

  /** The manager connects: notifications start running on frames. */
  startNotifying(): void {
    this.notifier.start();
  }

  /** The manager closed or failed: pending notifications are delivered, then frames stop. */
  stopNotifying(): void {
    this.notifier.stop();
  }

  /**
   * @param windowMs - how far back (validated by the caller).
   * @param metrics - ids to load; the subscribed ones when undefined.
   * @returns what was loaded; see `WebSocketManager.loadHistory`.
   */
  loadHistory(windowMs: number, metrics: readonly string[] | undefined): Promise<LoadHistoryResult> {
    return this.prefiller.load(windowMs, metrics);
  }

  /** Abort every history request: gap backfills (no `gap` event follows) and loads. */
  cancelHistory(): void {
    this.backfiller.cancel();
    this.prefiller.cancel();
  }

  /**
   * @param id - metric id.
   * @returns its ring, undefined before the catalogue or for an unknown id.
   */
  series(id: string): RingBuffer | undefined {
    return this.store.series(id);
  }

  /**
   * @param id - metric id.
   * @returns the time ranges history could not recover.
   */
  holes(id: string): ReadonlyArray<{ from: number; to: number }> {
    return this.store.holes(id);
  }

  /** @returns the stream events held, oldest first (a copy). */
  events(): StreamEvent[] {
    return this.eventLog.toArray();
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
