/**
 * The WebSocket transport: partysocket's reconnecting WebSocket (`partysocket/ws`, the
 * maintained fork of reconnecting-websocket, "RWS" below) owns the socket lifecycle, the
 * manager owns every decision.
 *
 * How the two are joined, and why:
 *
 * - Delays. RWS's own reconnect delay grows geometrically with no jitter, so every client of
 *   a restarted server would come back in lockstep, and its wait is a plain global timer that
 *   nothing can cut short. RWS is therefore configured with zero delays, and the wait happens
 *   in its async URL provider, which RWS awaits before each connection attempt: the provider
 *   asks the manager how long to wait (full-jitter backoff, or the probe interval while
 *   polling) and sleeps on the injected clock. Because the wait is ours, `retryNow()` can cut
 *   it short (network back, tab visible) and `stop()` cancels it. RWS's `maxRetries` stays
 *   at Infinity: the manager counts consecutive failures of both transports in one place.
 *   (reconnecting-websocket 4.4.0, used before, also kept its connect lock taken once
 *   `maxRetries` was reached, so that `reconnect()` did nothing afterwards; partysocket
 *   releases it, but nothing here depends on that either way.)
 * - Connect timeout. RWS's `connectionTimeout` aborts an opening handshake that hangs. RWS
 *   reports it as an error whose message is `TIMEOUT`; read through `onerror`, which gets
 *   RWS's own event. The event dispatched to `addEventListener` listeners is a copy, and in
 *   browsers partysocket 1.3.0 copies its ErrorEvent without the message
 *   (`new e.constructor(e.type, e)` passes the type where its constructor takes the error).
 * - Events. We listen on each raw socket ourselves instead of through RWS: after an `error`
 *   RWS reports a synthesized clean close (code 1000) instead of the real one, and its
 *   events do not say which socket they belong to. Each socket gets an id when it is
 *   created; every callback carries it. Our `error` listener also matters in Node: `ws` emits
 *   `error` as an EventEmitter event, which throws when nobody listens.
 * - One socket at a time. RWS closes the old socket before it opens the next; a socket we
 *   give up on (heartbeat timeout) is additionally terminated where the platform allows it,
 *   so a half-open TCP connection is not kept for the closing-handshake timeout.
 * - No queue. RWS would replay messages sent while disconnected on the next socket; a
 *   subscribe meant for the previous connection must never be replayed, so its queue is
 *   disabled and we send on the raw socket only while it is open.
 *
 * @module
 */

import ReconnectingWebSocket from "partysocket/ws";
import type { Clock } from "../scheduling/clock.js";
import type { SocketCloseInfo, WebSocketConstructor, WebSocketLike, WebSocketTransportListener } from "./types.js";
import { WakeableSleep } from "./wakeable-sleep.js";

/** Options of {@link WebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** Full WebSocket URL, query included. */
  url: string;
  /** The WebSocket class to instantiate. */
  WebSocket: WebSocketConstructor;
  /** Abort an opening handshake after this many ms. */
  connectTimeoutMs: number;
  clock: Clock;
  /**
   * Asked right before every attempt except the first of a `start()`: how many ms to wait.
   * By then the manager has been told how the previous socket ended.
   */
  delayBeforeAttempt: () => number;
  /** Allocates socket ids (shared with other transports, so ids never collide). */
  nextId: () => number;
  listener: WebSocketTransportListener;
}

/** Bookkeeping for one raw socket. */
interface SocketRecord {
  readonly id: number;
  readonly socket: WebSocketLike;
  opened: boolean;
  timedOut: boolean;
  /** The manager has been told this socket ended (or asked for it to end). */
  ended: boolean;
}

const OPEN = 1;

/**
 * A WebSocket connection that keeps reconnecting until stopped.
 *
 * @example
 * ```ts
 * const transport = new WebSocketTransport({ url, WebSocket, connectTimeoutMs: 5000, clock,
 *   delayBeforeAttempt: () => 1000, nextId: () => ++id, listener });
 * transport.start();
 * ```
 */
export class WebSocketTransport {
  readonly kind = "websocket";
  private readonly options: WebSocketTransportOptions;
  private rws: ReconnectingWebSocket | null = null;
  private current: SocketRecord | null = null;
  /** Incremented by start/stop; a provider call or socket of an older run is ignored. */
  private run = 0;
  private readonly sleeper: WakeableSleep;

  /** @param options - see {@link WebSocketTransportOptions}. */
  constructor(options: WebSocketTransportOptions) {
    this.options = options;
    this.sleeper = new WakeableSleep(options.clock);
  }

  /** Whether the transport is running (between `start()` and `stop()`). */
  get running(): boolean {
    return this.rws !== null;
  }

  /** Whether the transport is waiting before its next attempt. */
  get waiting(): boolean {
    return this.sleeper.sleeping;
  }

