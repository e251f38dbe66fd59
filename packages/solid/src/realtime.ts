/**
 * `makeRealtime` and `createRealtime`: the client's lifecycle and state, mirrored into Solid
 * signals. `makeRealtime` does the work and returns its cleanup; `createRealtime` is the same
 * tied to the current owner (the solid-primitives `make*` / `create*` pair).
 *
 * The client already does the hard parts (reconnect, frame batching, ring buffers). This
 * adapter only decides how Solid hears about them:
 *
 * - one "version" signal per series (`equals: false`, so every notification counts), created
 *   the first time something reads that series. A flush fires only the signals of the series
 *   in the client's `changed` set, so a computation that reads metric B never re-runs
 *   because metric A moved;
 * - every flush wrapped in `batch()`, so a component reading three series updates once;
 * - the client's `data` event is frame-batched already: at most one flush per paint;
 * - `stats()` is a snapshot of counters, refreshed through the client's `throttle`, and at
 *   once on a `retry` event, so a countdown starts with the wait it counts down.
 *
 * @module
 */
import { batch, createSignal, onCleanup, type Accessor, type Setter } from "solid-js";
import {
  WebSocketManager,
  systemClock,
  throttle,
  type ConnectionState,
  type ManagerErrorEvent,
  type ManagerStats,
  type MetricInfo,
  type RingBuffer,
  type TransportKind,
  type WebSocketManagerOptions,
} from "@pulseboard/realtime-client";
import type { ManagerLike } from "./manager-like.js";

/** Options of {@link createRealtime} and {@link makeRealtime}: the client's options plus the adapter's own. */
export interface RealtimeOptions extends Partial<WebSocketManagerOptions> {
  // --- Required from the user: either `url` (the adapter builds the client) or `manager` ---
  /**
   * A client to adopt instead of building one from the other options (tests, or one
   * manager shared with non-Solid code). It is connected on creation and closed on cleanup
   * unless `connect` is false.
   */
  manager?: ManagerLike;

  // --- The adapter's own ---------------------------------------------------------------------
  /**
   * Call `connect()` on creation and `close()` on cleanup.
   * @default true
   */
  connect?: boolean;
  /**
   * Most frequent `stats` refresh, in ms (leading and trailing).
   * @default 250
   */
  statsIntervalMs?: number;
}

/** What {@link createRealtime} returns (and {@link makeRealtime}, with its cleanup). Every accessor is a Solid signal. */
export interface Realtime {
  /** The client, for what the adapter does not mirror (`holes()`, `subscribe()`, `on()`). */
  readonly manager: ManagerLike;
  /** Connection state; changes once per real transition. */
  readonly state: Accessor<ConnectionState>;
  /** `websocket`, or `polling` after a fallback. */
  readonly transport: Accessor<TransportKind>;
  /** Counters, refreshed at most every `statsIntervalMs`. */
  readonly stats: Accessor<ManagerStats>;
  /** Metric catalogue from the latest hello (labels are untrusted text). */
  readonly catalogue: Accessor<readonly MetricInfo[]>;
  /** Latest `error` event (null before any). */
  readonly lastError: Accessor<ManagerErrorEvent | null>;
  /** Why the state last changed (the `state` event's reason). */
  readonly reason: Accessor<string>;
  /**
   * Clock time of the next attempt while a backoff wait is in progress, else null: the
   * client's `stats().nextRetryAt`, set at once by its `retry` event.
   */
  readonly retryAt: Accessor<number | null>;
  /** Flush number of the latest data notification; fires on every flush. */
  readonly frame: Accessor<number>;
  /**
   * The ring of one series, tracked: a computation that calls `series("cpu.usage")` re-runs
   * when, and only when, cpu.usage received samples. The ring is the same object each time
   * (read its zero-copy `times()`/`values()` views inside the computation).
   */
  series(id: string): RingBuffer | undefined;
}

type Version = [track: Accessor<void>, notify: Setter<void>];

/**
 * Connect a realtime client until the returned cleanup runs: {@link createRealtime} without
 * an owner, for code that manages lifetimes itself (a store module, a test, a non-component
 * service). The cleanup is idempotent.
 *
 * @param options - client options (`url` at least) or `{ manager }`; see {@link RealtimeOptions}.
 * @returns `[realtime, dispose]`: the signals (see {@link Realtime}) and the cleanup, which
 *   removes every listener and timer and closes the client (unless `connect` is false).
 * @example
 * ```ts
 * const [live, dispose] = makeRealtime({ url: "ws://127.0.0.1:8787/ws" });
 * createRoot(() => createEffect(() => console.log(live.state())));
 * // later, when the page no longer needs the stream:
 * dispose();
 * ```
 */
