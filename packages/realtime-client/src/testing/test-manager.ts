/**
 * `createTestManager`: a real `WebSocketManager` wired to the kit's doubles, for tests of code
 * built on the client (framework adapters, components, services). The socket is fake, paints
 * happen only when the test calls `frame()`, there are no environment hooks, no HTTP, no
 * history and no fallback; `open()` plays a server's greeting and `data()` / `events()` send
 * the stream's next frames, so a test reads like the stream it describes.
 *
 * @module
 */
import { WebSocketManager } from "../client/manager.js";
import type { WebSocketManagerOptions } from "../client/types.js";
import { noopEnvironment } from "../scheduling/environment.js";
import type { MetricInfo, StreamEvent } from "@pulseboard/protocol";
import { createFakeWebSocket, type FakeSocket, type FakeWebSocketKit } from "./fake-websocket.js";
import { createStreamScript, handshake, type StreamScript, type StreamScriptOptions } from "./frames.js";
import { createManualFrameScheduler, type ManualFrameScheduler } from "./manual-frame-scheduler.js";

/** Options of {@link createTestManager}. */
export interface TestManagerOptions {
  /** Client options that replace the test wiring's (a clock, a heartbeat, a `fetch`...). */
  manager?: Partial<WebSocketManagerOptions>;
  /** Options of the frame script (`open()` and `data()` build their frames with it). */
  script?: StreamScriptOptions;
  /**
   * Let the client's zero-delay timers and promise chain run: the reconnecting socket is
   * created after `connect()` returns. With fake timers pass their own step, e.g.
   * `() => vi.advanceTimersByTimeAsync(0)`.
   * @default five rounds of `setTimeout(0)` (real timers)
   */
  settle?: () => Promise<unknown>;
}

/** What {@link createTestManager} returns. */
export interface TestManager {
  /** The real client, over the fake socket. */
  manager: WebSocketManager;
  /** The fake WebSocket class and every socket it made. */
  sockets: FakeWebSocketKit;
  /** The frame scheduler; `frame()` runs it. */
  scheduler: ManualFrameScheduler;
  /** The frames `open()`, `data()` and `events()` send. */
  script: StreamScript;
  /** The newest socket; throws if none was created yet. */
  socket(): FakeSocket;
  /** Let the client's zero-delay timers and promise chain run (see {@link TestManagerOptions.settle}). */
  settle(): Promise<void>;
  /** Connect (unless already connecting or open), accept, hello with this catalogue, subscribed. */
  open(metrics?: readonly MetricInfo[]): Promise<FakeSocket>;
  /** Send the next data frame, `{ id: [values...] }`, samples one tick apart after the previous ones. */
  data(series: Readonly<Record<string, number | readonly number[]>>): void;
  /** Send the next events frame. */
  events(events: number | readonly Partial<StreamEvent>[]): void;
  /** Deliver what arrived since the last paint: one `data` notification at most. */
  frame(): void;
}

/** Wiring that keeps a test to the fake socket: every option here can be replaced. */
const TEST_WIRING = {
  url: "ws://127.0.0.1:9/ws",
  environment: noopEnvironment,
  fetch: () => Promise.reject(new Error("no HTTP in this test")),
  history: { backfill: false },
  fallback: { enabled: false },
  heartbeat: { intervalMs: 60_000, timeoutMs: 120_000 },
} satisfies Partial<WebSocketManagerOptions>;

/**
 * Let zero-delay timers and promise chains run, on real timers: five rounds of
 * `setTimeout(0)`, enough for the client to create its socket after `connect()` and for a
 * resolved `fetch` to reach its caller. (With fake timers, advance them instead.)
 *
 * @returns a promise that resolves after the five rounds.
 * @example
 * ```ts
 * manager.connect();
 * await settle();
 * handshake(sockets.last());
 * ```
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A real client over a fake socket and a manual frame scheduler, with the stream's frames
 * one call away.
 *
 * @param options - see {@link TestManagerOptions}.
 * @returns the client, its doubles and the steps of a stream; see {@link TestManager}.
 * @example
 * ```ts
 * import { createTestManager } from "@pulseboard/realtime-client/testing";
 *
 * const kit = createTestManager();
 * await kit.open();                       // connect, hello, subscribed
 * kit.data({ "cpu.usage": [41, 42] });    // two samples, one frame
 * kit.frame();                            // one paint: one `data` notification
 * console.log(kit.manager.series("cpu.usage")?.lastValue); // 42
 * kit.manager.close();
 * ```
 */
export function createTestManager(options: TestManagerOptions = {}): TestManager {
  const sockets = createFakeWebSocket();
  const scheduler = createManualFrameScheduler();
  const script = createStreamScript(options.script);
  const manager = new WebSocketManager({ ...TEST_WIRING, WebSocket: sockets.WebSocket, frameScheduler: scheduler, ...options.manager });
  const step = options.settle ?? settle;
  return {
    manager,
    sockets,
    scheduler,
    script,
    socket: () => sockets.last(),
    settle: async () => {
      await step();
    },
    async open(metrics = script.catalogue) {
      if (manager.state === "idle" || manager.state === "closed" || manager.state === "failed") manager.connect();
      await step();
      const socket = sockets.last();
      handshake(socket, { hello: script.hello({ metrics: [...metrics] }) });
      return socket;
    },
    data: (series) => sockets.last().receive(script.data(series)),
    events: (events) => sockets.last().receive(script.events(events)),
    frame: () => scheduler.runFrame(),
  };
}
