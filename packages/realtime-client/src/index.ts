/**
 * `@pulseboard/realtime-client`: a framework-agnostic client that keeps a high-frequency
 * metrics stream flowing into bounded typed-array ring buffers, whatever the network does.
 *
 * This file is the public API and nothing else. Every export is documented where it is
 * declared; the package README is the user manual.
 *
 * @example
 * ```ts
 * import { WebSocketManager } from "@pulseboard/realtime-client";
 *
 * const manager = new WebSocketManager({ url: "ws://127.0.0.1:8787/ws" });
 * manager.on("data", ({ changed }) => {
 *   for (const id of changed) console.log(id, manager.series(id)?.lastValue);
 * });
 * manager.connect();
 * ```
 *
 * @packageDocumentation
 */

// --- The connection manager ---------------------------------------------------------------
export { WebSocketManager } from "./client/manager.js";
export type {
  ConnectionState,
  DataEvent,
  FallbackOptions,
  GapEvent,
  GapReason,
  HeartbeatEvent,
  HeartbeatOptions,
  HelloEvent,
  HistoryOptions,
  HoleRepairOptions,
  LoadHistoryOptions,
  LoadHistoryResult,
  ManagerErrorCode,
  ManagerErrorEvent,
  ManagerEventMap,
  ManagerStats,
  NotifyOptions,
  ParseErrorCounts,
  RetryEvent,
  StateChangeEvent,
  StreamEventsEvent,
  TransportChangeEvent,
  TransportKind,
  WebSocketManagerOptions,
} from "./client/types.js";
export { MANAGER_DEFAULTS } from "./client/defaults.js";
export type { SnapshotFailureCode, SnapshotOptions, SnapshotResult } from "./client/snapshot.js";

// --- Platform hooks (inject in Node, workers and tests) -----------------------------------
export { makeBrowserEnvironment, noopEnvironment } from "./scheduling/environment.js";
export type { EnvironmentHooks, EnvironmentSignal } from "./scheduling/environment.js";
export type {
  FetchLike,
  FetchResponseLike,
  SocketCloseEventLike,
  SocketMessageEventLike,
  WebSocketConstructor,
  WebSocketLike,
} from "./transports/types.js";
export { systemClock } from "./scheduling/clock.js";
export type { Clock } from "./scheduling/clock.js";

// --- Data model: ring buffers and the store --------------------------------------------------
export { RingBuffer, MAX_RING_CAPACITY } from "./store/ring-buffer.js";
export { SeriesStore } from "./store/series-store.js";
export type { Hole, IngestResult, SeriesStoreOptions, StoreTotals } from "./store/series-store.js";

// --- Aggregation and decimation ----------------------------------------------------------------
export { aggregate, createBuckets, rate, MAX_BUCKETS } from "./analysis/aggregate.js";
export type { AggregateOptions, Buckets, Columns } from "./analysis/aggregate.js";
export { decimateMinMax, decimateLttb } from "./analysis/decimate.js";
export { TimeAligner } from "./analysis/time-aligner.js";
export type { AlignedColumns, AlignedSeries } from "./analysis/time-aligner.js";

// --- For views: liveness, trend, chart data and redraw pacing (any UI framework) ------------
export { StallDetector, stallThresholdMs, liveIndicator, isFlowingState, STALL_TICKS, STALL_FLOOR_MS } from "./view/stall-detector.js";
export type { LiveIndicator, StallDetectorOptions, StallReading, StallSource } from "./view/stall-detector.js";
export { TrendMeter } from "./view/trend.js";
export { StackedRates, BAR_MS } from "./view/stacked-rates.js";
export type { StackedColumns } from "./view/stacked-rates.js";
export { slices, polar, ringSegment } from "./view/donut-geometry.js";
export type { Slice } from "./view/donut-geometry.js";
export { RedrawQueue } from "./view/redraw-queue.js";
export type { RedrawQueueOptions, RedrawTarget, RedrawTicket } from "./view/redraw-queue.js";

// --- Scheduling patterns -----------------------------------------------------------------------
export { throttle } from "./scheduling/throttle.js";
export type { Scheduled, ThrottleOptions } from "./scheduling/throttle.js";
export { debounce } from "./scheduling/debounce.js";
export type { DebounceOptions } from "./scheduling/debounce.js";
export { FrameBatcher, defaultFrameScheduler, FRAME_FALLBACK_MS, FRAME_STALL_MS } from "./notify/frame-batcher.js";
export type { FrameBatcherOptions, FrameInfo, FrameScheduler, FrameSubscribeOptions } from "./notify/frame-batcher.js";
export { backoffDelay, backoffCap, validateBackoff, DEFAULT_BACKOFF } from "./scheduling/backoff.js";
export type { BackoffOptions } from "./scheduling/backoff.js";
export { Emitter, reportListenerError } from "./notify/emitter.js";
export type { EmitterOptions, ListenerErrorHandler } from "./notify/emitter.js";

// --- Protocol: validation and wire types, from @pulseboard/protocol (their source and
// documentation), re-exported so that code importing them from the client keeps working.
export {
  parseServerFrame,
  encodeClientMessage,
  validateStreamFrame,
  isHelloFrame,
  isStreamFrame,
  isGapFrame,
  DEFAULT_MAX_FRAME_BYTES,
  validatePollResponse,
  validateHistoryResponse,
  validateHistoryBatchResponse,
  validateSnapshotResponse,
  validateMetricCatalogue,
  PROTOCOL_VERSION,
} from "@pulseboard/protocol";
export type { FrameErrorCode, ParseOptions, ParseResult, ValidationFailure, ValidationResult } from "@pulseboard/protocol";
export { SeqCursor } from "./stream/seq-cursor.js";
export type { CursorDecision, EpochChange, SeqCursorOptions } from "./stream/seq-cursor.js";
export type {
  ClientMessage,
  DataFrame,
  ErrorCode,
  ErrorFrame,
  EventLevel,
  EventsFrame,
  GapFrame,
  HelloFrame,
  HistoryBatchResponse,
  HistoryBatchSeries,
  HistoryResponse,
  MetricInfo,
  MetricKind,
  PingMessage,
  PollResponse,
  PongFrame,
  SeriesColumns,
  ServerFrame,
  SnapshotResponse,
  StreamEvent,
  StreamFrame,
  SubscribeMessage,
  SubscribedFrame,
} from "@pulseboard/protocol";
