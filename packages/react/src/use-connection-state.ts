/**
 * `useConnectionState`: the client's connection state as React state.
 *
 * @module
 */
import { useCallback, useSyncExternalStore } from "react";
import type { ConnectionState, WebSocketManager } from "@pulseboard/realtime-client";

/** The part of the client {@link useConnectionState} reads. */
export type StateSource = Pick<WebSocketManager, "on" | "state">;

/**
 * The client's connection state; the component re-renders once per real transition (the
 * client emits `state` only when the state changes).
 *
 * @param manager - the client (a {@link WebSocketManager} or an object of the same shape).
 * @returns the current state: `idle`, `connecting`, `open`, `polling`, `reconnecting`,
 *   `unreachable`, `closed` or `failed`.
 * @example
 * ```ts
 * const state = useConnectionState(manager);
 * return createElement("p", null, state === "open" ? "Live" : state);
 * ```
 */
export function useConnectionState(manager: StateSource): ConnectionState {
  const subscribe = useCallback((onChange: () => void) => manager.on("state", onChange), [manager]);
  // The state is a string: the same value is the same snapshot, as useSyncExternalStore needs.
  return useSyncExternalStore(subscribe, () => manager.state, () => manager.state);
}
