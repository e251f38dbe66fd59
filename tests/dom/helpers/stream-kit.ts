/**
 * The dashboard's tests on the client's testing kit: `createStreamKit()` is its
 * `createTestManager()` (a real client over a fake socket, paints on `frame()`);
 * `fakeClientOptions()` is the same wiring as adapter options, for tests in which the adapter
 * builds its own client.
 */
import { noopEnvironment, type WebSocketManagerOptions } from "@pulseboard/realtime-client";
import { createFakeWebSocket, createManualFrameScheduler, createTestManager, type FakeWebSocketKit, type TestManager } from "@pulseboard/realtime-client/testing";
import type { RealtimeOptions } from "@pulseboard/solid";

/** The client's test manager: a fake socket, a frame scheduler that runs on `frame()`. */
export type StreamKit = TestManager;

export { settle } from "@pulseboard/realtime-client/testing";

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

/**
 * The client's {@link createTestManager} with these client options.
 * @param settle - on fake timers, their step: `() => vi.advanceTimersByTimeAsync(0)`.
 */
export function createStreamKit(options: Partial<WebSocketManagerOptions> = {}, settle?: () => Promise<unknown>): StreamKit {
  return createTestManager({ manager: options, settle });
}
