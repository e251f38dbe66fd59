/**
 * `WebSocketManager`: keeps one source's metrics stream flowing into ring buffers, whatever
 * the network does.
 *
 * The manager is a state machine over two transports:
 *
 * - Every state change goes through {@link WebSocketManager.setState}, which emits `state`
 *   only when the state really changes.
 * - Every way a connection can end (socket closed, handshake timed out, heartbeat silent,
 *   terminal close code, `close()`) goes through one funnel, {@link WebSocketManager.disconnect}.
 * - Every transport callback names the socket or poller it comes from; the manager compares
 *   it with the one it currently trusts and ignores the rest (counted as `staleCallbacks`).
 *   RWS guarantees one socket at a time; a socket we give up on is forgotten before its
 *   replacement is even created.
 *
 * What happens to the frames is not the manager's business: it hands them to the
 * {@link StreamPipeline} (seq cursor, stores, gap backfill), the same one for both transports.
 * Backoff waits are drawn and announced by the {@link RetrySchedule}; history loaded on request
 * comes through the {@link HistoryPrefiller}.
 *
 * @module
 */

import { Emitter } from "./emitter.js";
import { EventLog } from "./event-log.js";
import { Heartbeat } from "./heartbeat.js";
import { HistoryPrefiller } from "./history-prefill.js";
import { GapBackfiller, HistoryClient } from "./history.js";
import { Notifier } from "./notifier.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import { PROTOCOL_VERSION, type ErrorFrame, type HelloFrame, type MetricInfo, type PollResponse, type StreamEvent, type SubscribedFrame } from "./protocol-types.js";
import { encodeClientMessage, parseServerFrame } from "./protocol.js";
import { RetrySchedule } from "./retry-schedule.js";
import type { RingBuffer } from "./ring-buffer.js";
import { SeriesStore } from "./series-store.js";
import { createStatsCounters, statsSnapshot, type StatsCounters } from "./stats.js";
import { StreamPipeline } from "./stream-pipeline.js";
import { PollingTransport } from "./transports/polling-transport.js";
import type { HttpFailure, SocketCloseInfo, TransportKind } from "./transports/types.js";
import { WebSocketTransport } from "./transports/websocket-transport.js";
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

/** Close codes after which retrying cannot help: the reason is ours, not the network's. */
const TERMINAL_CLOSE_CODES: ReadonlyMap<number, ManagerErrorCode> = new Map([
  [4401, "unauthorized"],
  [4403, "forbidden"],
  [1008, "policy_violation"],
]);

/** Close code we send when we give up on a silent socket (application range 4000-4999). */
const CLOSE_HEARTBEAT_TIMEOUT = 4000;

/** History requests in flight at most during a backfill (and during each `loadHistory()`). */
const HISTORY_CONCURRENCY = 4;

/** Every way a connection ends. */
type DisconnectCause =
  /** The application called close(). */
  | { kind: "close"; reason: string }
  /** Retrying cannot help (auth, policy, protocol, maxRetries). */
  | { kind: "fail"; code: ManagerErrorCode; message: string }
  /** The current socket is gone (or must go, `replace`); try again. */
  | { kind: "socket"; code: ManagerErrorCode; message: string; replace: boolean };

