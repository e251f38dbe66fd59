/**
 * The Solid adapter of `@pulseboard/realtime-client`: thin `create*` wrappers that tie the
 * client to Solid's ownership and reactivity. No application code lives here; everything a
 * non-Solid user would also need belongs in the client.
 *
 * @example
 * ```tsx
 * import { createRealtime, createThrottledSignal } from "./realtime";
 *
 * const live = createRealtime({ url: `ws://${location.host}/ws` });
 * const cpu = createThrottledSignal(() => live.series("cpu.usage")?.lastValue ?? NaN, 250);
 * ```
 *
 * @module
 */
export { createRealtime } from "./createRealtime.ts";
export type { Realtime, RealtimeOptions } from "./createRealtime.ts";
export { createWebSocketResource } from "./createWebSocketResource.ts";
export type { LatestValues, WebSocketResourceActions, WebSocketResourceOptions } from "./createWebSocketResource.ts";
export { createThrottledSignal } from "./createThrottledSignal.ts";
export type { ThrottledSignalOptions } from "./createThrottledSignal.ts";
export type { ManagerLike } from "./manager-like.ts";
