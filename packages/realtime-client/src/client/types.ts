/**
 * Public types of the connection manager: its options and statistics, and (re-exported from
 * ./state.ts and ./events.ts) its states and events.
 *
 * @module
 */

import type { BackoffOptions } from "../scheduling/backoff.js";
import type { Clock } from "../scheduling/clock.js";
import type { EnvironmentHooks } from "../scheduling/environment.js";
import type { FrameScheduler } from "../notify/frame-batcher.js";
import type { FrameErrorCode, MetricInfo } from "@pulseboard/protocol";
import type { FetchLike, TransportKind, WebSocketConstructor } from "../transports/types.js";
import type { ConnectionState } from "./state.js";

export type { TransportKind } from "../transports/types.js";
// The states and the events have files of their own; this module stays the one to import from.
export type { ConnectionState, ManagerErrorCode } from "./state.js";
export type * from "./events.js";

/** Heartbeat options. */
export interface HeartbeatOptions {
  /**
   * Time between application pings, in ms.
   * @default 5000
   */
  intervalMs?: number;
  /**
   * Silence (no message of any kind) after which the socket is considered dead and replaced.
   * @default 12000
   */
  timeoutMs?: number;
}

/** HTTP long-polling fallback options. */
export interface FallbackOptions {
  /**
   * Whether to fall back to polling at all.
   * @default true
   */
  enabled?: boolean;
  /**
   * Consecutive failed WebSocket attempts before switching to polling.
   * @default 3
   */
  afterFailures?: number;
  /**
   * How long the server may hold a poll when there is nothing new, in ms.
   * @default 10000
   */
  pollWaitMs?: number;
  /**
   * While polling, how often to try WebSocket again, in ms.
   * @default 15000
   */
  probeIntervalMs?: number;
  /**
   * Most frames per poll reply; a fuller reply is followed at once by the next poll.
   * @default 500
   */
  maxFramesPerPoll?: number;
}

/**
 * Repair of holes in the seqs on an open socket: frames lost on the way (a proxy or gateway
 * shedding load) while later ones arrive. The cursor holds the later frames; after `waitMs`
 * the client resubscribes from its cursor on the same socket, and the server replays the
 * hole (or answers with a `gap` if it no longer can). A hole that is still there waits twice
 * as long before the next request (capped at `backoff.maxMs`); after `maxResubscribes`
 * requests on one socket, the socket is replaced instead.
 */
export interface HoleRepairOptions {
  /**
   * How long a hole may stay open before the client asks for a replay, in ms (measured on
   * `clock`). A few server ticks: long enough for a burst of loss to pass and for a frame
   * already on its way over the other transport (a switch) to land, short enough that a
   * chart barely pauses.
   * @default 300
   */
  waitMs?: number;
  /**
   * Resubscribes on one socket for the same hole before the socket is replaced.
   * @default 2
   */
  maxResubscribes?: number;
}

/** History options: gap backfill and prefill. */
export interface HistoryOptions {
  /**
   * Fill gaps from `GET /api/history`. When false (or when history fails) the affected time
   * range is marked as a hole in each series, never interpolated.
   * @default true
   */
  backfill?: boolean;
  /**
   * Load this many ms of history into every subscribed series once, as soon as the stream
   * has delivered its first samples: `loadHistory(prefillMs)` without the call. Charts then
   * open full instead of filling from the right. 0 turns it off.
   * @default 0
   */
  prefillMs?: number;
}

/** Options of {@link WebSocketManager}. Only `url` is required. */
export interface WebSocketManagerOptions {
  // --- Where and what -----------------------------------------------------------------
  /** WebSocket endpoint, for example `ws://127.0.0.1:8787/ws` or `wss://host/ws`. */
  url: string;
  /**
   * HTTP base for polling and history.
   * @default derived from `url`: ws(s)://host/path -> http(s)://host
   */
  httpUrl?: string;
  /**
   * Source (tenant) to stream.
   * @default "default"
   */
  source?: string;
  /** Access token, sent as `?token=` on the WebSocket and as a Bearer header over HTTP. */
  token?: string;
  /**
   * Metric ids to receive, or `"*"` for the whole catalogue.
   * @default "*"
   */
  metrics?: readonly string[] | "*";
  /**
   * Whether to receive event frames (deploys, alerts, log lines).
   * @default true
   */
  events?: boolean;
  /**
   * Where the first connection starts: `"live"` (only frames from now on) or `"retained"`
   * (everything the server still retains, up to its retention window).
   * @default "live"
   */
  startFrom?: "live" | "retained";

