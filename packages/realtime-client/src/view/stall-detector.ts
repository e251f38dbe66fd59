/**
 * Is the stream actually flowing? The client's state says `open` (or `polling`) until the
 * heartbeat gives up on a silent socket, seconds later; a person watching sees the charts
 * freeze long before that. A {@link StallDetector} reads the client's `stats().lastMessageAt`
 * and calls the stream *stalled* once nothing has arrived for longer than its cadence
 * explains: {@link stallThresholdMs}. It has no timer of its own: a view reads it as often as
 * it repaints a status (a Solid memo on a timer, a React `useSyncExternalStore` tick, a
 * `setInterval` in plain code), so every indicator on a page can share one reading.
 *
 * @module
 */
import type { ConnectionState } from "../client/types.js";
import type { WebSocketManager } from "../client/manager.js";

/** Missed server ticks after which the stream counts as stalled. */
export const STALL_TICKS = 3;
/** Shortest silence ever called a stall, in ms. */
export const STALL_FLOOR_MS = 2000;

/**
 * Silence (ms) after which a flowing stream counts as stalled: `max(3 × tickMs, 2 s)`.
 *
 * The server sends a frame every `tickMs` (its hello says how often; 50 ms for the mock
 * server) and a metrics source produces data on every tick, so three missed ticks is already
 * abnormal. The 2 s floor keeps what is not a stall from flashing a status line: a GC pause, a
 * busy main thread, a background tab's timers throttled to once a second, a slow poll round
 * trip. Keep it well inside the heartbeat timeout (the dashboard uses 6 s), so that a stall is
 * on screen for most of the time before the client replaces the socket.
 *
 * @param tickMs - the server's batching interval (`hello.tickMs`), undefined when unknown.
 * @returns the threshold in ms.
 * @example
 * ```ts
 * stallThresholdMs(50);        // 2000: the floor
 * stallThresholdMs(1000);      // 3000: three missed ticks
 * stallThresholdMs(undefined); // 2000
 * ```
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

/** The states in which data should be flowing: `open` and `polling`. */
export function isFlowingState(state: ConnectionState): boolean {
  return state === "open" || state === "polling";
}

/**
 * The indicator for a state, a stall verdict and a pause: paused wins, then stalled, then
 * live in a flowing state, else offline.
 *
 * @param state - the client's connection state.
 * @param stalled - the detector's verdict ({@link StallReading.stalled}).
 * @param paused - whether the view is paused. @default false
 * @returns see {@link LiveIndicator}.
 */
export function liveIndicator(state: ConnectionState, stalled: boolean, paused = false): LiveIndicator {
  if (paused) return "paused";
  if (stalled) return "stalled";
  return isFlowingState(state) ? "live" : "offline";
}

/** One reading of a {@link StallDetector}. */
export interface StallReading {
  /** How long the flowing stream has been silent, ms; null unless the state is open or polling. */
  readonly silentMs: number | null;
  /** {@link stallThresholdMs} of the server's latest known `tickMs`. */
  readonly thresholdMs: number;
  /** `silentMs > thresholdMs`. */
  readonly stalled: boolean;
}

/** The part of the client a {@link StallDetector} reads. */
export type StallSource = Pick<WebSocketManager, "on" | "state" | "stats">;

/** Options of {@link StallDetector}. */
export interface StallDetectorOptions {
  /**
   * Time source; must match the client's clock (`lastMessageAt` is in its time).
   * @default Date.now
   */
  now?: () => number;
}

/**
 * Measures the silence of a client's stream. Silence counts from the last message, but
 * never from before the current state began: right after a fallback to polling nothing has
 * arrived over HTTP yet.
 *
 * @example
 * ```ts
 * const stalls = new StallDetector(manager);
 * const timer = setInterval(() => {
 *   const { stalled, silentMs } = stalls.read();
 *   status.textContent = stalled ? `Stalled — no data for ${Math.floor(silentMs! / 1000)} s` : manager.state;
 * }, 250);
 * // on teardown:
 * clearInterval(timer);
 * stalls.dispose();
 * ```
 */
export class StallDetector {
  private readonly now: () => number;
  private tickMs: number | undefined;
  private seenState: ConnectionState;
  private since: number;
  private readonly offs: (() => void)[];

  /**
   * @param manager - the client (or any object with its `on`, `state` and `stats`).
   * @param options - see {@link StallDetectorOptions}.
   */
  constructor(
    private readonly manager: StallSource,
    options: StallDetectorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.seenState = manager.state;
    this.since = this.now();
    this.offs = [
      // Polling's hello has no tickMs: keep the one a WebSocket hello gave.
      manager.on("hello", (hello) => {
        if (hello.tickMs !== undefined) this.tickMs = hello.tickMs;
      }),
      // Every transition restarts the count, open -> polling included.
      manager.on("state", ({ to }) => this.enter(to)),
    ];
  }

  /**
   * Measure now.
   * @returns see {@link StallReading}.
   */
  read(): StallReading {
    // A reader that hears of a state change before this detector does (an earlier listener
    // of the same event) still measures from the new state's start.
    if (this.manager.state !== this.seenState) this.enter(this.manager.state);
    const thresholdMs = stallThresholdMs(this.tickMs);
    if (!isFlowingState(this.seenState)) return { silentMs: null, thresholdMs, stalled: false };
    const last = this.manager.stats().lastMessageAt;
    const silentMs = Math.max(0, this.now() - Math.max(last ?? this.since, this.since));
    return { silentMs, thresholdMs, stalled: silentMs > thresholdMs };
  }

  /** Stop listening to the client. */
  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private enter(state: ConnectionState): void {
    this.seenState = state;
    this.since = this.now();
  }
}
