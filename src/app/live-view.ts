/**
 * Pause without stopping ingest.
 *
 * Pausing a live dashboard must not pause the stream: the client keeps filling its ring
 * buffers (nothing is lost, nothing reconnects), only the VIEW stops following. The view
 * reads series through this gate: while live, reading a series subscribes to it; while
 * paused, the read is untracked, so no computation re-runs when samples arrive. Resuming
 * flips `paused`, every reader re-runs once and shows the newest data: the view jumps back
 * to live.
 *
 * Readers that compute from a ring should also keep their previous result while paused
 * (see {@link LiveView.createHeldMemo}), because anything else that re-runs them (a resize, a theme
 * change) would otherwise read rings that moved on.
 *
 * @module
 */
import { createMemo, createSignal, untrack, type Accessor } from "solid-js";
import type { RingBuffer } from "@pulseboard/realtime-client";
import type { Realtime } from "@pulseboard/solid";

/** The dashboard's view of the stream: live or paused. */
export interface LiveView {
  /** Whether the view is paused. */
  readonly paused: Accessor<boolean>;
  setPaused(paused: boolean): void;
  toggle(): void;
  /** Points ingested since the view was paused (0 while live). */
  readonly pausedPoints: Accessor<number>;
  /** A series for display: tracked while live, untracked while paused. */
  series(id: string): RingBuffer | undefined;
  /** Latest data flush: tracked while live (any series). */
  frame(): number;
  /**
   * A memo that keeps its previous value while paused.
   * @param compute - runs while live (and once when pausing, to capture the paused view).
   */
  createHeldMemo<T>(compute: () => T): Accessor<T>;
}

/**
 * @param realtime - the adapter.
 * @returns the live/paused view over it.
 * @example
 * ```ts
 * const view = createLiveView(live);
 * const cpu = view.createHeldMemo(() => view.series("cpu.usage")?.lastValue ?? NaN);
 * view.toggle(); // cpu() stops changing; the ring keeps filling
 * ```
 */
export function createLiveView(realtime: Realtime): LiveView {
  const [paused, setPausedSignal] = createSignal(false);
  let pointsAtPause = 0;
  const setPaused = (next: boolean): void => {
    if (next === untrack(paused)) return;
    if (next) pointsAtPause = realtime.manager.stats().pointsReceived;
    setPausedSignal(next);
  };
  return {
    paused,
    setPaused,
    toggle: () => setPaused(!untrack(paused)),
    pausedPoints: () => (paused() ? Math.max(0, realtime.stats().pointsReceived - pointsAtPause) : 0),
    series: (id) => (paused() ? untrack(() => realtime.series(id)) : realtime.series(id)),
    frame: () => (paused() ? untrack(realtime.frame) : realtime.frame()),
    createHeldMemo<T>(compute: () => T): Accessor<T> {
      let held = false;
      return createMemo<T>((prev) => {
        if (paused() && held) return prev as T;
        held = paused();
        return compute();
      });
    },
  };
}
