/**
 * `WebSocketManager`: keeps one source's metrics stream flowing into ring buffers, whatever
 * the network does.
 *
 * The manager is a state machine over two transports; this file holds its rules:
 *
 * - Every state change goes through {@link WebSocketManager.setState}, which emits `state`
 *   only when the state really changes.
 * - Every way a connection can end (socket closed, handshake timed out, heartbeat silent,
 *   terminal close code, `close()`) goes through one funnel, {@link WebSocketManager.disconnect}.
 * - Consecutive failures count towards `maxRetries` in one place, whichever transport failed.
 *   Enough failed WebSocket attempts move the stream to polling; a probe socket that catches
 *   up with the cursor moves it back (make-before-break).
 * - The state is never more optimistic than the facts. `open` and `polling` mean that the
 *   stream flows: `polling` starts with the first poll reply, not with the switch, and a failed
 *   poll leaves it. When every transport the manager may use has failed its latest attempt (a
 *   WebSocket attempt that never opened, and the poll too unless the fallback is off) the state
 *   is `unreachable`, and each wait before the next attempt is announced (`retry`).
 *
 * Where the rest lives: ./websocket-session.ts (the conversation on the trusted socket: hello,
 * subscribe, frames, heartbeat), ./polling-session.ts (poll replies and failures),
 * ./session-context.ts (what both share with the manager, and the stale-callback rule: a
 * callback of any socket or poller but the trusted one is ignored and counted as
 * `staleCallbacks`), ./stream-data.ts (what happens to the frames, the same for both
 * transports: rings, event log, notifications, gap backfill, history loading) and
 * ../scheduling/retry-schedule.ts (backoff waits, drawn and announced).
 *
 * @module
 */

import { Emitter } from "../notify/emitter.js";
import { resolveMetricIds, resolveOptions, resolveSubscription, serverRequestOptions, type ResolvedOptions } from "./options.js";
import type { MetricInfo, StreamEvent } from "@pulseboard/protocol";
import { PollingSession } from "./polling-session.js";
import { RetrySchedule } from "../scheduling/retry-schedule.js";
import { SnapshotClient, type SnapshotOptions, type SnapshotResult } from "./snapshot.js";
import type { RingBuffer } from "../store/ring-buffer.js";
import type { DisconnectCause, SessionContext } from "./session-context.js";
import { createStatsCounters, statsSnapshot, type StatsCounters } from "./stats.js";
import { StreamData } from "./stream-data.js";
import type { TransportKind } from "../transports/types.js";
import type {
  ConnectionState,
  LoadHistoryOptions,
  LoadHistoryResult,
  ManagerErrorCode,
  ManagerEventMap,
  ManagerStats,
  NotifyOptions,
  WebSocketManagerOptions,
} from "./types.js";
import { WebSocketSession } from "./websocket-session.js";

/**
 * A resilient client for one source of the Pulseboard stream.
 *
 * @example
 * ```ts
 * const manager = new WebSocketManager({ url: "ws://127.0.0.1:8787/ws" });
 * manager.on("data", ({ changed }) => {
 *   const cpu = manager.series("cpu.usage");
 *   if (changed.has("cpu.usage") && cpu) plot.setData([cpu.times(), cpu.values()]);
 * });
 * manager.connect();
 * ```
 */
export class WebSocketManager {
  private readonly options: ResolvedOptions;
  private readonly emitter = new Emitter<ManagerEventMap>();
  private readonly counters: StatsCounters = createStatsCounters();
  private readonly retries: RetrySchedule;
  private readonly data: StreamData;
  private readonly socket: WebSocketSession;
  private readonly polling: PollingSession;

  private currentState: ConnectionState = "idle";
  private activeTransport: TransportKind = "websocket";
  private nextTransportId = 0;
  /** Consecutive failed attempts of the transport carrying the stream (backoff, maxRetries). */
  private failures = 0;
  /** Consecutive failed WebSocket attempts (fallback to polling). */
  private socketFailures = 0;
  /**
   * The latest WebSocket attempt ended without opening (refused, timed out): the server cannot
   * be reached that way. Why it failed, or null when the latest attempt opened.
   */
  private socketUnreachable: string | null = null;
  /** The latest poll failed (while polling carries the stream). */
  private pollFailing = false;
  private pollLastFailure = "";
  /** Why the stream moved to polling; the `polling` state's reason once the first reply arrives. */
  private pollingReason = "";
  private everConnected = false;
  private stopEnvironment: (() => void) | null = null;
  /** Clock time of the last message on the transport carrying the stream (`stats().lastMessageAt`). */
  private lastMessageAt: number | null = null;
  /** Snapshot requests; `close()` aborts those in flight. */
  private readonly snapshots: SnapshotClient;

