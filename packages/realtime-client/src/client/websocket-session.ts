/**
 * The manager's side of the WebSocket: which socket it trusts, and what that socket says.
 *
 * Each socket holds the same conversation:
 *
 * ```
 * open ──▶ hello ──▶ subscribe (since = cursor) ──▶ subscribed ──▶ data, events, gap ...
 *          catalogue, epoch                                         ping ◀──▶ pong (RTT, clock offset)
 * ```
 *
 * - Trust. {@link WebSocketSession.forget} drops the current socket before it is replaced, so
 *   nothing it still says can reach the stream; see ./session-context.ts for the rule.
 * - Epoch. A socket's frames are applied only while its hello's epoch is the stream's: a poll
 *   reply may have moved the stream to a newer epoch in the meantime.
 * - Liveness. The {@link Heartbeat} runs while the socket is open. Silence past its timeout,
 *   a close, a terminal close code or a protocol mismatch all end the connection the same
 *   way: as a {@link DisconnectCause} handed to the manager's disconnect funnel.
 * - Handshake deadline. A socket that opens must say hello and confirm the subscription
 *   within `handshakeTimeoutMs`, or it is replaced. The heartbeat cannot tell: a server (or a
 *   proxy) that lost the hello still answers pings, so the socket looks alive while no
 *   stream will ever flow over it, and the state would stay `connecting` or `reconnecting`.
 * - Holes. Frames lost on the way while the socket stays open leave the cursor holding
 *   every later frame; {@link HoleRepair} resubscribes from the cursor, backing off, and
 *   replaces the socket when that does not help (../stream/hole-repair.ts).
 *
 * The session decides nothing about the connection state. It tells the manager the two
 * moments that matter (subscribed; caught up with the cursor while polling carries the
 * stream) and the manager decides what they mean (./manager.ts).
 *
 * @module
 */

import { Heartbeat } from "../transports/heartbeat.js";
import { HoleRepair } from "../stream/hole-repair.js";
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  encodeClientMessage,
  parseServerFrame,
  type ErrorFrame,
  type HelloFrame,
  type SubscribedFrame,
} from "@pulseboard/protocol";
import type { StreamPipeline } from "../stream/pipeline.js";
import { isStale, type SessionContext, type StreamSink, type SubscriptionSink } from "./session-context.js";
import type { SocketCloseInfo } from "../transports/types.js";
import { WebSocketTransport } from "../transports/websocket-transport.js";
import type { ManagerErrorCode } from "./types.js";

/** Close codes after which retrying cannot help: the reason is ours, not the network's. */
const TERMINAL_CLOSE_CODES: ReadonlyMap<number, ManagerErrorCode> = new Map([
  [CLOSE_CODES.unauthorized, "unauthorized"],
  [CLOSE_CODES.forbidden, "forbidden"],
  [CLOSE_CODES.policyViolation, "policy_violation"],
]);

/** Close code we send when we replace a socket we gave up on: silent, no handshake, a hole it does not fill, or an outdated epoch (application range 4000-4999). */
const CLOSE_GIVEN_UP = 4000;
/** Longest close reason a browser accepts (123 bytes; ours are ASCII). */
const MAX_CLOSE_REASON = 123;

/** How far the current socket got. */
type SocketPhase = "connecting" | "open" | "subscribing" | "subscribed";

/**
 * The stream as the WebSocket session drives it: the cursor operations of every session, the
 * seq of a frame it had to reject (so the cursor stops waiting for it), and the hole the
 * cursor waits on (what hole repair asks the server to replay).
 */
export type SocketStreamSink = StreamSink & Pick<StreamPipeline, "rejected" | "pendingRange">;

/** Options of {@link WebSocketSession}: the shared context, its sinks and the manager's decisions. */
export interface WebSocketSessionOptions extends SessionContext {
  /** Where validated frames and gaps go, and where the stream resumes from. */
  stream: SocketStreamSink;
  /** What to subscribe to, and where a hello's catalogue goes. */
  subscription: SubscriptionSink;
  /** Asked before each attempt after the first: how many ms to wait. */
  delayBeforeAttempt: () => number;
  /** The current socket confirmed the subscription: the stream can flow over it. */
  onSubscribed: () => void;
  /**
   * The subscribed socket delivered a frame at or below the cursor's next seq: its stream
   * reaches the cursor. Said of every such frame; it matters only while polling carries the stream.
   */
  onCaughtUp: () => void;
}

/**
 * One WebSocket conversation at a time, on top of a {@link WebSocketTransport}.
 *
 * @example
 * ```ts
 * const socket = new WebSocketSession({ ...context, delayBeforeAttempt, onSubscribed, onCaughtUp });
 * socket.start();     // connect(): the transport opens the first socket
 * socket.forget();    // disconnect funnel: whatever the current socket still says is stale
 * ```
 */
