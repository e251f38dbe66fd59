/**
 * `useRealtime`: a client owned by a component: created once, connected while mounted.
 *
 * @module
 */
import { useEffect, useState } from "react";
import { WebSocketManager, type WebSocketManagerOptions } from "@pulseboard/realtime-client";

/**
 * Create a client on the first render, `connect()` it when the component mounts and `close()`
 * it when the component unmounts. The options are read once (a new `url` needs a new
 * component: give it a `key`). Under `<StrictMode>`, React mounts, unmounts and mounts again
 * in development: the client connects, closes and connects again, which it allows.
 *
 * @param options - the client's options; `url` at least.
 * @returns the client, the same object on every render: pass it to {@link useConnectionState},
 *   {@link useStats} and {@link useSeries}.
 * @example
 * ```ts
 * function Dashboard() {
 *   const manager = useRealtime({ url: "ws://127.0.0.1:8787/ws" });
 *   const state = useConnectionState(manager);
 *   return createElement("p", null, state);
 * }
 * ```
 */
export function useRealtime(options: WebSocketManagerOptions): WebSocketManager {
  const [manager] = useState(() => new WebSocketManager(options));
  useEffect(() => {
    manager.connect();
    return () => manager.close();
  }, [manager]);
  return manager;
}