  /** Start connecting now; later attempts wait as the manager says. No-op when running. */
  start(): void {
    if (this.rws !== null) return;
    const run = ++this.run;
    let attempts = 0;
    // A subclass per run: RWS instantiates it, and the constructor hands us each raw socket
    // before RWS attaches its own listeners.
    const Base = this.options.WebSocket;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the subclass constructor has its own `this`
    const transport = this;
    class TrackedWebSocket extends Base {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        transport.adopt(this, run);
      }
    }
    const provideUrl = async (): Promise<string> => {
      this.retire(run);
      if (run === this.run && attempts++ > 0) {
        const delay = this.options.delayBeforeAttempt();
        if (delay > 0 && run === this.run) await this.sleeper.sleep(delay);
      }
      // After stop(), RWS checks its own closed flag right after this resolves and creates
      // no socket, so returning the URL is safe.
      return this.options.url;
    };
    const rws = new ReconnectingWebSocket(provideUrl, undefined, {
      WebSocket: TrackedWebSocket,
      connectionTimeout: this.options.connectTimeoutMs,
      minReconnectionDelay: 0,
      maxReconnectionDelay: 0,
      reconnectionDelayGrowFactor: 1,
      maxRetries: Infinity,
      maxEnqueuedMessages: 0,
      startClosed: true,
    });
    rws.onerror = (event) => {
      // RWS reports its connect timeout as an error with message TIMEOUT, before the aborted
      // socket's own close arrives (onerror, not a listener: see the module documentation).
      if (event.message === "TIMEOUT" && this.current !== null && !this.current.opened) {
        this.current.timedOut = true;
      }
    };
    this.rws = rws;
    rws.reconnect();
  }

  /**
   * Drop the current socket (for example after a heartbeat timeout) and connect again after
   * `delayBeforeAttempt()`. The dropped socket is forgotten at once: its close is not
   * reported, and messages still in flight carry its old id (the manager ignores them).
   *
   * @param code - close code sent if the socket is open (3000-4999 or 1000).
   * @param reason - close reason.
   */
  reconnect(code: number, reason: string): void {
    const rws = this.rws;
    if (rws === null) return;
    const record = this.current;
    if (record !== null) record.ended = true;
    rws.reconnect(code, reason);
    if (record !== null) record.socket.terminate?.();
  }

  /**
   * End the wait before the next attempt, if one is in progress.
   * @returns whether a wait was cut short.
   */
  retryNow(): boolean {
    return this.sleeper.wake();
  }

  /**
   * Send text on socket `id` if it is the current socket and open.
   * @param id - the socket the message is meant for.
   * @param text - the message.
   * @returns whether it was sent.
   */
  send(id: number, text: string): boolean {
    const record = this.current;
    if (record === null || record.id !== id || record.ended || record.socket.readyState !== OPEN) return false;
    record.socket.send(text);
    return true;
  }

  /**
   * Close the socket and stop reconnecting; no callback follows. `start()` may be called again.
   * @param code - close code.
   * @param reason - close reason.
   * @default code 1000
   */
  stop(code = 1000, reason = "client closed"): void {
    const rws = this.rws;
    if (rws === null) return;
    this.rws = null;
    this.run++;
    const record = this.current;
    this.current = null;
    if (record !== null) record.ended = true;
    this.sleeper.wake();
    rws.close(code, reason);
  }

  /** Called from the socket subclass's constructor: attach our listeners, tagged with an id. */
  private adopt(socket: WebSocketLike, run: number): void {
    const record: SocketRecord = { id: this.options.nextId(), socket, opened: false, timedOut: false, ended: false };
    // Error listener first and unconditionally: in Node, an `error` without listeners throws.
    socket.addEventListener("error", () => {});
    if (run !== this.run) {
      record.ended = true;
      socket.close();
      return;
    }
    this.current = record;
    const listener = this.options.listener;
    listener.onAttempt(record.id);
    // Open and message events are passed on even for a socket we gave up on: the manager
    // compares ids and ignores (and counts) what comes from a socket it no longer trusts.
    socket.addEventListener("open", () => {
      record.opened = true;
      listener.onOpen(record.id);
    });
    socket.addEventListener("message", (event) => {
      listener.onMessage(record.id, event.data);
    });
    socket.addEventListener("close", (event) => {
      this.end(record, { code: event.code, reason: event.reason, opened: record.opened, timedOut: record.timedOut });
    });
  }

  /**
   * RWS is about to start the next attempt, so the previous socket is finished even if its
   * own close event has not arrived yet (browsers may deliver it after RWS moved on). Make
   * sure the manager heard about it before it is asked for the next delay.
   */
  private retire(run: number): void {
    const record = this.current;
    if (run !== this.run || record === null || record.ended) return;
    const reason = record.timedOut ? "connect timeout" : "connection lost";
    this.end(record, { code: 1006, reason, opened: record.opened, timedOut: record.timedOut });
  }

  private end(record: SocketRecord, info: SocketCloseInfo): void {
    if (record.ended) return;
    record.ended = true;
    this.options.listener.onClose(record.id, info);
  }
}
