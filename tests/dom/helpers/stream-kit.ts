/**
 * The real `WebSocketManager` wired to test doubles: the fake socket above, a frame scheduler
 * that runs only when the test calls `frame()` (one "paint"), no environment hooks and no
 * HTTP. `open()` plays a server's greeting; `data()` and `events()` send stream frames.
 */
import { noopEnvironment, WebSocketManager, type FrameScheduler, type MetricInfo, type StreamEvent, type WebSocketManagerOptions } from "@pulseboard/realtime-client";
import { createFakeSocketKit, type FakeSocket, type FakeSocketKit } from "./fake-socket.ts";

/** A frame scheduler driven by hand. */
export interface ManualScheduler extends FrameScheduler {
  /** Run every callback requested so far. */
  frame(): void;
  readonly pending: number;
}

export function manualScheduler(): ManualScheduler {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  return {
    request(cb) {
      callbacks.set(++next, cb);
      return next;
    },
    cancel(handle) {
      callbacks.delete(handle as number);
    },
    frame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb();
    },
    get pending() {
      return callbacks.size;
    },
  };
}

export const T0 = 1_700_000_000_000;

export const CATALOGUE: MetricInfo[] = [
  { id: "cpu.usage", label: "CPU usage", unit: "%", kind: "gauge", group: "system", rateHz: 10 },
  { id: "memory.usage", label: "Memory usage", unit: "%", kind: "gauge", group: "system", rateHz: 10 },
  { id: "requests.rate", label: "Requests", unit: "req/s", kind: "rate", group: "traffic", rateHz: 10 },
];

export interface StreamKit {
  manager: WebSocketManager;
  sockets: FakeSocketKit;
  scheduler: ManualScheduler;
  /** The live socket after `open()`. */
  socket(): FakeSocket;
  /** Let the client's promise chain and zero-delay timers run. */
  settle(): Promise<void>;
  /** Connect (if needed), accept, hello, subscribed. */
  open(metrics?: MetricInfo[]): Promise<FakeSocket>;
  /** Send one data frame: `{ id: [values...] }`, samples 100 ms apart after the previous ones. */
  data(series: Record<string, number[]>): void;
  /** Send one events frame. */
  events(events: Partial<StreamEvent>[]): void;
  /** Deliver what arrived since the last paint. */
  frame(): void;
}

export function createStreamKit(options: Partial<WebSocketManagerOptions> = {}): StreamKit {
  const sockets = createFakeSocketKit();
  const scheduler = manualScheduler();
  const manager = new WebSocketManager({
    url: "ws://127.0.0.1:9/ws",
    WebSocket: sockets.WebSocket,
    frameScheduler: scheduler,
    environment: noopEnvironment,
    fetch: () => Promise.reject(new Error("no HTTP in dom tests")),
    history: { backfill: false },
    fallback: { enabled: false },
    heartbeat: { intervalMs: 60_000, timeoutMs: 120_000 },
    ...options,
  });
  let seq = 0;
  let t = T0;
  let eventId = 0;
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return {
    manager,
    sockets,
    scheduler,
    socket: () => sockets.last(),
    settle,
    async open(metrics = CATALOGUE) {
      if (manager.state === "idle" || manager.state === "closed" || manager.state === "failed") manager.connect();
      await settle();
      const socket = sockets.last();
      socket.acceptUpgrade();
      socket.receive({ type: "hello", protocol: 1, source: "default", epoch: "e1", serverTime: T0, seq, oldestSeq: 1, retentionMs: 120_000, tickMs: 100, metrics });
      socket.receive({ type: "subscribed", metrics: "*", since: null, seq });
      return socket;
    },
    data(series) {
      const frame: Record<string, { t: number[]; v: number[] }> = {};
      let n = 0;
      for (const [id, values] of Object.entries(series)) {
        frame[id] = { t: values.map((_, i) => t + (i + 1) * 100), v: values };
        n = Math.max(n, values.length);
      }
      t += n * 100;
      sockets.last().receive({ type: "data", seq: ++seq, series: frame });
    },
    events(events) {
      sockets.last().receive({
        type: "events",
        seq: ++seq,
        events: events.map((e) => ({ id: ++eventId, t: T0 + eventId, level: "info", kind: "log", source: "api", text: `event ${eventId}`, ...e })),
      });
    },
    frame: () => scheduler.frame(),
  };
}
