/**
 * `createWebSocketResource`: the familiar "resource" shape over the realtime client.
 *
 * Code written against the common Solid pattern
 * `const [data, { mutate, refetch }] = createWebSocketResource(url, options)` keeps working:
 * `data` starts with an HTTP snapshot (`initialFetcher`), then follows the stream. Under the
 * hood it is {@link createRealtime}: reconnect with jittered backoff, polling fallback, ring
 * buffers. The resource holds the latest sample of every metric; for charts and fine-grained
 * updates use the `realtime` handle it also returns.
 *
 * @module
 */
import { createResource, onCleanup, untrack, type Resource, type ResourceActions } from "solid-js";
import { MANAGER_DEFAULTS, type ManagerErrorEvent, type MetricInfo, type WebSocketManager } from "@pulseboard/realtime-client";
import { createRealtime, type Realtime, type RealtimeOptions } from "./realtime.js";

/** What the resource holds: the catalogue and the latest sample of each metric. */
export interface LatestValues {
  metrics: readonly MetricInfo[];
  latest: Readonly<Record<string, { t: number; v: number }>>;
}

/** Options of {@link createWebSocketResource}. */
export interface WebSocketResourceOptions extends Omit<RealtimeOptions, "url" | "manager"> {
  /**
   * Loads the first value before the stream has delivered anything.
   * @default the client's `manager.snapshot()`: `/api/snapshot` with the client's token,
   *   timeout and size cap
   */
  initialFetcher?: (info: { httpUrl: string; source: string }) => Promise<LatestValues>;
  /** Called each time the stream starts flowing (first connection and every reconnect). */
  onConnect?: () => void;
  /** Called when a flowing stream stops (with the reason). */
  onDisconnect?: (reason: string) => void;
  /** Called for every client error (they are values; the stream goes on unless `fatal`). */
  onError?: (error: ManagerErrorEvent) => void;
  /**
   * Reconnect after a failure. `false` gives up at the first failure (state `failed`).
   * @default true
   */
  reconnect?: boolean;
  /**
   * Base reconnect delay in ms: the first retry waits up to this long (full jitter), later
   * ones grow exponentially up to 30 times it (at least 10 s).
   * @default 250
   */
  reconnectDelay?: number;
  /**
   * Most frequent stream update of `data`, in ms (0: every frame).
   * @default 0
   */
  notifyIntervalMs?: number;
}

/** Actions returned next to the resource. */
export interface WebSocketResourceActions {
  /** Replace the value locally (optimistic updates); the stream keeps folding into it. */
  mutate: ResourceActions<LatestValues | undefined>["mutate"];
  /** Run `initialFetcher` again. */
  refetch: ResourceActions<LatestValues | undefined>["refetch"];
  /** The underlying adapter: signals per series, state, stats. */
  realtime: Realtime;
}

/** The default `initialFetcher`: the client's own snapshot request; a failure is the resource's error. */
async function fetchSnapshot(manager: Pick<WebSocketManager, "snapshot">): Promise<LatestValues> {
  const result = await manager.snapshot();
  if (!result.ok) throw new Error(result.message);
  return { metrics: result.snapshot.metrics, latest: result.snapshot.latest };
}

/**
 * A Solid resource fed by the realtime client, tied to the current owner.
 *
 * @param url - the WebSocket endpoint, e.g. `ws://127.0.0.1:5173/ws`.
 * @param options - see {@link WebSocketResourceOptions}; any client option is accepted too.
 * @returns `[data, { mutate, refetch, realtime }]`.
 * @example
 * ```tsx
 * const [data, { refetch }] = createWebSocketResource(`ws://${location.host}/ws`, {
 *   reconnectDelay: 500,
 *   onDisconnect: (reason) => console.warn("stream stopped:", reason),
 * });
 * return <Show when={data()}>{(d) => <p>CPU {d().latest["cpu.usage"]?.v}</p>}</Show>;
 * ```
 */
export function createWebSocketResource(
  url: string,
  options: WebSocketResourceOptions = {},
): [Resource<LatestValues | undefined>, WebSocketResourceActions] {
  const {
    initialFetcher,
    onConnect,
    onDisconnect,
    onError,
    reconnect = true,
    reconnectDelay,
    notifyIntervalMs = 0,
    ...rest
  } = options;
  const backoff =
    reconnectDelay === undefined
      ? rest.backoff
      : { ...rest.backoff, minMs: reconnectDelay, maxMs: Math.max(10_000, reconnectDelay * 30) };
  const realtime = createRealtime({
    ...rest,
    url,
    backoff,
    maxRetries: reconnect ? rest.maxRetries : 0,
    fallback: reconnect ? rest.fallback : { ...rest.fallback, enabled: false },
  });
  const manager = realtime.manager;
  // The client's own HTTP base (the `httpUrl` option, or derived from `url`), not a copy of its rule.
  const info = { httpUrl: manager.httpUrl, source: rest.source ?? MANAGER_DEFAULTS.source };
  const [data, { mutate, refetch }] = createResource<LatestValues>(async (): Promise<LatestValues> => {
    const snapshot = await (initialFetcher === undefined ? fetchSnapshot(manager) : initialFetcher(info));
    // The stream may have overtaken the request: its samples are newer, keep them.
    const streamed: LatestValues | undefined = data.latest;
    return streamed === undefined ? snapshot : { metrics: streamed.metrics, latest: { ...snapshot.latest, ...streamed.latest } };
  });

  let flowing = false;
  const offs = [
    manager.on("state", ({ to, reason }) => {
      const now = to === "open" || to === "polling";
      if (now && !flowing) onConnect?.();
      if (!now && flowing) onDisconnect?.(reason);
      flowing = now;
    }),
    manager.on("error", (event) => onError?.(event)),
    manager.on(
      "data",
      ({ changed }) => {
        const prev = untrack(() => data.latest);
        const latest: Record<string, { t: number; v: number }> = { ...prev?.latest };
        for (const id of changed) {
          const ring = manager.series(id);
          if (ring !== undefined && ring.length > 0) latest[id] = { t: ring.lastTime, v: ring.lastValue };
        }
        mutate({ metrics: manager.catalogue(), latest });
      },
      { intervalMs: notifyIntervalMs },
    ),
  ];
  onCleanup(() => {
    for (const off of offs) off();
  });

  return [data, { mutate, refetch, realtime }];
}
