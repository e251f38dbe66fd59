/**
 * A Vue 3 composable over the realtime client, as an example to copy (it is not a package).
 * The pattern is the Solid adapter's: one version ref per series, bumped only for the series
 * in the client's `changed` set, so a computed that reads metric B never re-runs because
 * metric A moved; the client is closed with the effect scope (the component) that created it.
 *
 * @module
 */
import { onScopeDispose, shallowRef, type Ref, type ShallowRef } from "vue";
import { WebSocketManager, type ConnectionState, type ManagerStats, type RingBuffer, type WebSocketManagerOptions } from "@pulseboard/realtime-client";

/** What {@link useRealtime} returns. */
export interface RealtimeRefs {
  /** The client, for everything not mirrored here. */
  manager: WebSocketManager;
  /** The connection state; changes once per real transition. */
  state: Readonly<Ref<ConnectionState>>;
  /** `stats()`, refreshed every `statsIntervalMs` and on each state change. */
  stats: Readonly<Ref<ManagerStats>>;
  /** The ring of one series, tracked: a computed calling it re-runs when that series changed. */
  series(id: string): RingBuffer | undefined;
}

/**
 * Connect a client for the lifetime of the current effect scope (a component's `setup`).
 *
 * @param options - the client's options, or `{ manager }` to adopt a client (it is then
 *   connected and closed all the same).
 * @param statsIntervalMs - how often `stats` is refreshed, ms. @default 1000
 * @returns refs mirroring the client; see {@link RealtimeRefs}.
 * @example
 *     const live = useRealtime({ url: "ws://127.0.0.1:8787/ws" });
 *     const cpu = computed(() => live.series("cpu.usage")?.lastValue ?? NaN);
 */
export function useRealtime(options: WebSocketManagerOptions | { manager: WebSocketManager }, statsIntervalMs = 1000): RealtimeRefs {
  const manager = "manager" in options ? options.manager : new WebSocketManager(options);
  const state = shallowRef(manager.state);
  const stats = shallowRef(manager.stats());
  const versions = new Map<string, ShallowRef<number>>();
  const versionOf = (id: string): ShallowRef<number> => {
    let version = versions.get(id);
    if (version === undefined) versions.set(id, (version = shallowRef(0)));
    return version;
  };

  const offs = [
    manager.on("state", ({ to }) => {
      state.value = to;
      stats.value = manager.stats();
    }),
    manager.on("data", ({ changed }) => {
      for (const id of changed) {
        const version = versions.get(id);
        if (version !== undefined) version.value++;
      }
    }),
    // A new catalogue may replace rings: every reader looks again.
    manager.on("hello", () => {
      for (const version of versions.values()) version.value++;
    }),
  ];
  const timer = setInterval(() => (stats.value = manager.stats()), statsIntervalMs);
  onScopeDispose(() => {
    clearInterval(timer);
    for (const off of offs) off();
    manager.close();
  });
  manager.connect();

  return {
    manager,
    state,
    stats,
    series(id) {
      void versionOf(id).value; // track: the ring is one mutable object, the version is what changes
      return manager.series(id);
    },
  };
}
