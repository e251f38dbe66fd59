/**
 * A scriptable in-memory WebSocket: the dashboard's tests pass its class to the real
 * `WebSocketManager` and play the server's side by hand (accept, send frames, close).
 * Events are dispatched synchronously, so a test controls exactly when data arrives.
 */

type Listener = (event: unknown) => void;

export interface FakeSocket {
  readonly url: string;
  readyState: number;
  /** Messages the client sent, parsed. */
  readonly sent: Record<string, unknown>[];
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
  /** Server side: complete the opening handshake. */
  acceptUpgrade(): void;
  /** Server side: deliver a message (objects are JSON-encoded). */
  receive(message: unknown): void;
  /** Server side: close with a code. */
  serverClose(code: number, reason?: string): void;
  /** The connection fails before or after opening (error, then close 1006). */
  fail(): void;
}

export interface FakeSocketKit {
  WebSocket: { new (url: string): FakeSocket; readonly CLOSING: number };
  sockets: FakeSocket[];
  last(): FakeSocket;
}

export function createFakeSocketKit(): FakeSocketKit {
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
    readyState = 0;
    binaryType = "blob";
    readonly sent: Record<string, unknown>[] = [];
    private readonly listeners = new Map<string, Set<Listener>>();

    constructor(readonly url: string) {
      sockets.push(this);
    }

    addEventListener(type: string, listener: (event: never) => void): void {
      let set = this.listeners.get(type);
      if (set === undefined) this.listeners.set(type, (set = new Set()));
      set.add(listener as Listener);
    }

    removeEventListener(type: string, listener: (event: never) => void): void {
      this.listeners.get(type)?.delete(listener as Listener);
    }

    send(data: string): void {
      if (this.readyState !== 1) throw new Error("socket is not open");
      this.sent.push(JSON.parse(data) as Record<string, unknown>);
    }

    close(code?: number, reason?: string): void {
      if (this.readyState >= 2) return;
      const wasConnecting = this.readyState === 0;
      this.readyState = 2;
      queueMicrotask(() => {
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.dispatch("close", { type: "close", code: wasConnecting ? 1006 : (code ?? 1005), reason: reason ?? "" });
      });
    }

    acceptUpgrade(): void {
      this.readyState = 1;
      this.dispatch("open", { type: "open" });
    }

    receive(message: unknown): void {
      this.dispatch("message", { type: "message", data: typeof message === "string" ? message : JSON.stringify(message) });
    }

    serverClose(code: number, reason = ""): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.dispatch("close", { type: "close", code, reason });
    }

    fail(): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.dispatch("error", { type: "error" });
      this.dispatch("close", { type: "close", code: 1006, reason: "" });
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
  };
}
