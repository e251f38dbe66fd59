/**
 * `@pulseboard/react`: React hooks over `@pulseboard/realtime-client`, on
 * `useSyncExternalStore`. They only tie the client's events to React renders; everything a
 * view needs besides (stall detection, trends, chart data) is in the client.
 *
 * @example
 * ```ts
 * import { createElement } from "react";
 * import { useConnectionState, useRealtime, useSeries } from "@pulseboard/react";
 *
 * function Cpu() {
 *   const manager = useRealtime({ url: "ws://127.0.0.1:8787/ws" });
 *   const state = useConnectionState(manager);
 *   const { ring } = useSeries(manager, "cpu.usage");
 *   return createElement("p", null, `${state}: ${ring?.lastValue ?? "–"}`);
 * }
 * ```
 *
 * @packageDocumentation
 */
export { useConnectionState } from "./use-connection-state.js";
export type { StateSource } from "./use-connection-state.js";
export { useStats } from "./use-stats.js";
export type { StatsSource } from "./use-stats.js";
export { useSeries } from "./use-series.js";
export type { SeriesSource, SeriesView } from "./use-series.js";
export { useRealtime } from "./use-realtime.js";
