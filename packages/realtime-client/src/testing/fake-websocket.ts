/**
 * A scriptable in-memory WebSocket for tests where timing and message order must be exact.
 *
 * `createFakeWebSocket()` returns a fresh class (pass it as the manager's `WebSocket` option)
 * and the sockets it creates. The test plays the server's side of each socket with
 * `acceptUpgrade()`, `receive()`, `serverClose()` and `fail()`, and reads what the client sent
 * in `sent` (parsed) and `sentText` (as sent). Events are dispatched synchronously, except the
 * close that follows the client's own `close()`, which arrives in a microtask like a real
 * socket's (or when the test says so, with `holdClose`).
 *
 * The class follows the WHATWG WebSocket where the client can observe it: `readyState` and its
 * constants, `send()` throwing while connecting and discarding once closing, `close()`
 * validating its code and reason, failing a connection that had not opened yet (`error`, then
 * `close` 1006), and both `addEventListener` and the `on*` handler properties.
 *
 * @module
 */

import type { ClientMessage } from "@pulseboard/protocol";

/** `readyState` values, as on the WHATWG WebSocket. */
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** The event types a WebSocket dispatches. */
type SocketEventType = "open" | "message" | "error" | "close";

/**
 * An event the fake socket dispatches. Plain objects shaped like the DOM events: `open` and
 * `error` carry only `type` and `target`, `message` adds `data`, `close` adds `code`, `reason`
 * and `wasClean`.
 *
 * @example
 * ```ts
 * socket.addEventListener("close", (event: FakeSocketEvent) => console.log(event.code, event.reason));
 * ```
 */
export interface FakeSocketEvent {
  readonly type: SocketEventType;
  /** The socket that dispatched the event. */
  readonly target: FakeSocket;
  /** `message` only: the message, a string for text (as `receive()` delivered it). */
  readonly data?: unknown;
  /** `close` only: the close code (1006 when the connection failed). */
  readonly code?: number;
  /** `close` only: the close reason. */
  readonly reason?: string;
  /** `close` only: whether the closing handshake completed. */
  readonly wasClean?: boolean;
}

/** A listener or `on*` handler of a {@link FakeSocket}. */
type SocketListener = (event: FakeSocketEvent) => void;

/**
 * One fake socket: the client's side is the WebSocket API, the server's side is driven by the
 * test.
 *
 * @example
 * ```ts
 * const ws = createFakeWebSocket();
 * manager.connect();
 * const socket = await ws.waitForSocket();
 * socket.acceptUpgrade();                      // the handshake completes: "open"
 * socket.receive(helloFrame());                // a server frame, JSON-encoded for you
 * expect(socket.sent.at(-1)).toMatchObject({ type: "subscribe" });
 * socket.serverClose(4401, "token rejected");  // or socket.fail() for a dropped connection
 * ```
 */
export interface FakeSocket {
  // --- The client's side: the WebSocket API ---------------------------------------------
  /** The URL the client connected to. */
  readonly url: string;
  /** The subprotocols the client asked for (an empty list when none). */
  readonly protocols: readonly string[];
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /**
   * Send a message. Throws an `InvalidStateError` while connecting and discards the message
   * once closing or closed, as a browser does.
   */
  send(data: string): void;
  /**
   * Close the socket. Throws an `InvalidAccessError` for a code other than 1000 or 3000-4999
   * and a `SyntaxError` for a reason over 123 bytes, as a browser does. A socket still
   * connecting fails (`error`, then `close` 1006); an open one closes with the given code.
   */
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
  onopen: ((event: FakeSocketEvent) => void) | null;
  onmessage: ((event: FakeSocketEvent) => void) | null;
  onerror: ((event: FakeSocketEvent) => void) | null;
  onclose: ((event: FakeSocketEvent) => void) | null;

  // --- The server's side, driven by the test ----------------------------------------------
  /** The creating kit's clock (`Date.now()` by default) when the client created the socket. */
  readonly createdAt: number;
  /**
   * Messages the client sent that were JSON, parsed, oldest first. Typed as the protocol's
   * client messages; a test of other code may read them as whatever it sends.
   */
  readonly sent: ClientMessage[];
  /** Every message the client sent, as sent, oldest first. */
  readonly sentText: readonly string[];
  /** The code and reason the client passed to `close()`, once it did. */
  readonly closedByClient: { code: number | undefined; reason: string | undefined } | null;
  /**
   * When true, a `close()` by the client leaves the socket CLOSING until the test calls
   * `completeClose()`: a slow closing handshake. Default false (the close completes in a
   * microtask).
   */
  holdClose: boolean;
  /** Finish a close the client started while `holdClose` was true. */
  completeClose(): void;
  /** Complete the opening handshake: OPEN, then `open`. */
  acceptUpgrade(): void;
  /**
   * Deliver a message from the server. Strings, `ArrayBuffer`s, typed arrays and `Blob`s
   * arrive as they are; anything else (a frame object) is JSON-encoded. Allowed while OPEN and
   * while CLOSING (a message that was already in flight); throws otherwise.
   */
  receive(message: unknown): void;
  /** The server closes the connection cleanly: CLOSED, then `close` with this code. */
  serverClose(code: number, reason?: string): void;
  /** The connection fails (refused, reset, dropped): CLOSED, `error`, then `close` 1006. */
  fail(): void;
  /** Listeners attached with `addEventListener` (for leak checks). */
  listenerCount(): number;
}