  // --- Platform (inject in Node and in tests) -----------------------------------------
  /**
   * WebSocket class. Node 20 has no global WebSocket: pass `WebSocket` from the `ws` package.
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
  /**
   * fetch function for polling and history.
   * @default globalThis.fetch
   */
  fetch?: FetchLike;
  /**
   * Time and timers.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Uniform random source in [0, 1) for backoff jitter.
   * @default Math.random
   */
  random?: () => number;
  /**
   * When `data` and `events` notifications run.
   * @default defaultFrameScheduler(clock): requestAnimationFrame, or a 16 ms timer
   */
  frameScheduler?: FrameScheduler;
  /**
   * Online / visibility signals that trigger an immediate retry.
   * @default makeBrowserEnvironment(): window and document when present, no-ops in Node
   */
  environment?: EnvironmentHooks;

  // --- Memory ---------------------------------------------------------------------------
  /**
   * Ring capacity (samples) of each series.
   * @default 4096
   */
  bufferCapacity?: number;
  /** Per-metric ring capacity, e.g. `(m) => Math.ceil(m.rateHz * 600)` for 10 minutes. */
  capacityFor?: (info: MetricInfo) => number;
  /**
   * Stream events kept for `events()`; older ones are dropped and counted.
   * @default 1000
   */
  eventCapacity?: number;

  // --- Reliability ------------------------------------------------------------------------
  /**
   * Reconnect backoff (full jitter): delay = random() * min(maxMs, minMs * factor^attempt).
   * @default { minMs: 250, maxMs: 10000, factor: 2 }
   */
  backoff?: BackoffOptions;
  /**
   * Consecutive failed attempts tolerated before the state becomes `failed`.
   * @default Infinity
   */
  maxRetries?: number;
  /**
   * Abort a WebSocket opening handshake after this many ms.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Replace a socket that opened but did not complete the protocol handshake (`hello`, then
   * `subscribed`) within this many ms. Pongs do not count: a socket that answers pings but
   * never says hello carries no stream.
   * @default 10000
   */
  handshakeTimeoutMs?: number;
  /** @default { intervalMs: 5000, timeoutMs: 12000 } */
  heartbeat?: HeartbeatOptions;
  /** @default { waitMs: 300, maxResubscribes: 2 } */
  holeRepair?: HoleRepairOptions;
  /** @default { enabled: true, afterFailures: 3, pollWaitMs: 10000, probeIntervalMs: 15000, maxFramesPerPoll: 500 } */
  fallback?: FallbackOptions;
  /**
   * Largest accepted frame (or poll reply), in bytes; larger ones are rejected unparsed.
   * @default 4194304 (4 MiB)
   */
  maxFrameBytes?: number;
  /** @default { backfill: true, prefillMs: 0 } */
  history?: HistoryOptions;
}

/** Options of `loadHistory()`. */
export interface LoadHistoryOptions {
  /**
   * Metric ids to load.
   * @default the subscribed metrics of the catalogue
   */
  metrics?: readonly string[];
}

/** What `loadHistory()` did. */
export interface LoadHistoryResult {
  /** Samples added to rings (counted in `stats().pointsPrefilled`). */
  points: number;
  /** Series that received at least one sample. */
  series: number;
  /**
   * Series whose history could not be loaded: not in the catalogue, unknown to the server,
   * the request failed (also reported as a `history_failed` error), or `close()` aborted it.
   */
  failed: readonly string[];
}

/** Options of `on()` for the frame-batched events (`data`, `events`). */
export interface NotifyOptions {
  /**
   * Deliver at most every `intervalMs` instead of every frame (a trailing call is never lost).
   * @default 0 (every frame)
   */
  intervalMs?: number;
}

/** Rejected frames by code (`stats().parseErrors`); `binary` counts non-text WebSocket messages. */
export type ParseErrorCounts = Record<FrameErrorCode | "binary", number>;

