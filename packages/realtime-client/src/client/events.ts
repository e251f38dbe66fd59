/**
 * The manager's events: one context object per event, named in {@link ManagerEventMap}.
 *
 * @module
 */

import type { HelloFrame, MetricInfo, StreamEvent } from "@pulseboard/protocol";
import type { TransportKind } from "../transports/types.js";
import type { ConnectionState, ManagerErrorCode } from "./state.js";

/** Context of the `state` event. */
export interface StateChangeEvent {
  from: ConnectionState;
  to: ConnectionState;
  /** Why, in a few words (for logs and status lines). */
  reason: string;
}

/**
 * Context of the `hello` event: the server's position and metric catalogue, from a WebSocket
 * `hello` or, while polling, from `/api/metrics` and the first poll reply.
 */
export interface HelloEvent {
  /** Where this came from. */
  transport: TransportKind;
  source: string;
  epoch: string;
  serverTime: number;
  /** Newest seq on the server. */
  seq: number;
  /** Oldest seq the server can still replay. */
  oldestSeq: number;
  /** The catalogue (labels are untrusted text: render as text). */
  metrics: readonly MetricInfo[];
  /** From a WebSocket hello only. */
  protocol?: HelloFrame["protocol"];
  /** From a WebSocket hello only: how long the server retains frames, ms. */
  retentionMs?: number;
  /** From a WebSocket hello only: the server's batching interval, ms. */
  tickMs?: number;
}

/** Context of the `data` event. */
export interface DataEvent {
  /** Series whose ring changed since this listener's previous call. Valid during the call. */
  changed: ReadonlySet<string>;
  /** Flush number of the frame batcher. */
  frame: number;
  /** Clock time of the flush. */
  time: number;
}

/** Context of the `events` event. */
export interface StreamEventsEvent {
  /** Events received since this listener's previous call, oldest first. */
  events: readonly StreamEvent[];
  /** Events this listener missed because the event ring overflowed between its calls. */
  missed: number;
}

/** Why seqs were lost. */
export type GapReason = "retention" | "epoch" | "rejected";

/** Context of the `gap` event, emitted once the gap's backfill has settled. */
export interface GapEvent {
  /** First seq that was never received (in the epoch it belongs to). */
  from: number;
  /**
   * Last seq that was never received, or null when the end is unknown: after a restart of
   * the server's stream (`epoch`), every frame of the old epoch from `from` on is gone,
   * however many there were.
   */
  to: number | null;
  /**
   * `retention`: older than what the server keeps; `epoch`: the server's stream restarted;
   * `rejected`: the frame arrived but failed validation (too large, malformed).
   */
  reason: GapReason;
  /**
   * Start of the affected time span (ms, exclusive): the earliest of the affected series'
   * newest samples before the gap (a 1 Hz series ends earlier than a 50 Hz one). NaN if no
   * series held data.
   */
  fromTime: number;
  /** End of the affected time span (ms, exclusive): the oldest sample after the gap. */
  toTime: number;
  /** True when every affected series was filled from history. */
  backfilled: boolean;
  /** Samples recovered from history. */
  points: number;
  /** Series whose range could not be filled and is marked as a hole. */
  holes: readonly string[];
}

/** Context of the `error` event. Errors are values: the stream goes on unless `fatal`. */
export interface ManagerErrorEvent {
  code: ManagerErrorCode;
  /** One sentence for logs. */
  message: string;
  /** True when the manager gave up (state `failed`). */
  fatal: boolean;
  /** For `server_error`: the server's error code. */
  serverCode?: string;
}

/** Context of the `transport` event. */
export interface TransportChangeEvent {
  from: TransportKind;
  to: TransportKind;
  reason: string;
}

/**
 * Context of the `retry` event: the manager scheduled a backoff wait before its next attempt.
 * Emitted for WebSocket reconnects and, while polling carries the stream, for failed polls;
 * not for the WebSocket probes made while polling (the stream flows, nothing is retried).
 */
export interface RetryEvent {
  /** 1 for the first retry since the stream last flowed (or `connect()`), 2 for the next... */
  attempt: number;
  /** The wait drawn: `random() * min(backoff.maxMs, backoff.minMs * backoff.factor^(attempt - 1))`. */
  delayMs: number;
  /** Clock time of the attempt (`clock.now() + delayMs`); `online` or `visible` may bring it forward. */
  at: number;
  /** The transport that will retry. */
  transport: TransportKind;
}

/** Context of the `heartbeat` event (one per pong). */
export interface HeartbeatEvent {
  rttMs: number;
  clockOffsetMs: number;
}

/** Every event of {@link WebSocketManager} and its context object. */
export type ManagerEventMap = {
  /** The connection state changed (emitted once per real change). */
  state: StateChangeEvent;
  /** A WebSocket connection received the server's hello (catalogue installed). */
  hello: HelloEvent;
  /** Series changed; at most once per frame (or per `intervalMs`) per listener. */
  data: DataEvent;
  /** New stream events; batched per frame like `data`. */
  events: StreamEventsEvent;
  /** Seqs were lost (retention, restart); reported after backfill settles. */
  gap: GapEvent;
  /** Something went wrong; `fatal` ends in state `failed`. Never thrown. */
  error: ManagerErrorEvent;
  /** The stream moved between WebSocket and polling. */
  transport: TransportChangeEvent;
  /** A pong arrived: fresh RTT and clock offset. */
  heartbeat: HeartbeatEvent;
  /** A backoff wait was scheduled: when the next attempt starts (see `stats().nextRetryAt`). */
  retry: RetryEvent;
};