/**
 * The class a {@link FakeWebSocketKit} hands to the code under test. It has the WHATWG
 * constants (`CONNECTING`, `OPEN`, `CLOSING`, `CLOSED`) as statics, so it fits
 * `WebSocketManagerOptions.WebSocket`.
 *
 * @example
 * ```ts
 * const { WebSocket } = createFakeWebSocket();
 * const manager = new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket });
 * ```
 */
export interface FakeWebSocketClass {
  new (url: string, protocols?: string | string[]): FakeSocket;
  readonly CONNECTING: number;
  readonly OPEN: number;
  readonly CLOSING: number;
  readonly CLOSED: number;
}

/**
 * Options of {@link createFakeWebSocket}.
 *
 * @example
 * ```ts
 * // Refuse every connection, stamping sockets with a manual clock's time.
 * const clock = createManualClock(0);
 * const ws = createFakeWebSocket({ now: clock.now, onCreate: (socket) => queueMicrotask(() => socket.fail()) });
 * ```
 */
export interface FakeWebSocketOptions {
  /** Called with each new socket, at the end of its constructor. */
  onCreate?: (socket: FakeSocket) => void;
  /** The time source of `createdAt`. @default Date.now */
  now?: () => number;
}

/**
 * What {@link createFakeWebSocket} returns: the class and the sockets made from it.
 *
 * @example
 * ```ts
 * const ws = createFakeWebSocket();
 * const manager = new WebSocketManager({ url, WebSocket: ws.WebSocket });
 * manager.connect();
 * const first = await ws.waitForSocket();
 * first.fail();
 * const second = await ws.waitForSocket(2); // the reconnect
 * expect(ws.live()).toEqual([second]);
 * ```
 */
export interface FakeWebSocketKit {
  /** Pass this as the `WebSocket` option. */
  WebSocket: FakeWebSocketClass;
  /** Every socket created so far, oldest first. */
  readonly sockets: readonly FakeSocket[];
  /** The newest socket; throws if none was created yet. */
  last(): FakeSocket;
  /** Sockets connecting or open (not closing or closed). */
  live(): FakeSocket[];
  /**
   * Resolve with the `count`-th socket (1-based) as soon as it exists: at once if it already
   * does. Clients usually create their socket asynchronously, after `connect()` returns; with
   * fake timers, advance them (they do not move by themselves) instead of awaiting this.
   * @param count - which socket to wait for. @default 1
   */
  waitForSocket(count?: number): Promise<FakeSocket>;
}

function domException(message: string, name: string): Error {
  // DOMException is global in browsers and in Node 17+.
  return typeof DOMException === "function" ? new DOMException(message, name) : Object.assign(new Error(message), { name });
}

function isBinary(message: unknown): boolean {
  return (
    message instanceof ArrayBuffer ||
    ArrayBuffer.isView(message) ||
    (typeof Blob === "function" && message instanceof Blob)
  );
}

/**
 * Create a fake WebSocket class and the record of the sockets it makes. Each call gives an
 * independent class, so tests do not share sockets.
 *
 * @param options - a hook called with each new socket, and the clock of `createdAt`.
 * @returns the class, the sockets, and ways to find them.
 *
 * @example
 * ```ts
 * import { WebSocketManager } from "@pulseboard/realtime-client";
 * import { createFakeWebSocket, handshake } from "@pulseboard/realtime-client/testing";
 *
 * const ws = createFakeWebSocket();
 * const manager = new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: ws.WebSocket });
 * manager.connect();
 * const socket = await ws.waitForSocket();
 * handshake(socket); // accept, hello, subscribed
 * expect(manager.state).toBe("open");
 * ```
 */
