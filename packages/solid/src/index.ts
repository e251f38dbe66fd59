/**
 * `@pulseboard/solid`: the Solid adapter of `@pulseboard/realtime-client`. Thin `create*`
 * wrappers tie the client to Solid's ownership and reactivity (`makeRealtime` is the same
 * without an owner, returning its cleanup). No logic lives here that a non-Solid user would
 * also need: that belongs in the client.
 *
 * @example
 * ```tsx
 * import { createRealtime, createThrottledSignal } from "@pulseboard/solid";
 *
 * const live = createRealtime({ url: `ws://${location.host}/ws` });
 * const cpu = createThrottledSignal(() => live.series("cpu.usage")?.lastValue ?? NaN, 250);
 * ```
 *
 * @packageDocumentation
 */
export { createRealtime, makeRealtime } from "./realtime.js";
export type { Realtime, RealtimeOptions } from "./realtime.js";
export { createWebSocketResource } from "./websocket-resource.js";
export type { LatestValues, WebSocketResourceActions, WebSocketResourceOptions } from "./websocket-resource.js";
export { createThrottledSignal } from "./throttled-signal.js";
export type { ThrottledSignalOptions } from "./throttled-signal.js";
export type { ManagerLike } from "./manager-like.js";