  /**
   * @param options - see {@link WebSocketManagerOptions}; only `url` is required.
   * @throws TypeError or RangeError naming an invalid option.
   */
  constructor(options: WebSocketManagerOptions) {
    const o = resolveOptions(options);
    this.options = o;
    this.snapshots = new SnapshotClient(serverRequestOptions(o));
    this.retries = new RetrySchedule({ clock: o.clock, backoff: o.backoff, random: o.random, emit: (event) => this.emitter.emit("retry", event) });
    this.data = new StreamData({
      config: o,
      counters: this.counters,
      clockOffsetMs: () => this.socket.clockOffsetMs,
      onGap: (event) => this.emitter.emit("gap", event),
      reportError: (code, message) => this.reportError(code, message),
    });
    const context: SessionContext = {
      config: o,
      counters: this.counters,
      retries: this.retries,
      emitter: this.emitter,
      nextId: () => ++this.nextTransportId,
      countMessage: (transport) => this.countMessage(transport),
      disconnect: (cause) => this.disconnect(cause),
      reportError: (code, message) => this.reportError(code, message),
    };
    this.socket = new WebSocketSession({
      ...context,
      stream: this.data.socketSink,
      subscription: this.data,
      delayBeforeAttempt: () => this.delayBeforeAttempt(),
      onSubscribed: () => this.markConnected("subscribed"),
      onCaughtUp: () => this.switchToWebSocket(),
    });
    this.polling = new PollingSession({
      ...context,
      stream: this.data.pollSink,
      subscription: this.data,
      onReply: () => this.pollReplied(),
      onFailure: (message) => this.pollFailed(message),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Public API
  // ------------------------------------------------------------------------------------------

  /** The connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The transport carrying the stream (`websocket` until a fallback). */
  get transport(): TransportKind {
    return this.activeTransport;
  }

  /**
   * The HTTP base of the server, as the client uses it for polling and history: the `httpUrl`
   * option, or the one derived from `url` (`wss://host/pulse/ws` -> `https://host/pulse`).
   * The server's other endpoints live under it too (for `/api/snapshot`, use {@link WebSocketManager.snapshot}).
   *
   * @returns the base URL, without a trailing slash.
   * @example
   * ```ts
   * const manager = new WebSocketManager({ url: "ws://127.0.0.1:8787/ws" });
   * manager.httpUrl; // "http://127.0.0.1:8787"
   * const health = await fetch(`${manager.httpUrl}/healthz`);
   * ```
   */
  get httpUrl(): string {
    return this.options.httpUrl;
  }

  /**
   * Subscribe to an event. `data` and `events` are frame-batched: at most one call per frame,
   * or per `options.intervalMs`, whatever the message rate.
   *
   * @param type - event name, see {@link ManagerEventMap}.
   * @param listener - receives the event's context object; exceptions are caught and reported.
   * @param options - for `data` and `events` only: see {@link NotifyOptions}.
   * @returns a function that unsubscribes.
   * @example
   * ```ts
   * const off = manager.on("state", ({ from, to, reason }) => console.log(`${from} -> ${to}: ${reason}`));
   * manager.on("data", ({ changed }) => redraw(changed), { intervalMs: 250 });
   * ```
   */
  on<K extends keyof ManagerEventMap>(type: K, listener: (ctx: ManagerEventMap[K]) => void, options?: NotifyOptions): () => void {
    const intervalMs = options?.intervalMs ?? 0;
    if (!(intervalMs >= 0) || intervalMs === Infinity) throw new RangeError(`intervalMs must be a finite number >= 0, got ${String(intervalMs)}`);
    if (type === "data") return this.data.onData(listener as (ctx: ManagerEventMap["data"]) => void, intervalMs);
    if (type === "events") return this.data.onEvents(listener as (ctx: ManagerEventMap["events"]) => void, intervalMs);
    return this.emitter.on(type, listener);
  }

  /**
   * Start connecting. Does nothing unless the state is `idle`, `closed` or `failed`; data
   * already received is kept and the stream resumes from the cursor.
   */
  connect(): void {
    if (this.currentState !== "idle" && this.currentState !== "closed" && this.currentState !== "failed") return;
    this.failures = 0;
    this.socketFailures = 0;
    this.socketUnreachable = null;
    this.activeTransport = "websocket";
    this.lastMessageAt = null;
    this.setState("connecting", "connect() called");
    this.data.startNotifying();
    this.stopEnvironment = this.options.environment.subscribe(() => this.retryNow());
    this.socket.start();
  }

  /**
   * Close everything: socket, polling, pending waits, history requests, frame requests.
   * Rings and the cursor are kept (`connect()` resumes). Pending notifications are delivered.
   */
  close(): void {
    if (this.currentState === "closed" || this.currentState === "idle") {
      this.data.cancelHistory(); // a loadHistory() may still wait for a catalogue or a reply
      this.snapshots.abortAll();
      return;
    }
    this.disconnect({ kind: "close", reason: "close() called" });
  }

  /**
   * Change the metrics received. On a live connection this re-subscribes from the cursor:
   * no gap, and anything delivered twice is dropped as a duplicate.
   *
   * @param metrics - metric ids, or `"*"` for all.
   */
  subscribe(metrics: readonly string[] | "*"): void {
    this.data.subscribe(resolveSubscription(metrics));
    this.socket.resubscribe();
  }

  /**
   * The ring buffer of one metric: `times()` and `values()` are zero-copy views, oldest first,
   * ready for uPlot (`plot.setData([ring.times(), ring.values()])`).
   *
   * @param id - metric id.
   * @returns the ring, or undefined before the catalogue arrived or for an unknown id.
   */
  series(id: string): RingBuffer | undefined {
    return this.data.series(id);
  }

  /**
   * Load the `windowMs` of history behind each series' data, so a chart opens full. Per
   * series the window ends before its oldest held sample (without samples: where the stream
   * stands) and reaches back no further than its ring has room for. Fetched in batches like
   * gap backfill; merged by time, never duplicating a held sample; counted in
   * `stats().pointsPrefilled`; the series appear in the next `data` event. Waits for the
   * catalogue and the stream's first samples if there are none yet (before them, where the
   * stream begins is unknown); `close()` aborts it. See ../history/prefill.ts and the
   * README's "Loading history".
   *
   * @param windowMs - how far back, in ms (finite, > 0).
   * @param options - see {@link LoadHistoryOptions}; by default the subscribed metrics.
   * @returns what was loaded; see {@link LoadHistoryResult}.
   * @throws RangeError for a bad `windowMs`, TypeError for bad `metrics`.
   * @example
   * ```ts
   * manager.connect();
   * const { points, failed } = await manager.loadHistory(60_000);
   * console.log(`${points} samples of history; missing: ${failed.join(", ") || "none"}`);
   * ```
   */
  loadHistory(windowMs: number, options: LoadHistoryOptions = {}): Promise<LoadHistoryResult> {
    if (typeof windowMs !== "number" || !(windowMs > 0) || windowMs === Infinity) {
      throw new RangeError(`windowMs must be a finite number > 0, got ${String(windowMs)}`);
    }
    const metrics = options.metrics === undefined ? undefined : resolveMetricIds(options.metrics);
    return this.data.loadHistory(windowMs, metrics);
  }

  /**
   * The latest sample of every metric and the catalogue, from `GET /api/snapshot`: numbers
   * to show before the stream's first frame. Sent like the client's other requests: with its
   * `token`, within `connectTimeoutMs`, refused above `maxFrameBytes`, validated. Works in any
   * state, also before `connect()`; `close()` aborts it. Nothing is stored: the stream's rings
   * stay the truth. Never rejects.
   *
   * @param options - see {@link SnapshotOptions}.
   * @returns the snapshot, or a failure with a code and a sentence (`status` 401 for a missing
   *   or wrong token).
   * @example
   * ```ts
   * const result = await manager.snapshot();
   * if (result.ok) console.log(result.snapshot.latest["cpu.usage"]?.v);
   * else console.warn(result.code, result.message);
   * ```
   */
  snapshot(options: SnapshotOptions = {}): Promise<SnapshotResult> {
    return this.snapshots.request(options.signal);
  }

  /** @returns the metric catalogue from the latest hello (labels are untrusted text). */
  catalogue(): readonly MetricInfo[] {
    return this.data.catalogue();
  }

  /**
   * Time ranges of a series that could not be recovered (never interpolated).
   * @param id - metric id.
   * @returns holes in time order.
   */
  holes(id: string): ReadonlyArray<{ from: number; to: number }> {
    return this.data.holes(id);
  }

  /** @returns the stream events held (up to `eventCapacity`), oldest first; a copy. */
  events(): StreamEvent[] {
    return this.data.events();
  }

  /** @returns a snapshot of the counters (cheap: a few dozen numbers). */
  stats(): ManagerStats {
    return statsSnapshot({
      ...this.data.gauges(),
      now: this.options.clock.now(),
      state: this.currentState,
      transport: this.activeTransport,
      counters: this.counters,
      rttMs: this.socket.rttMs,
      clockOffsetMs: this.socket.clockOffsetMs,
      nextRetryAt: this.retries.nextAt,
      lastMessageAt: this.lastMessageAt,
    });
  }

  // ------------------------------------------------------------------------------------------
  // The state funnel and the disconnect funnel
  // ------------------------------------------------------------------------------------------

  /** The one place the state changes. Emits `state` only on a real change. */
  private setState(next: ConnectionState, reason: string): void {
    const from = this.currentState;
    if (from === next) return;
    this.currentState = next;
    this.emitter.emit("state", { from, to: next, reason });
  }

  /** The one place a connection ends, whatever ended it. */
  private disconnect(cause: DisconnectCause): void {
    // Forget the socket first: anything it still says is stale from here on.
    this.socket.forget();

    if (cause.kind === "close" || cause.kind === "fail") {
      this.socket.stop();
      this.polling.stop();
      this.data.cancelHistory();
      this.snapshots.abortAll();
      this.retries.clear();
      this.stopEnvironment?.();
      this.stopEnvironment = null;
      this.data.stopNotifying();
      if (cause.kind === "fail") {
        this.reportError(cause.code, cause.message, true);
        this.setState("failed", cause.message);
      } else {
        this.setState("closed", cause.reason);
      }
      return;
    }

    if (cause.replace) this.socket.replace(cause.message);
    this.reportError(cause.code, cause.message);
    // An attempt that never opened says the server cannot be reached over WebSocket; a socket
    // that opened and was then lost (or replaced) says nothing yet about the next attempt.
    this.socketUnreachable = cause.code === "connection_failed" || cause.code === "connect_timeout" ? cause.message : null;
    // While polling carries the stream, a socket that fails is just a probe that failed; if the
    // polls fail too, this probe is the news that no transport gets through.
    if (this.activeTransport === "polling") {
      if (this.pollFailing) this.reportUnreachable();
      return;
    }
    this.socketFailures++;
    if (this.countFailure(cause.message)) return;
    const fallback = this.options.fallback;
    if (fallback.enabled && this.socketFailures >= fallback.afterFailures) {
      this.startPolling(`${this.socketFailures} WebSocket attempts failed; last: ${cause.message}`);
      return;
    }
    // Without the fallback, WebSocket is every transport there is.
    if (!fallback.enabled && this.socketUnreachable !== null) this.setState("unreachable", `server unreachable over WebSocket: ${cause.message}`);
    else this.setState("reconnecting", cause.message);
  }

  // ------------------------------------------------------------------------------------------
  // Failures, retries and the switches between transports
  // ------------------------------------------------------------------------------------------

  /**
   * One more consecutive failure of the transport carrying the stream; past `maxRetries` the
   * manager gives up.
   * @param last - what failed, for the message.
   * @returns whether it gave up.
   */
  private countFailure(last: string): boolean {
    this.failures++;
    if (this.failures <= this.options.maxRetries) return false;
    this.disconnect({ kind: "fail", code: "max_retries", message: `gave up after ${this.failures} consecutive failures (maxRetries ${this.options.maxRetries}); last: ${last}` });
    return true;
  }

  /** A poll reply arrived: the stream flows over HTTP (again). */
  private pollReplied(): void {
    this.failures = 0;
    this.pollFailing = false;
    this.setState("polling", this.pollingReason);
  }

  /**
   * A poll failed while polling carries the stream: the stream does not flow. With the
   * WebSocket unreachable too (the probes fail without opening), every transport is failing.
   * @param message - what failed.
   */
  private pollFailed(message: string): void {
    if (this.countFailure(message)) return;
    this.pollFailing = true;
    this.pollLastFailure = message;
    this.pollingReason = "a poll reply arrived after failed polls";
    if (!this.reportUnreachable()) this.setState("reconnecting", message);
  }

  /**
   * While polling carries the stream: state `unreachable` if the latest poll and the latest
   * WebSocket attempt both failed.
   * @returns whether they did.
   */
  private reportUnreachable(): boolean {
    if (this.socketUnreachable === null || !this.pollFailing) return false;
    this.setState("unreachable", `server unreachable: ${this.pollLastFailure}; WebSocket: ${this.socketUnreachable}`);
    return true;
  }

  /** Asked by the WebSocket transport before each attempt after the first. */
  private delayBeforeAttempt(): number {
    // A probe while polling is not a retry: the stream flows, so it is not announced.
    if (this.activeTransport === "polling") return this.options.fallback.probeIntervalMs;
    return this.retries.plan("websocket", Math.max(1, this.failures));
  }

  /** Network back or page visible: cut any wait short. */
  private retryNow(): void {
    const s = this.currentState;
    // Back from sleep, an "open" socket may be dead: check its deadline now rather than at
    // the next (possibly throttled) heartbeat tick.
    if (s === "open") this.socket.checkLiveness();
    if (s !== "reconnecting" && s !== "unreachable" && s !== "polling" && s !== "connecting") return;
    // Cut any backoff wait short: a reconnect attempt (or, while polling, a probe and the
    // next poll) starts at once. A socket that is already connecting is left alone. The
    // announced retry time is void from now, not from when the attempt gets going.
    if (this.socket.retryNow()) this.retries.started("websocket");
    if (this.polling.retryNow()) this.retries.started("polling");
  }

  /** A message arrived; only the transport carrying the stream moves `lastMessageAt`. */
  private countMessage(transport: TransportKind): void {
    const now = this.options.clock.now();
    this.counters.messages++;
    this.counters.messageRate.add(1, now);
    // A probe made while polling is not the stream's transport yet (see switchToWebSocket).
    if (transport === this.activeTransport) this.lastMessageAt = now;
  }

  /** The stream flows over WebSocket: reset failure counts. (A socket subscribed while polling carries the stream is a probe.) */
  private markConnected(reason: string): void {
    if (this.activeTransport !== "websocket" || this.currentState === "open") return;
    if (this.everConnected) this.counters.reconnects++;
    this.everConnected = true;
    this.failures = 0;
    this.socketFailures = 0;
    this.socketUnreachable = null;
    this.setState("open", reason);
  }

  /**
   * The stream moves to polling. The state stays `reconnecting` until the first poll says
   * whether HTTP gets through: `polling` with a reply, `unreachable` (or `reconnecting`) with a
   * failure. The `transport` event is emitted at once.
   */
  private startPolling(reason: string): void {
    this.activeTransport = "polling";
    this.lastMessageAt = null; // nothing has arrived over HTTP yet
    this.counters.fallbacks++;
    this.failures = 0;
    this.pollingReason = reason;
    this.pollFailing = false;
    this.polling.start();
    this.setState("reconnecting", reason);
    this.emitter.emit("transport", { from: "websocket", to: "polling", reason });
  }

  /** Make-before-break: while polling carries the stream, a probe socket caught up with the cursor, so polling can stop. */
  private switchToWebSocket(): void {
    if (this.activeTransport !== "polling") return;
    this.polling.stop();
    this.retries.started("polling"); // a failed poll's wait, ended by stop()
    this.activeTransport = "websocket";
    this.lastMessageAt = this.options.clock.now(); // the probe's frame that caught up
    this.emitter.emit("transport", { from: "polling", to: "websocket", reason: "WebSocket replay reached the polling cursor" });
    this.markConnected("WebSocket is back");
  }

  private reportError(code: ManagerErrorCode, message: string, fatal = false): void {
    this.emitter.emit("error", { code, message, fatal });
  }
}