/** How far the current socket got. */
type SocketPhase = "connecting" | "open" | "subscribing" | "subscribed";

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
  private readonly store: SeriesStore;
  private readonly eventLog: EventLog;
  private readonly counters: StatsCounters = createStatsCounters();
  private readonly notifier: Notifier;
  private readonly pipeline: StreamPipeline;
  private readonly backfiller: GapBackfiller;
  private readonly prefiller: HistoryPrefiller;
  private readonly retries: RetrySchedule;
  private readonly heartbeat: Heartbeat;
  private readonly socketTransport: WebSocketTransport;
  private readonly poller: PollingTransport;

  private currentState: ConnectionState = "idle";
  private activeTransport: TransportKind = "websocket";
  private subscription: readonly string[] | "*";
  private nextTransportId = 0;
  /** The socket we trust; callbacks of any other are stale. */
  private socketId: number | null = null;
  private socketPhase: SocketPhase = "connecting";
  /** Epoch announced by the current socket's hello. */
  private socketEpoch: string | null = null;
  /** The poll loop we trust. */
  private pollId: number | null = null;
  /** Consecutive failed attempts of the transport carrying the stream (backoff, maxRetries). */
  private failures = 0;
  /** Consecutive failed WebSocket attempts (fallback to polling). */
  private socketFailures = 0;
  private everConnected = false;
  private stopEnvironment: (() => void) | null = null;
  private readonly unknownReported = new Set<string>();
  /** The catalogue arrived over HTTP; announce it with the first poll reply. */
  private helloPending = false;
  private rttMs: number | null = null;
  private clockOffsetMs: number | null = null;
  /** Clock time of the last message on the transport carrying the stream (`stats().lastMessageAt`). */
  private lastMessageAt: number | null = null;
  /** `history.prefillMs` is set and has not run yet. */
  private prefillDue: boolean;

  /**
   * @param options - see {@link WebSocketManagerOptions}; only `url` is required.
   * @throws TypeError or RangeError naming an invalid option.
   */
  constructor(options: WebSocketManagerOptions) {
    const o = resolveOptions(options);
    this.options = o;
    this.subscription = o.metrics;
    this.store = new SeriesStore({ capacity: o.bufferCapacity, capacityFor: o.capacityFor });
    this.eventLog = new EventLog(o.eventCapacity);
    this.notifier = new Notifier({ store: this.store, log: this.eventLog, clock: o.clock, scheduler: o.frameScheduler });
    this.prefillDue = o.history.prefillMs > 0;
    this.retries = new RetrySchedule({ clock: o.clock, backoff: o.backoff, random: o.random, emit: (event) => this.emitter.emit("retry", event) });
    const history = new HistoryClient({ httpUrl: o.httpUrl, source: o.source, token: o.token, fetch: o.fetch, clock: o.clock, maxBytes: o.maxFrameBytes, timeoutMs: o.connectTimeoutMs });
    this.backfiller = new GapBackfiller({
      store: this.store,
      history: o.history.backfill ? history : null,
      concurrency: HISTORY_CONCURRENCY,
      onSettled: (event) => {
        if (event.backfilled) this.counters.gapsBackfilled++;
        this.counters.pointsBackfilled += event.points;
        this.counters.holesMarked += event.holes.length;
        this.emitter.emit("gap", event);
      },
      onFailure: (message) => this.reportError("history_failed", message),
      onChanged: () => this.notifier.markDirty(),
    });
    this.prefiller = new HistoryPrefiller({
      store: this.store,
      history,
      concurrency: HISTORY_CONCURRENCY,
      subscribed: () => (this.subscription === "*" ? this.store.ids() : this.subscription.filter((id) => this.store.series(id) !== undefined)),
      streamEdge: () => {
        const newest = this.pipeline.newestSampleTime;
        // Before any data, the server's "now": our clock plus the measured offset.
        return Number.isNaN(newest) ? o.clock.now() + (this.clockOffsetMs ?? 0) : newest + 1;
      },
      onMerged: (points) => {
        this.counters.pointsPrefilled += points;
        this.notifier.markDirty();
      },
      onFailure: (message) => this.reportError("history_failed", message),
    });
    this.pipeline = new StreamPipeline({
      store: this.store,
      eventLog: this.eventLog,
      backfiller: this.backfiller,
      counters: this.counters,
      clock: o.clock,
      startFrom: o.startFrom,
      isSubscribed: (id) => this.subscription === "*" || this.subscription.includes(id),
      onChanged: () => {
        this.notifier.markDirty();
        this.startPrefill();
      },
      onUnknownMetrics: (ids) => this.reportUnknownMetrics(ids),
    });
    this.heartbeat = new Heartbeat({
      intervalMs: o.heartbeat.intervalMs,
      timeoutMs: o.heartbeat.timeoutMs,
      clock: o.clock,
      sendPing: (ping) => {
        if (this.socketId !== null) this.socketTransport.send(this.socketId, encodeClientMessage(ping));
      },
      onTimeout: (silentMs) =>
        this.disconnect({ kind: "socket", code: "heartbeat_timeout", message: `no message for ${Math.round(silentMs)} ms`, replace: true }),
    });
    const nextId = (): number => ++this.nextTransportId;
    this.socketTransport = new WebSocketTransport({
      url: o.wsUrl,
      WebSocket: o.WebSocket,
      connectTimeoutMs: o.connectTimeoutMs,
      clock: o.clock,
      delayBeforeAttempt: () => this.delayBeforeAttempt(),
      nextId,
      listener: {
        onAttempt: (id) => this.onSocketAttempt(id),
        onOpen: (id) => this.onSocketOpen(id),
        onMessage: (id, data) => this.onSocketMessage(id, data),
        onClose: (id, info) => this.onSocketClose(id, info),
      },
    });
    this.poller = new PollingTransport({
      httpUrl: o.httpUrl,
      source: o.source,
      token: o.token,
      fetch: o.fetch,
      clock: o.clock,
      waitMs: o.fallback.pollWaitMs,
      requestTimeoutMs: o.connectTimeoutMs,
      maxFrames: o.fallback.maxFramesPerPoll,
      maxBytes: o.maxFrameBytes,
      query: () => ({ ...this.pipeline.resumePoint(), metrics: this.subscription, events: o.events }),
      needsCatalogue: () => this.store.catalogue().length === 0,
      delayAfterFailure: (n) => this.retries.plan("polling", n),
      nextId,
      listener: {
        onCatalogue: (id, metrics) => this.onPollCatalogue(id, metrics),
        onResponse: (id, response, bytes) => this.onPollResponse(id, response, bytes),
        onFailure: (id, failure, consecutive) => this.onPollFailure(id, failure, consecutive),
        onRetry: (id) => {
          if (!this.stale(id, this.pollId)) this.retries.started("polling");
        },
      },
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
   * The server's other endpoints, such as `/api/snapshot`, live under it too.
   *
   * @returns the base URL, without a trailing slash.
   * @example
   * ```ts
   * const manager = new WebSocketManager({ url: "ws://127.0.0.1:8787/ws" });
   * manager.httpUrl; // "http://127.0.0.1:8787"
   * const snapshot = await fetch(`${manager.httpUrl}/api/snapshot?source=default`);
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
    if (type === "data") return this.notifier.addData(listener as (ctx: ManagerEventMap["data"]) => void, intervalMs);
    if (type === "events") return this.notifier.addEvents(listener as (ctx: ManagerEventMap["events"]) => void, intervalMs);
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
    this.activeTransport = "websocket";
    this.lastMessageAt = null;
    this.setState("connecting", "connect() called");
    this.notifier.start();
    this.stopEnvironment = this.options.environment.subscribe(() => this.retryNow());
    this.socketTransport.start();
  }

  /**
   * Close everything: socket, polling, pending waits, history requests, frame requests.
   * Rings and the cursor are kept (`connect()` resumes). Pending notifications are delivered.
   */
  close(): void {
    if (this.currentState === "closed" || this.currentState === "idle") {
      this.prefiller.cancel(); // a loadHistory() may still wait for a catalogue or a reply
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
    if (metrics !== "*" && (!Array.isArray(metrics) || !metrics.every((id) => typeof id === "string" && id.length > 0))) {
      throw new TypeError('metrics must be "*" or an array of non-empty metric ids');
    }
    this.subscription = metrics === "*" ? "*" : Object.freeze(metrics.slice());
    this.unknownReported.clear();
    if (this.socketId !== null && (this.socketPhase === "subscribing" || this.socketPhase === "subscribed")) this.sendSubscribe();
  }

  /**
   * The ring buffer of one metric: `times()` and `values()` are zero-copy views, oldest first,
   * ready for uPlot (`plot.setData([ring.times(), ring.values()])`).
   *
   * @param id - metric id.
   * @returns the ring, or undefined before the catalogue arrived or for an unknown id.
   */
  series(id: string): RingBuffer | undefined {
    return this.store.series(id);
  }

  /**
   * Load the `windowMs` of history behind each series' data, so a chart opens full. Per
   * series the window ends before its oldest held sample (without samples: where the stream
   * stands) and reaches back no further than its ring has room for. Fetched in batches like
   * gap backfill; merged by time, never duplicating a held sample; counted in
   * `stats().pointsPrefilled`; the series appear in the next `data` event. Waits for the
   * catalogue if there is none yet; `close()` aborts it. See ./history-prefill.ts and the
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
    const metrics = options.metrics;
    if (metrics !== undefined && (!Array.isArray(metrics) || !metrics.every((id) => typeof id === "string" && id.length > 0))) {
      throw new TypeError("metrics must be an array of non-empty metric ids");
    }
    return this.prefiller.load(windowMs, metrics === undefined ? undefined : Object.freeze(metrics.slice()));
  }

  /** @returns the metric catalogue from the latest hello (labels are untrusted text). */
  catalogue(): readonly MetricInfo[] {
    return this.store.catalogue();
  }

  /**
   * Time ranges of a series that could not be recovered (never interpolated).
   * @param id - metric id.
   * @returns holes in time order.
   */
  holes(id: string): ReadonlyArray<{ from: number; to: number }> {
    return this.store.holes(id);
  }

  /** @returns the stream events held (up to `eventCapacity`), oldest first; a copy. */
  events(): StreamEvent[] {
    return this.eventLog.toArray();
  }

  /** @returns a snapshot of the counters (cheap: a few dozen numbers). */
  stats(): ManagerStats {
    return statsSnapshot({
      now: this.options.clock.now(),
      state: this.currentState,
      transport: this.activeTransport,
      counters: this.counters,
      store: this.store.totals,
      rttMs: this.rttMs,
      clockOffsetMs: this.clockOffsetMs,
      newestSampleTime: this.pipeline.newestSampleTime,
      duplicates: this.pipeline.duplicates,
      eventsDropped: this.eventLog.dropped,
      notifications: this.notifier.flushCount,
      epoch: this.pipeline.epoch,
      seq: this.pipeline.seq,
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
    this.socketId = null;
    this.socketEpoch = null;
    this.heartbeat.stop();

    if (cause.kind === "close" || cause.kind === "fail") {
      this.socketTransport.stop();
      this.poller.stop();
      this.pollId = null;
      this.backfiller.cancel();
      this.prefiller.cancel();
      this.retries.clear();
      this.stopEnvironment?.();
      this.stopEnvironment = null;
      this.notifier.stop();
      if (cause.kind === "fail") {
        this.reportError(cause.code, cause.message, true);
        this.setState("failed", cause.message);
      } else {
        this.setState("closed", cause.reason);
      }
      return;
    }

    if (cause.replace) this.socketTransport.reconnect(CLOSE_HEARTBEAT_TIMEOUT, cause.message);
    this.reportError(cause.code, cause.message);
    // While polling carries the stream, a socket that fails is just a probe that failed.
    if (this.activeTransport === "polling") return;
    this.failures++;
    this.socketFailures++;
    if (this.failures > this.options.maxRetries) {
      this.disconnect({ kind: "fail", code: "max_retries", message: `gave up after ${this.failures} consecutive failures (maxRetries ${this.options.maxRetries}); last: ${cause.message}` });
      return;
    }
    const fallback = this.options.fallback;
    if (fallback.enabled && this.socketFailures >= fallback.afterFailures) {
      this.startPolling(`${this.socketFailures} WebSocket attempts failed; last: ${cause.message}`);
      return;
    }
    this.setState("reconnecting", cause.message);
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
    if (s === "open") this.heartbeat.check();
    if (s !== "reconnecting" && s !== "polling" && s !== "connecting") return;
    // Cut any backoff wait short: a reconnect attempt (or, while polling, a probe and the
    // next poll) starts at once. A socket that is already connecting is left alone. The
    // announced retry time is void from now, not from when the attempt gets going.
    if (this.socketTransport.retryNow()) this.retries.started("websocket");
    if (this.poller.retryNow()) this.retries.started("polling");
  }

  /** `history.prefillMs`: once, as soon as the stream delivered samples, so history ends where the stream begins. */
  private startPrefill(): void {
    if (!this.prefillDue || Number.isNaN(this.pipeline.newestSampleTime)) return;
    this.prefillDue = false;
    void this.loadHistory(this.options.history.prefillMs);
  }

  /** The stream flows over WebSocket: reset failure counts. */
  private markConnected(reason: string): void {
    if (this.currentState === "open") return;
    if (this.everConnected) this.counters.reconnects++;
    this.everConnected = true;
    this.failures = 0;
    this.socketFailures = 0;
    this.setState("open", reason);
  }

  private startPolling(reason: string): void {
    this.activeTransport = "polling";
    this.lastMessageAt = null; // nothing has arrived over HTTP yet
    this.counters.fallbacks++;
    this.failures = 0;
    this.pollId = this.poller.start();
    this.setState("polling", reason);
    this.emitter.emit("transport", { from: "websocket", to: "polling", reason });
  }

  /** Make-before-break: the socket caught up with the cursor, so polling can stop. */
  private switchToWebSocket(): void {
    this.poller.stop();
    this.pollId = null;
    this.retries.started("polling"); // a failed poll's wait, ended by stop()
    this.activeTransport = "websocket";
    this.lastMessageAt = this.options.clock.now(); // the probe's frame that caught up
    this.emitter.emit("transport", { from: "polling", to: "websocket", reason: "WebSocket replay reached the polling cursor" });
    this.markConnected("WebSocket is back");
  }

  // ------------------------------------------------------------------------------------------
  // WebSocket callbacks
  // ------------------------------------------------------------------------------------------

  private stale(id: number, current: number | null): boolean {
    if (id === current) return false;
    this.counters.staleCallbacks++;
    return true;
  }

  private onSocketAttempt(id: number): void {
    this.retries.started("websocket");
    this.socketId = id;
    this.socketPhase = "connecting";
    this.socketEpoch = null;
  }

  private onSocketOpen(id: number): void {
    if (this.stale(id, this.socketId)) return;
    this.socketPhase = "open";
    this.heartbeat.start();
  }

  private onSocketClose(id: number, info: SocketCloseInfo): void {
    if (this.stale(id, this.socketId)) return;
    const terminal = TERMINAL_CLOSE_CODES.get(info.code);
    const detail = `code ${info.code}${info.reason === "" ? "" : `, ${info.reason}`}`;
    if (terminal !== undefined) {
      this.disconnect({ kind: "fail", code: terminal, message: `server closed the connection (${detail})` });
    } else if (!info.opened) {
      const code = info.timedOut ? "connect_timeout" : "connection_failed";
      const message = info.timedOut ? `no handshake within ${this.options.connectTimeoutMs} ms` : `WebSocket connection failed (${detail})`;
      this.disconnect({ kind: "socket", code, message, replace: false });
    } else {
      this.disconnect({ kind: "socket", code: "connection_lost", message: `WebSocket closed (${detail})`, replace: false });
    }
  }

  private onSocketMessage(id: number, data: unknown): void {
    if (this.stale(id, this.socketId)) return;
    const c = this.counters;
    const now = this.options.clock.now();
    c.messages++;
    c.messageRate.add(1, now);
    // A probe made while polling is not the stream's transport yet (see switchToWebSocket).
    if (this.activeTransport === "websocket") this.lastMessageAt = now;
    this.heartbeat.noteMessage();
    if (typeof data !== "string") {
      c.parseErrors.binary++;
      this.reportError("binary_frame", "received a binary WebSocket message; the protocol is text only");
      return;
    }
    c.bytes += data.length;
    const parsed = parseServerFrame(data, { maxBytes: this.options.maxFrameBytes });
    if (!parsed.ok) {
      c.parseErrors[parsed.code]++;
      this.reportError(parsed.code, parsed.message);
      if (parsed.seq !== undefined && this.socketEpoch === this.pipeline.epoch) this.pipeline.rejected(parsed.seq);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case "hello":
        return this.onHello(frame);
      case "subscribed":
        return this.onSubscribed(frame);
      case "data":
      case "events":
        if (this.socketEpoch !== this.pipeline.epoch) return;
        // Make-before-break: the socket's stream reaches back to (or before) the cursor, so
        // from here on it alone delivers everything after it.
        if (this.activeTransport === "polling" && this.socketPhase === "subscribed" && frame.seq <= this.pipeline.seq + 1) {
          this.switchToWebSocket();
        }
        return this.pipeline.offer(frame);
      case "gap":
        if (this.socketEpoch === this.pipeline.epoch) this.pipeline.gap(frame);
        return;
      case "pong": {
        const sample = this.heartbeat.handlePong(frame);
        if (sample === null) return;
        this.rttMs = sample.rttMs;
        this.clockOffsetMs = sample.clockOffsetMs;
        this.emitter.emit("heartbeat", sample);
        return;
      }
      case "error":
        return this.onServerError(frame);
    }
  }

  private onHello(frame: HelloFrame): void {
    if (frame.protocol !== PROTOCOL_VERSION) {
      this.disconnect({ kind: "fail", code: "protocol_mismatch", message: `server speaks protocol ${frame.protocol}, this client ${PROTOCOL_VERSION}` });
      return;
    }
    this.socketEpoch = frame.epoch;
    this.installCatalogue(frame.metrics);
    this.pipeline.adoptEpoch(frame.epoch);
    const { type: _type, ...hello } = frame;
    this.emitter.emit("hello", { ...hello, transport: "websocket" });
    if (this.socketId === null) return; // a hello listener closed the manager
    this.sendSubscribe();
  }

  private installCatalogue(metrics: readonly MetricInfo[]): void {
    this.store.setCatalogue(metrics);
    this.unknownReported.clear();
    this.prefiller.catalogueInstalled();
  }

  private sendSubscribe(): void {
    if (this.socketId === null) return;
    const { since, epoch } = this.pipeline.resumePoint();
    const message = encodeClientMessage({ type: "subscribe", metrics: this.subscription === "*" ? "*" : [...this.subscription], since, epoch, events: this.options.events });
    if (this.socketTransport.send(this.socketId, message)) this.socketPhase = "subscribing";
  }

  private onSubscribed(frame: SubscribedFrame): void {
    if (this.socketEpoch !== this.pipeline.epoch) {
      // A poll reply saw a newer epoch after this socket's hello: its stream is outdated.
      this.disconnect({ kind: "socket", code: "connection_lost", message: "the socket's epoch is outdated", replace: true });
      return;
    }
    // First contact: the stream continues after what the server applied (its newest seq
    // for a live-only subscription).
    if (!this.pipeline.positionKnown) this.pipeline.startLive((frame.since ?? frame.seq) + 1);
    this.socketPhase = "subscribed";
    if (this.activeTransport === "websocket") this.markConnected("subscribed");
  }

  private onServerError(frame: ErrorFrame): void {
    this.counters.serverErrors++;
    this.emitter.emit("error", { code: "server_error", message: frame.message, fatal: false, serverCode: frame.code });
  }

  // ------------------------------------------------------------------------------------------
  // Polling callbacks
  // ------------------------------------------------------------------------------------------

  private onPollCatalogue(id: number, metrics: MetricInfo[]): void {
    if (this.stale(id, this.pollId)) return;
    this.installCatalogue(metrics);
    this.helloPending = true;
  }

  private onPollResponse(id: number, response: PollResponse, bytes: number): void {
    if (this.stale(id, this.pollId)) return;
    const c = this.counters;
    const now = this.options.clock.now();
    c.messages++;
    c.bytes += bytes;
    c.messageRate.add(1, now);
    this.lastMessageAt = now;
    this.failures = 0;
    if (this.pipeline.isRetired(response.epoch)) return;
    this.pipeline.adoptEpoch(response.epoch);
    if (this.helloPending) {
      // The catalogue came over HTTP: announce it like a WebSocket hello.
      this.helloPending = false;
      const { source, epoch, serverTime, seq, oldestSeq } = response;
      this.emitter.emit("hello", { transport: "polling", source, epoch, serverTime, seq, oldestSeq, metrics: this.store.catalogue() });
      if (this.pollId !== id) return; // a hello listener closed the manager
    }
    if (response.unknownMetrics !== undefined) this.reportUnknownMetrics(response.unknownMetrics, "is not in the catalogue; the server ignores it");
    if (!this.pipeline.positionKnown) this.pipeline.startLive(response.frames.length > 0 ? response.frames[0].seq : response.seq + 1);
    if (response.gap !== undefined) this.pipeline.gap(response.gap);
    for (const frame of response.frames) this.pipeline.offer(frame);
  }

  private onPollFailure(id: number, failure: HttpFailure, consecutive: number): void {
    if (this.stale(id, this.pollId)) return;
    if (failure.code === "http" && (failure.status === 401 || failure.status === 403)) {
      const code = failure.status === 401 ? "unauthorized" : "forbidden";
      this.disconnect({ kind: "fail", code, message: failure.message });
      return;
    }
    if (failure.code !== "http" && failure.code !== "network" && failure.code !== "timeout") this.counters.parseErrors[failure.code]++;
    this.counters.bytes += failure.bytes;
    this.reportError("poll_failed", `${failure.message} (${consecutive} in a row)`);
    this.failures++;
    if (this.failures > this.options.maxRetries) {
      this.disconnect({ kind: "fail", code: "max_retries", message: `gave up after ${this.failures} consecutive failures (maxRetries ${this.options.maxRetries}); last: ${failure.message}` });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reporting
  // ------------------------------------------------------------------------------------------

  private reportError(code: ManagerErrorCode, message: string, fatal = false): void {
    this.emitter.emit("error", { code, message, fatal });
  }

  private reportUnknownMetrics(ids: readonly string[], what = "is not in the catalogue; its data was ignored"): void {
    for (const id of ids) {
      if (this.unknownReported.has(id)) continue;
      this.unknownReported.add(id);
      this.reportError("unknown_metric", `metric ${JSON.stringify(id.slice(0, 80))} ${what}`);
    }
  }
}