export function createFakeWebSocket(options: FakeWebSocketOptions = {}): FakeWebSocketKit {
  const { onCreate, now = () => Date.now() } = options;
  const sockets: FakeSocket[] = [];
  const waiters: { count: number; resolve: (socket: FakeSocket) => void }[] = [];

  class FakeWebSocket implements FakeSocket {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSING = CLOSING;
    static readonly CLOSED = CLOSED;
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSING = CLOSING;
    readonly CLOSED = CLOSED;
    readonly url: string;
    readonly protocols: readonly string[];
    readonly createdAt = now();
    readyState = CONNECTING;
    binaryType = "blob";
    bufferedAmount = 0;
    extensions = "";
    protocol = "";
    onopen: SocketListener | null = null;
    onmessage: SocketListener | null = null;
    onerror: SocketListener | null = null;
    onclose: SocketListener | null = null;
    readonly sent: ClientMessage[] = [];
    readonly sentText: string[] = [];
    closedByClient: { code: number | undefined; reason: string | undefined } | null = null;
    holdClose = false;
    private pendingClose: (() => void) | null = null;
    private readonly listeners = new Map<string, Set<SocketListener>>();

    constructor(url: string, protocols: string | string[] = []) {
      this.url = url;
      this.protocols = typeof protocols === "string" ? [protocols] : [...protocols];
      sockets.push(this);
      onCreate?.(this);
      for (const waiter of waiters.filter((w) => w.count <= sockets.length)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(sockets[waiter.count - 1]);
      }
    }

    // Listeners are typed by the event they expect; the fake hands each the right shape.
    addEventListener(type: string, listener: (event: never) => void): void {
      let set = this.listeners.get(type);
      if (set === undefined) this.listeners.set(type, (set = new Set()));
      set.add(listener as SocketListener);
    }

    removeEventListener(type: string, listener: (event: never) => void): void {
      this.listeners.get(type)?.delete(listener as SocketListener);
    }

    listenerCount(): number {
      let n = 0;
      for (const set of this.listeners.values()) n += set.size;
      return n;
    }

    send(data: string): void {
      if (this.readyState === CONNECTING) throw domException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", "InvalidStateError");
      if (this.readyState !== OPEN) return; // a browser discards it
      const text = String(data);
      this.sentText.push(text);
      try {
        this.sent.push(JSON.parse(text) as ClientMessage);
      } catch {
        // Not JSON: it is in sentText only.
      }
    }

    close(code?: number, reason?: string): void {
      if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
        throw domException(`Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, "InvalidAccessError");
      }
      if (reason !== undefined && new TextEncoder().encode(reason).length > 123) {
        throw domException("Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.", "SyntaxError");
      }
      if (this.readyState >= CLOSING) return;
      const wasConnecting = this.readyState === CONNECTING;
      this.closedByClient = { code, reason };
      this.readyState = CLOSING;
      this.pendingClose = () => {
        this.pendingClose = null;
        if (this.readyState === CLOSED) return;
        this.readyState = CLOSED;
        if (wasConnecting) this.dispatch("error", {});
        this.dispatch("close", { code: wasConnecting ? 1006 : (code ?? 1005), reason: wasConnecting ? "" : (reason ?? ""), wasClean: !wasConnecting });
      };
      if (!this.holdClose) queueMicrotask(() => this.pendingClose?.());
    }

    completeClose(): void {
      this.pendingClose?.();
    }

    acceptUpgrade(): void {
      if (this.readyState !== CONNECTING) throw new Error(`acceptUpgrade: the socket is not connecting (readyState ${this.readyState})`);
      this.readyState = OPEN;
      this.dispatch("open", {});
    }

    receive(message: unknown): void {
      // CLOSING is allowed: a real socket still delivers messages that were in flight.
      if (this.readyState !== OPEN && this.readyState !== CLOSING) throw new Error(`receive: the socket is not open (readyState ${this.readyState})`);
      const data = typeof message === "string" || isBinary(message) ? message : JSON.stringify(message);
      this.dispatch("message", { data });
    }

    serverClose(code: number, reason = ""): void {
      if (this.readyState === CLOSED) return;
      this.readyState = CLOSED;
      this.dispatch("close", { code, reason, wasClean: true });
    }

    fail(): void {
      if (this.readyState === CLOSED) return;
      this.readyState = CLOSED;
      this.dispatch("error", {});
      this.dispatch("close", { code: 1006, reason: "", wasClean: false });
    }

    private dispatch(type: SocketEventType, fields: Partial<FakeSocketEvent>): void {
      const event: FakeSocketEvent = { ...fields, type, target: this };
      for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
      const handler = type === "open" ? this.onopen : type === "message" ? this.onmessage : type === "error" ? this.onerror : this.onclose;
      handler?.(event);
    }
  }

  return {
    WebSocket: FakeWebSocket,
    sockets,
    last() {
      const socket = sockets[sockets.length - 1];
      if (socket === undefined) throw new Error("no socket was created");
      return socket;
    },
    live() {
      return sockets.filter((s) => s.readyState < CLOSING);
    },
    waitForSocket(count = 1) {
      if (!Number.isInteger(count) || count < 1) return Promise.reject(new RangeError(`waitForSocket: count must be a positive integer, got ${count}`));
      const existing = sockets[count - 1];
      if (existing !== undefined) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}