export function makeRealtime(options: RealtimeOptions): [realtime: Realtime, dispose: () => void] {
  const { manager: injected, connect = true, statsIntervalMs = 250, ...clientOptions } = options;
  const clock = clientOptions.clock ?? systemClock;
  const manager: ManagerLike = injected ?? new WebSocketManager(clientOptions as WebSocketManagerOptions);

  const [state, setState] = createSignal<ConnectionState>(manager.state);
  const [transport, setTransport] = createSignal<TransportKind>(manager.transport);
  const [stats, writeStats] = createSignal<ManagerStats>(manager.stats(), { equals: false });
  const [catalogue, setCatalogue] = createSignal<readonly MetricInfo[]>(manager.catalogue());
  const [lastError, setLastError] = createSignal<ManagerErrorEvent | null>(null);
  const [reason, setReason] = createSignal("");
  const [frame, setFrame] = createSignal(0, { equals: false });
  // A signal of its own (default equality): readers re-run when the retry time changes, not
  // on every stats refresh. Not a memo: a memo needs an owner, and this function has none.
  const [retryAt, setRetryAt] = createSignal<number | null>(manager.stats().nextRetryAt);
  const setStats = (next: ManagerStats): void => {
    batch(() => {
      writeStats(next);
      setRetryAt(next.nextRetryAt);
    });
  };

  const versions = new Map<string, Version>();
  const versionOf = (id: string): Version => {
    let version = versions.get(id);
    if (version === undefined) {
      const [track, notify] = createSignal<void>(undefined, { equals: false });
      version = [track, notify];
      versions.set(id, version);
    }
    return version;
  };

  const refreshStats = throttle(() => setStats(manager.stats()), statsIntervalMs, { clock });

  const offs = [
    manager.on("state", ({ to, reason: why }) => {
      batch(() => {
        setState(to);
        setReason(why);
        setTransport(manager.transport);
      });
      refreshStats();
    }),
    manager.on("transport", ({ to }) => setTransport(to)),
    manager.on("hello", () => {
      // A new catalogue may replace rings: every reader must look again.
      batch(() => {
        setCatalogue(manager.catalogue());
        for (const [, notify] of versions.values()) notify();
      });
    }),
    manager.on("error", (event) => setLastError(event)),
    // Unthrottled: at most one per attempt, and the countdown must start with the wait.
    manager.on("retry", () => setStats(manager.stats())),
    manager.on("heartbeat", () => refreshStats()),
    manager.on("data", ({ changed, frame: n }) => {
      batch(() => {
        // Walk the smaller side: 10 000 host series may change while a page watches 20.
        if (versions.size < changed.size) {
          for (const [id, [, notify]] of versions) if (changed.has(id)) notify();
        } else {
          for (const id of changed) versions.get(id)?.[1]();
        }
        setFrame(n);
      });
      refreshStats();
    }),
  ];
  // Counters such as messages/s decay while nothing arrives: refresh on a slow timer too.
  const keepAlive = setInterval(() => refreshStats(), 1000);

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    clearInterval(keepAlive);
    refreshStats.clear();
    for (const off of offs) off();
    if (connect) manager.close();
  };
  if (connect) manager.connect();

  const realtime: Realtime = {
    manager,
    state,
    transport,
    stats,
    catalogue,
    lastError,
    reason,
    retryAt,
    frame,
    series(id) {
      versionOf(id)[0]();
      return manager.series(id);
    },
  };
  return [realtime, dispose];
}

/**
 * Connect a realtime client for the lifetime of the current owner: {@link makeRealtime} with
 * its cleanup registered by `onCleanup`.
 *
 * @param options - client options (`url` at least) or `{ manager }`; see {@link RealtimeOptions}.
 * @returns signals mirroring the client; see {@link Realtime}.
 * @example
 * ```tsx
 * const live = createRealtime({ url: `ws://${location.host}/ws` });
 * const cpu = createMemo(() => live.series("cpu.usage")?.lastValue ?? NaN);
 * return <p>{live.state()}: CPU {cpu().toFixed(1)} %</p>;
 * ```
 */
export function createRealtime(options: RealtimeOptions): Realtime {
  const [realtime, dispose] = makeRealtime(options);
  onCleanup(dispose);
  return realtime;
}
