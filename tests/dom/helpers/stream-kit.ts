/**
 * The real `WebSocketManager` wired for the dashboard's tests with the client's testing kit:
 * a fake socket, a frame scheduler that runs only when the test calls `frame()` (one "paint"),
 * no environment hooks and no HTTP. `open()` plays a server's greeting; `data()` and
 * `events()` send the stream's next frames. `fakeClientOptions()` is the same wiring as
 * options, for tests in which the adapter builds its own client.
 */
import { noopEnvironment, WebSocketManager, type MetricInfo, type StreamEvent, type WebSocketManagerOptions } from "@pulseboard/realtime-client";
import {
  createFakeWebSocket,
  createManualFrameScheduler,
  createStreamScript,
  handshake,
  type FakeSocket,
  type FakeWebSocketKit,
  type ManualFrameScheduler,
} from "@pulseboard/realtime-client/testing";
import type { RealtimeOptions } from "../../../src/realtime/index.ts";

export interface StreamKit {
  manager: WebSocketManager;
  sockets: FakeWebSocketKit;
  scheduler: ManualFrameScheduler;
  /** The newest socket. */
  socket(): FakeSocket;
  /** Let the client's promise chain and zero-delay timers run. */
  settle(): Promise<void>;
  /** Connect (if needed), accept, hello with this catalogue, subscribed. */
  open(metrics?: readonly MetricInfo[]): Promise<FakeSocket>;
  /** Send the next data frame: `{ id: [values...] }`, samples 100 ms apart after the previous ones. */
  data(series: Record<string, number[]>): void;
  /** Send the next events frame. */
  events(events: Partial<StreamEvent>[]): void;
  /** Deliver what arrived since the last paint. */
  frame(): void;
}

/** Let the client's promise chain and zero-delay timers run (real timers). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Adapter options for a client over a fresh fake socket: polls never answer, no history or
 * fallback, a quiet heartbeat, and every backoff wait 2 s (random 0.5 of 4 s).
 */
export function fakeClientOptions(overrides: Partial<RealtimeOptions> = {}): { sockets: FakeWebSocketKit; options: RealtimeOptions } {
  const sockets = createFakeWebSocket();
  const options: RealtimeOptions = {
    url: "ws://127.0.0.1:9/ws",
    WebSocket: sockets.WebSocket,
    frameScheduler: createManualFrameScheduler(),
    environment: noopEnvironment,
    fetch: () => new Promise(() => {}), // polls never answer
    history: { backfill: false },
    fallback: { enabled: false },
    heartbeat: { intervalMs: 60_000, timeoutMs: 120_000 },
    random: () => 0.5,
    backoff: { minMs: 4000, maxMs: 4000 },
    ...overrides,
  };
  return { sockets, options };
}

export function createStreamKit(options: Partial<WebSocketManagerOptions> = {}): StreamKit {
  const sockets = createFakeWebSocket();
  const scheduler = createManualFrameScheduler();
  const script = createStreamScript();
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
  return {
    manager,
    sockets,
    scheduler,
    socket: () => sockets.last(),
    settle,
    async open(metrics = script.catalogue) {
      if (manager.state === "idle" || manager.state === "closed" || manager.state === "failed") manager.connect();
      await settle();
      const socket = sockets.last();
      handshake(socket, { hello: script.hello({ metrics: [...metrics] }) });
      return socket;
    },
    data: (series) => sockets.last().receive(script.data(series)),
    events: (events) => sockets.last().receive(script.events(events)),
    frame: () => scheduler.runFrame(),
  };
}