export class WebSocketSession {
  private readonly options: WebSocketSessionOptions;
  private readonly transport: WebSocketTransport;
  private readonly heartbeat: Heartbeat;
  private readonly holes: HoleRepair;
  /** The handshake deadline of the current socket, armed when it opens. */
  private handshakeTimer: unknown = null;
  /** The socket we trust; callbacks of any other are stale. */
  private socketId: number | null = null;
  private socketPhase: SocketPhase = "connecting";
  /** Epoch announced by the current socket's hello. */
  private socketEpoch: string | null = null;
  private latestRttMs: number | null = null;
  private latestClockOffsetMs: number | null = null;

  /** @param options - see {@link WebSocketSessionOptions}. */
  constructor(options: WebSocketSessionOptions) {
    const o = options.config;
    this.options = options;
    this.heartbeat = new Heartbeat({
      intervalMs: o.heartbeat.intervalMs,
      timeoutMs: o.heartbeat.timeoutMs,
      clock: o.clock,
      sendPing: (ping) => {
        if (this.socketId !== null) this.transport.send(this.socketId, encodeClientMessage(ping));
      },
      onTimeout: (silentMs) =>
        options.disconnect({ kind: "socket", code: "heartbeat_timeout", message: `no message for ${Math.round(silentMs)} ms`, replace: true }),
    });
    this.holes = new HoleRepair({
      clock: o.clock,
      waitMs: o.holeRepair.waitMs,
      maxWaitMs: o.backoff.maxMs,
      maxResubscribes: o.holeRepair.maxResubscribes,
      hole: () => options.stream.pendingRange(),
      resubscribe: (message) => {
        options.counters.resubscribes++;
        this.sendSubscribe();
        options.reportError("seq_hole", message);
      },
      replace: (message) => options.disconnect({ kind: "socket", code: "seq_hole", message, replace: true }),
    });
    this.transport = new WebSocketTransport({
      url: o.wsUrl,
      WebSocket: o.WebSocket,
      connectTimeoutMs: o.connectTimeoutMs,
      clock: o.clock,
      delayBeforeAttempt: options.delayBeforeAttempt,
      nextId: options.nextId,
      listener: {
        onAttempt: (id) => this.onAttempt(id),
        onOpen: (id) => this.onOpen(id),
        onMessage: (id, data) => this.onMessage(id, data),
        onClose: (id, info) => this.onClose(id, info),
      },
    });
  }

  /** Latest heartbeat round trip, ms (null before the first pong). */
  get rttMs(): number | null {
    return this.latestRttMs;
  }

  /** Estimated server clock minus ours, ms (null before the first pong). */
  get clockOffsetMs(): number | null {
    return this.latestClockOffsetMs;
  }

  /** Open the first socket; the transport opens the next ones after each close. */
  start(): void {
    this.transport.start();
  }

  /** Close the socket and cancel any wait: no socket until the next `start()`. */
  stop(): void {
    this.transport.stop();
  }

  /** Stop trusting the current socket: from here on, anything it says is stale. */
  forget(): void {
    this.socketId = null;
    this.socketEpoch = null;
    this.heartbeat.stop();
    this.holes.stop();
    this.clearHandshakeDeadline();
  }

  /** @param reason - why the current socket is closed and replaced by a new one. */
  replace(reason: string): void {
    this.transport.reconnect(CLOSE_GIVEN_UP, reason.slice(0, MAX_CLOSE_REASON));
  }

  /** The subscription changed: send it on a socket that already subscribed (or is subscribing). */
  resubscribe(): void {
    if (this.socketId !== null && (this.socketPhase === "subscribing" || this.socketPhase === "subscribed")) this.sendSubscribe();
  }

  /** @returns whether a backoff (or probe) wait was cut short: the next attempt starts now. */
  retryNow(): boolean {
    return this.transport.retryNow();
  }

  /** Run the heartbeat's deadline check now, for a socket that may have died while timers were frozen. */
  checkLiveness(): void {
    this.heartbeat.check();
  }

  private onAttempt(id: number): void {
    this.options.retries.started("websocket");
    this.socketId = id;
    this.socketPhase = "connecting";
    this.socketEpoch = null;
    this.holes.socketOpened();
  }

  private onOpen(id: number): void {
    if (isStale(id, this.socketId, this.options.counters)) return;
    this.socketPhase = "open";
    this.heartbeat.start();
    this.armHandshakeDeadline(id);
  }

  /** Only a completed handshake proves a stream can flow over the socket; pongs do not. */
  private armHandshakeDeadline(id: number): void {
    const { clock, handshakeTimeoutMs } = this.options.config;
    this.clearHandshakeDeadline();
    this.handshakeTimer = clock.setTimeout(() => {
      this.handshakeTimer = null;
      if (id !== this.socketId || this.socketPhase === "subscribed") return;
      const missing = this.socketEpoch === null ? "hello" : "subscribed";
      this.options.disconnect({ kind: "socket", code: "handshake_timeout", message: `no ${missing} within ${handshakeTimeoutMs} ms of the socket opening`, replace: true });
    }, handshakeTimeoutMs);
  }

