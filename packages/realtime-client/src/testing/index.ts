/**
 * `@pulseboard/realtime-client/testing`: test doubles for code that uses the client, so its
 * tests need neither a network nor real time. A scriptable fake WebSocket, builders for the
 * server's frames, a frame scheduler, a clock and environment hooks that move only when the
 * test says so.
 *
 * This entry is separate from the main one (which never imports it) and depends on no test
 * framework, UI framework or Node built-in: use it with Vitest, Jest, node:test or in a
 * browser. The package README's "Testing code that uses the client" is the guide.
 *
 * @example
 * ```ts
 * import { noopEnvironment, WebSocketManager } from "@pulseboard/realtime-client";
 * import { createFakeWebSocket, createManualFrameScheduler, dataFrame, handshake } from "@pulseboard/realtime-client/testing";
 *
 * const ws = createFakeWebSocket();
 * const frames = createManualFrameScheduler();
 * const manager = new WebSocketManager({ url: "ws://127.0.0.1:9/ws", WebSocket: ws.WebSocket, frameScheduler: frames, environment: noopEnvironment });
 * manager.connect();
 * const socket = await ws.waitForSocket();
 * handshake(socket);
 * socket.receive(dataFrame(1, { "cpu.usage": 42 }));
 * frames.runFrame();
 * console.log(manager.series("cpu.usage")?.lastValue); // 42
 * ```
 *
 * @packageDocumentation
 */

export { createFakeWebSocket } from "./fake-websocket.js";
export type { FakeSocket, FakeSocketEvent, FakeWebSocketClass, FakeWebSocketKit, FakeWebSocketOptions } from "./fake-websocket.js";
export {
  createStreamScript,
  dataFrame,
  eventsFrame,
  handshake,
  helloFrame,
  sampleValue,
  subscribedFrame,
  TEST_CATALOGUE,
  TEST_EPOCH,
  TEST_START_TIME,
  TEST_TICK_MS,
} from "./frames.js";
export type { HandshakeOptions, StreamScript, StreamScriptOptions } from "./frames.js";
export { createManualFrameScheduler } from "./manual-frame-scheduler.js";
export type { ManualFrameScheduler } from "./manual-frame-scheduler.js";
export { createManualClock } from "./manual-clock.js";
export type { ManualClock } from "./manual-clock.js";
export { createManualEnvironment } from "./manual-environment.js";
export type { ManualEnvironment } from "./manual-environment.js";
export { createTestManager, settle } from "./test-manager.js";
export type { TestManager, TestManagerOptions } from "./test-manager.js";
