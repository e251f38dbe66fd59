/**
 * `useStats`: the client's counters, refreshed on a timer while a component shows them.
 *
 * @module
 */
import { useMemo, useSyncExternalStore } from "react";
import type { ManagerStats, WebSocketManager } from "@pulseboard/realtime-client";

/** The part of the client {@link useStats} reads. */
export type StatsSource = Pick<WebSocketManager, "on" | "stats">;

/**
 * A cached `stats()` snapshot. `useSyncExternalStore` calls `getSnapshot` on every render and
 * re-renders whenever it returns a new object; `stats()` builds a new object every call, so
 * the hook hands out one cached snapshot and replaces it only on a refresh.
 */
function statsStore(manager: StatsSource, intervalMs: number) {
  let snapshot = manager.stats();
  return {
    getSnapshot: () => snapshot,
    subscribe(onChange: () => void): () => void {
      const refresh = (): void => {
        snapshot = manager.stats();
        onChange();
      };
      refresh(); // the counters moved while nobody listened
      const timer = setInterval(refresh, intervalMs);
      // A state change or a scheduled retry (its countdown starts with the wait) shows at once.
      const offs = [manager.on("state", refresh), manager.on("retry", refresh)];
      return () => {
        clearInterval(timer);
        for (const off of offs) off();
      };
    },
  };
}

/**
 * The client's `stats()`, refreshed every `intervalMs` while the component is mounted, and at
 * once on a state change or a scheduled retry. Between refreshes every render gets the same
 * object.
 *
 * @param manager - the client.
 * @param intervalMs - refresh period in ms. @default 250
 * @returns the latest snapshot (see the client's `ManagerStats`).
 * @example
 * ```ts
 * const stats = useStats(manager, 1000);
 * return createElement("span", null, `${stats.messagesPerSecond} msg/s`);
 * ```
 */
export function useStats(manager: StatsSource, intervalMs = 250): ManagerStats {
  const store = useMemo(() => statsStore(manager, intervalMs), [manager, intervalMs]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