  private clearHandshakeDeadline(): void {
    if (this.handshakeTimer === null) return;
    this.options.config.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  private onClose(id: number, info: SocketCloseInfo): void {
    if (isStale(id, this.socketId, this.options.counters)) return;
    const { disconnect, config } = this.options;
    const terminal = TERMINAL_CLOSE_CODES.get(info.code);
    const detail = `code ${info.code}${info.reason === "" ? "" : `, ${info.reason}`}`;
    if (terminal !== undefined) {
      disconnect({ kind: "fail", code: terminal, message: `server closed the connection (${detail})` });
    } else if (!info.opened) {
      const code = info.timedOut ? "connect_timeout" : "connection_failed";
      const message = info.timedOut ? `no handshake within ${config.connectTimeoutMs} ms` : `WebSocket connection failed (${detail})`;
      disconnect({ kind: "socket", code, message, replace: false });
    } else {
      disconnect({ kind: "socket", code: "connection_lost", message: `WebSocket closed (${detail})`, replace: false });
    }
  }

  private onMessage(id: number, data: unknown): void {
    const { counters: c, countMessage, reportError, config } = this.options;
    if (isStale(id, this.socketId, c)) return;
    countMessage("websocket");
    this.heartbeat.noteMessage();
    if (typeof data !== "string") {
      c.parseErrors.binary++;
      reportError("binary_frame", "received a binary WebSocket message; the protocol is text only");
      return;
    }
    c.bytes += data.length;
    const pipeline = this.options.stream;
    const parsed = parseServerFrame(data, { maxBytes: config.maxFrameBytes });
    if (!parsed.ok) {
      c.parseErrors[parsed.code]++;
      reportError(parsed.code, parsed.message);
      if (parsed.seq !== undefined && this.socketEpoch === pipeline.epoch) pipeline.rejected(parsed.seq);
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
        if (this.socketEpoch !== pipeline.epoch) return;
        // Make-before-break: the socket's stream reaches back to (or before) the cursor, so
        // from here on it alone can deliver everything after it.
        if (this.socketPhase === "subscribed" && frame.seq <= pipeline.seq + 1) this.options.onCaughtUp();
        pipeline.offer(frame);
        return this.holes.check();
      case "gap":
        if (this.socketEpoch === pipeline.epoch) pipeline.gap(frame);
        return this.holes.check();
      case "pong": {
        const sample = this.heartbeat.handlePong(frame);
        if (sample === null) return;
        this.latestRttMs = sample.rttMs;
        this.latestClockOffsetMs = sample.clockOffsetMs;
        this.options.emitter.emit("heartbeat", sample);
        return;
      }
      case "error":
        return this.onServerError(frame);
    }
  }

  private onHello(frame: HelloFrame): void {
    if (frame.protocol !== PROTOCOL_VERSION) {
      this.options.disconnect({ kind: "fail", code: "protocol_mismatch", message: `server speaks protocol ${frame.protocol}, this client ${PROTOCOL_VERSION}` });
      return;
    }
    this.socketEpoch = frame.epoch;
    this.options.subscription.installCatalogue(frame.metrics);
    this.options.stream.adoptEpoch(frame.epoch);
    const { type: _type, ...hello } = frame;
    this.options.emitter.emit("hello", { ...hello, transport: "websocket" });
    if (this.socketId === null) return; // a hello listener closed the manager
    this.sendSubscribe();
  }

  private sendSubscribe(): void {
    if (this.socketId === null) return;
    const { stream, subscription, config } = this.options;
    const { since, epoch } = stream.resumePoint();
    const metrics = subscription.subscribed === "*" ? "*" : [...subscription.subscribed];
    const message = encodeClientMessage({ type: "subscribe", metrics, since, epoch, events: config.events });
    if (this.transport.send(this.socketId, message)) this.socketPhase = "subscribing";
  }

  private onSubscribed(frame: SubscribedFrame): void {
    const pipeline = this.options.stream;
    if (this.socketEpoch !== pipeline.epoch) {
      // A poll reply saw a newer epoch after this socket's hello: its stream is outdated.
      this.options.disconnect({ kind: "socket", code: "connection_lost", message: "the socket's epoch is outdated", replace: true });
      return;
    }
    // First contact: the stream continues after what the server applied (its newest seq
    // for a live-only subscription).
    if (!pipeline.positionKnown) pipeline.startLive((frame.since ?? frame.seq) + 1);
    // What the server replays from here up to its head is backlog, not the live rate.
    pipeline.noteBacklog(frame.seq);
    this.socketPhase = "subscribed";
    this.clearHandshakeDeadline();
    this.options.onSubscribed();
    if (this.socketId !== null) this.holes.subscribed(); // unless a state listener closed the manager
  }

  private onServerError(frame: ErrorFrame): void {
    this.options.counters.serverErrors++;
    this.options.emitter.emit("error", { code: "server_error", message: frame.message, fatal: false, serverCode: frame.code });
  }
}
