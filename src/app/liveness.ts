/**
 * Is the stream actually flowing? The client's state says "open" (or "polling") until the
 * heartbeat gives up on a silent socket, seconds later; a person watching sees the charts
 * freeze long before that. This reads the client's `stats().lastMessageAt` and calls the
 * stream *stalled* once nothing has arrived for longer than its cadence explains.
 *
 * When to call it stalled is the dashboard's presentation decision, not the client's: see
 * {@link stallThresholdMs}.
 *
 * @module
 */
import { createEffect, createMemo, createSignal, onCleanup, untrack, type Accessor } from "solid-js";
import type { Realtime } from "@pulseboard/solid";

/** Missed server ticks after which the stream counts as stalled. */
export const STALL_TICKS = 3;
/** Shortest silence ever called a stall, in ms. */
export const STALL_FLOOR_MS = 2000;

/**
 * Silence (ms) after which a flowing stream is shown as stalled: `max(3 × tickMs, 2 s)`.
 *
 * The server sends a frame every `tickMs` (its hello says how often; 50 ms for the mock
 * server) and the dashboard's sources produce data on every tick, so three missed ticks is
 * already abnormal. The 2 s floor keeps what is not a stall from flashing the status line: a
 * GC pause, a busy main thread, a background tab's timers throttled to once a second, a slow
 * poll round trip. 2 s is also well inside the 6 s heartbeat timeout (stream-config.ts), so
 * the stall is on screen for most of the time before the client replaces the socket.
 *
 * @param tickMs - the server's batching interval (`hello.tickMs`), undefined when unknown.
 * @returns the threshold in ms.
 */
export function stallThresholdMs(tickMs: number | undefined): number {
  return Math.max(STALL_TICKS * (tickMs ?? 0), STALL_FLOOR_MS);
}

/**
 * What a "live" indicator (a metric card's dot) shows: `live` while data flows, `stalled`
 * when the connection is up but nothing arrives, `paused` while the view is paused (whatever
 * the stream does), `offline` when there is no connection.
 */
export type LiveIndicator = "live" | "stalled" | "paused" | "offline";

/** What {@link createLiveness} returns. */
export interface Liveness {
  /** How long the flowing stream has been silent, ms; null unless the state is open or polling. */
  readonly silentMs: Accessor<number | null>;
  /** The silence exceeds {@link Liveness.thresholdMs}. */
  readonly stalled: Accessor<boolean>;
  /** See {@link stallThresholdMs}. */
  readonly thresholdMs: Accessor<number>;
  /** See {@link LiveIndicator}; one memo that every indicator on the page reads. */
  readonly indicator: Accessor<LiveIndicator>;
}

/** Options of {@link createLiveness}. */
export interface LivenessOptions {
  /**
   * How often the silence is measured while the stream should flow, ms.
   * @default 250
   */
  checkMs?: number;
  /**
   * Time source; must match the client's clock (`lastMessageAt` is in its time).
   * @default Date.now
   */
  now?: () => number;
  /**
   * Whether the view is paused (see live-view.ts): {@link Liveness.indicator} then says `paused`.
   * @default never paused
   */
  paused?: Accessor<boolean>;
}

/** The states in which data should be flowing. */
const flowing = (state: string): boolean => state === "open" || state === "polling";

/**
 * Watch the silence of the stream for the lifetime of the current owner. A timer runs only
 * while the state is `open` or `polling`. Create it once per page (the dashboard's services
 * do) and let every status line and live dot read it: they then agree, and one timer serves
 * them all.
 *
 * @param realtime - the adapter.
 * @param options - see {@link LivenessOptions}.
 * @returns signals, see {@link Liveness}.
 * @example
 * ```tsx
 * const liveness = createLiveness(realtime, { paused: view.paused });
 * <Show when={liveness.stalled()}>No data for {Math.floor(liveness.silentMs()! / 1000)} s</Show>
 * <span class="dot" data-liveness={liveness.indicator()} />
 * ```
 */
export function createLiveness(realtime: Realtime, options: LivenessOptions = {}): Liveness {
  const { checkMs = 250, now = Date.now, paused = () => false } = options;
  const [tickMs, setTickMs] = createSignal<number | undefined>(undefined);
  // Polling's hello has no tickMs: keep the one a WebSocket hello gave.
  const off = realtime.manager.on("hello", (hello) => {
    if (hello.tickMs !== undefined) setTickMs(hello.tickMs);
  });
  onCleanup(off);

  const [silentMs, setSilentMs] = createSignal<number | null>(null);

  // Re-run on every state change, open -> polling included (a fallback can skip "reconnecting").
  createEffect(() => {
    if (!flowing(realtime.state())) {
      setSilentMs(null);
      return;
    }
    // Silence counts from the last message, but never from before this state began: right
    // after a fallback nothing has arrived over HTTP yet (lastMessageAt is null).
    const since = now();
    const measure = (): void => {
      const last = untrack(() => realtime.manager.stats().lastMessageAt);
      setSilentMs(Math.max(0, now() - Math.max(last ?? since, since)));
    };
    measure();
    const timer = setInterval(measure, checkMs);
    onCleanup(() => clearInterval(timer));
  });

  const thresholdMs = createMemo(() => stallThresholdMs(tickMs()));
  const stalled = createMemo(() => {
    const silent = silentMs();
    return silent !== null && silent > thresholdMs();
  });
  const indicator = createMemo((): LiveIndicator => (paused() ? "paused" : stalled() ? "stalled" : flowing(realtime.state()) ? "live" : "offline"));
  return { silentMs, stalled, thresholdMs, indicator };
}
