/**
 * The page's one stall watch: the client's {@link StallDetector} (when a silent stream counts
 * as stalled, and why: `stallThresholdMs`), read on a timer while data should flow and
 * mirrored into signals. Every status line and live dot reads the same memos, so they agree
 * and one timer serves them all.
 *
 * @module
 */
import { createEffect, createMemo, createSignal, onCleanup, type Accessor } from "solid-js";
import { isFlowingState, liveIndicator, StallDetector, type LiveIndicator, type StallReading } from "@pulseboard/realtime-client";
import type { Realtime } from "@pulseboard/solid";

export { stallThresholdMs } from "@pulseboard/realtime-client";
export type { LiveIndicator } from "@pulseboard/realtime-client";

/** What {@link createLiveness} returns. */
export interface Liveness {
  /** How long the flowing stream has been silent, ms; null unless the state is open or polling. */
  readonly silentMs: Accessor<number | null>;
  /** The silence exceeds {@link Liveness.thresholdMs}. */
  readonly stalled: Accessor<boolean>;
  /** The client's `stallThresholdMs` of the server's tick. */
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

/**
 * Watch the silence of the stream for the lifetime of the current owner. A timer runs only
 * while the state is `open` or `polling`. Create it once per page (the dashboard's services
 * do).
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
  const detector = new StallDetector(realtime.manager, { now });
  onCleanup(() => detector.dispose());
  const [reading, setReading] = createSignal<StallReading>(detector.read());

  // Re-run on every state change, open -> polling included (a fallback can skip "reconnecting").
  createEffect(() => {
    const measure = (): void => {
      setReading(detector.read());
    };
    measure();
    if (!isFlowingState(realtime.state())) return;
    const timer = setInterval(measure, checkMs);
    onCleanup(() => clearInterval(timer));
  });

  const silentMs = createMemo(() => reading().silentMs);
  const thresholdMs = createMemo(() => reading().thresholdMs);
  const stalled = createMemo(() => reading().stalled);
  const indicator = createMemo((): LiveIndicator => liveIndicator(realtime.state(), stalled(), paused()));
  return { silentMs, stalled, thresholdMs, indicator };
}