/** Snapshot returned by `stats()`. Cheap to take. */
export interface ManagerStats {
  state: ConnectionState;
  transport: TransportKind;
  /** Latest heartbeat round trip, ms (null before the first pong). */
  rttMs: number | null;
  /** Estimated server clock minus client clock, ms (null before the first pong). */
  clockOffsetMs: number | null;
  /** Messages received per second over the last 5 s (both transports). */
  messagesPerSecond: number;
  /**
   * Live points appended to rings per second over the last 5 s: the stream's current rate.
   * Replayed backlog, backfill and prefill are not counted here (see `pointsReplayed`,
   * `pointsBackfilled`, `pointsPrefilled`).
   */
  pointsPerSecond: number;
  /** Messages received (WebSocket messages and poll replies). */
  messages: number;
  /** Bytes received (WebSocket text and poll bodies). */
  bytesReceived: number;
  /** Stream frames applied in order. */
  framesApplied: number;
  /** Points appended to rings (live, replay, backfill and prefill). */
  pointsReceived: number;
  /** Points appended from frames the server streamed after the subscription (or poll loop) started. */
  pointsLive: number;
  /**
   * Points appended from frames the server already retained when the subscription (or poll
   * loop) started: the replay of `startFrom: "retained"` and of every resume.
   */
  pointsReplayed: number;
  /** Stream events received. */
  eventsReceived: number;
  /** Successful connections after the first one (WebSocket or polling). */
  reconnects: number;
  /** Switches from WebSocket to polling. */
  fallbacks: number;
  /** Gaps the server reported (retention, epoch). */
  gapsReported: number;
  /** Gaps completely filled from history. */
  gapsBackfilled: number;
  /**
   * Holes in the seqs (frames lost on the way, later ones held by the cursor) that were
   * filled by frames (a replay after a resubscribe, a reconnect or the next poll), so no gap
   * was reported for them.
   */
  holesRepaired: number;
  /** Resubscribes from the cursor made on an open socket to repair a hole (see `holeRepair`). */
  resubscribes: number;
  /** Samples recovered from history to fill gaps. */
  pointsBackfilled: number;
  /** Samples loaded from history before the stream's first sample (`loadHistory()`, `history.prefillMs`). */
  pointsPrefilled: number;
  /** Series time ranges marked as holes (history could not fill them). */
  holesMarked: number;
  /** Frames dropped because they were already applied (replay overlap, both transports). */
  duplicatesDropped: number;
  /** Points not kept: ring overflow + non-finite + out of order + unknown metric. */
  pointsDropped: number;
  /** Breakdown of `pointsDropped`. */
  pointsDroppedBy: { overflow: number; nonFinite: number; outOfOrder: number; unknownMetric: number };
  /** Stream events dropped from the event ring (overflow). */
  eventsDropped: number;
  /** Rejected frames by code. */
  parseErrors: Readonly<ParseErrorCounts>;
  /** Sum of `parseErrors`. */
  parseErrorsTotal: number;
  /** `error` frames received from the server. */
  serverErrors: number;
  /** Estimated server time minus the newest sample time, ms (null before data). */
  lagMs: number | null;
  /** `data` notification flushes (frames in which something changed). */
  notifications: number;
  /** Callbacks ignored because they came from a replaced socket or poller. */
  staleCallbacks: number;
  /**
   * Clock time of the next attempt while a backoff wait is in progress (the latest `retry`
   * event's `at`); null when none is: the attempt started, the stream flows, or the manager
   * closed. WebSocket probes made while polling do not count.
   */
  nextRetryAt: number | null;
  /**
   * Clock time of the last message of any kind (data, events, pong, hello...) on the current
   * transport: a WebSocket message while `transport` is `websocket`, a poll reply while it is
   * `polling`. Null before any: after `connect()`, and after a switch to polling until the
   * first reply. Probe sockets made while polling do not count until the stream moves to
   * them. Kept across WebSocket reconnects and after `close()`, so `now - lastMessageAt` is how
   * long the stream has been silent; a UI can tell a stalled "open" connection from a live one
   * well before `heartbeat.timeoutMs` replaces the socket.
   */
  lastMessageAt: number | null;
  /** Current cursor. */
  epoch: string | null;
  seq: number;
}
