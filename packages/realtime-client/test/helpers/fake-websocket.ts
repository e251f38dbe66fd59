/**
 * A scriptable in-memory WebSocket for tests where timing and message order must be exact.
 *
 * `createFakeWebSocket()` returns a fresh class (pass it as the manager's `WebSocket` option)
 * and the list of sockets it created. Each socket plays the server's side through
 * `acceptUpgrade()`, `receive()`, `serverClose()` and `fail()`, and records what the client
 * sent in `sent`. Events are dispatched synchronously, except the close that follows the
 * client's own `close()`, which arrives in a microtask like a real socket's.
 *
 * To extend it, add another server-side method that changes `readyState` and dispatches the
 * matching event; the client only uses what {@link WebSocketLike} declares.
 */

type Listener = (event: unknown) => void;

export interface FakeSocket {
  // The client's side, as a browser WebSocket.
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
  // The server's side, driven by the test.
  readonly url: string;
  /** `Date.now()` when the client created it (fake timers make this exact). */
  readonly createdAt: number;
  readyState: number;
  /** Messages the client sent, parsed as JSON. */
  readonly sent: Record<string, unknown>[];
  /** Close code/reason the client passed to close(), if it did. */
  closedByClient: { code: number | undefined; reason: string | undefined } | null;
  /** When true, a client close() stays CLOSING until `completeClose()` (a slow closing handshake). */
  holdClose: boolean;
  completeClose(): void;
  acceptUpgrade(): void;
  /** Deliver a message: objects are JSON-encoded, strings and other values are sent as is. */
  receive(message: unknown): void;
  serverClose(code: number, reason?: string): void;
  /** The connection fails (refused, reset): `error` then `close` 1006. */
  fail(): void;
  listenerCount(): number;
}

export interface FakeWebSocketKit {
  WebSocket: { new (url: string, protocols?: string | string[]): FakeSocket; readonly CLOSING: number };
  sockets: FakeSocket[];
  /** The newest socket (throws if none). */
  last(): FakeSocket;
  /** Sockets not yet closed. */
  live(): FakeSocket[];
}

/**
 * @param onCreate - called with each new socket, for example to refuse every connection:
 *   `createFakeWebSocket((s) => queueMicrotask(() => s.fail()))`.
 */
export function createFakeWebSocket(onCreate?: (socket: FakeSocket) => void): FakeWebSocketKit {
  const sockets: FakeSocket[] = [];

  class FakeWebSocket implements FakeSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    readonly url: string;
    readonly createdAt = Date.now();
    readyState = 0;
    binaryType = "blob";
    readonly sent: Record<string, unknown>[] = [];
    closedByClient: { code: number | undefined; reason: string | undefined } | null = null;
    holdClose = false;
    private pendingClose: (() => void) | null = null;
    private readonly listeners = new Map<string, Set<Listener>>();

    constructor(url: string) {
      this.url = url;
      sockets.push(this);
      onCreate?.(this);
    }

    // Listeners are typed by the event they expect; the fake hands each the right shape.
    addEventListener(type: string, listener: (event: never) => void): void {
      let set = this.listeners.get(type);
      if (set === undefined) this.listeners.set(type, (set = new Set()));
      set.add(listener as Listener);
    }

    removeEventListener(type: string, listener: (event: never) => void): void {
      this.listeners.get(type)?.delete(listener as Listener);
    }

    listenerCount(): number {
      let n = 0;
      for (const set of this.listeners.values()) n += set.size;
      return n;
    }

    send(data: string): void {
      if (this.readyState !== 1) throw new Error("InvalidStateError: socket is not open");
      this.sent.push(JSON.parse(data) as Record<string, unknown>);
    }

    close(code?: number, reason?: string): void {
      if (this.readyState >= 2) return;
      const wasConnecting = this.readyState === 0;
      this.closedByClient = { code, reason };
      this.readyState = 2;
      this.pendingClose = () => {
        this.pendingClose = null;
        if (this.readyState === 3) return;
        this.readyState = 3;
        if (wasConnecting) this.dispatch("error", { type: "error" });
        this.dispatch("close", { type: "close", code: wasConnecting ? 1006 : (code ?? 1005), reason: reason ?? "", wasClean: !wasConnecting });
      };
      if (!this.holdClose) queueMicrotask(() => this.pendingClose?.());
    }

    completeClose(): void {
      this.pendingClose?.();
    }

    acceptUpgrade(): void {
      this.readyState = 1;
      this.dispatch("open", { type: "open" });
    }

    receive(message: unknown): void {
      // CLOSING is allowed: a real socket can still deliver messages that were in flight.
      if (this.readyState !== 1 && this.readyState !== 2) throw new Error("cannot receive: socket is not open");
      const data = typeof message === "object" && message !== null && !(message instanceof ArrayBuffer) ? JSON.stringify(message) : message;
      this.dispatch("message", { type: "message", data });
    }

    serverClose(code: number, reason = ""): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.dispatch("close", { type: "close", code, reason, wasClean: true });
    }

    fail(): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.dispatch("error", { type: "error" });
      this.dispatch("close", { type: "close", code: 1006, reason: "", wasClean: false });
    }

    private dispatch(type: string, event: unknown): void {
      for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
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
      return sockets.filter((s) => s.readyState < 2);
    },
  };
}
