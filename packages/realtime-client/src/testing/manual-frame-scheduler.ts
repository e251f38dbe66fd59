/**
 * A frame scheduler whose frames run only when the test says so: pass it as the manager's
 * `frameScheduler` and call `runFrame()` where a browser would paint. Between two calls, any
 * number of messages may arrive; `data` and `events` listeners see them in one call.
 *
 * @module
 */

import type { FrameScheduler } from "../notify/frame-batcher.js";

/**
 * A {@link FrameScheduler} driven by hand.
 *
 * @example
 * ```ts
 * const frames = createManualFrameScheduler();
 * const manager = new WebSocketManager({ url, WebSocket: ws.WebSocket, frameScheduler: frames });
 * // ... messages arrive ...
 * expect(frames.pending).toBe(1); // the manager asked for one frame
 * frames.runFrame();              // one "paint": one data notification per listener
 * ```
 */
export interface ManualFrameScheduler extends FrameScheduler {
  /**
   * Run the callbacks requested so far (one "paint"). Callbacks requested while they run wait
   * for the next call, as with `requestAnimationFrame`.
   * @returns how many callbacks ran.
   */
  runFrame(): number;
  /** Callbacks requested and not yet run or cancelled. */
  readonly pending: number;
}

/**
 * Create a {@link ManualFrameScheduler}.
 *
 * @returns a scheduler with no pending callback.
 *
 * @example
 * ```ts
 * const frames = createManualFrameScheduler();
 * const handle = frames.request(() => console.log("painted"));
 * frames.cancel(handle);
 * frames.request(() => console.log("painted"));
 * frames.runFrame(); // logs "painted" once
 * ```
 */
export function createManualFrameScheduler(): ManualFrameScheduler {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  return {
    request(cb) {
      callbacks.set(++next, cb);
      return next;
    },
    cancel(handle) {
      callbacks.delete(handle as number);
    },
    runFrame() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb();
      return due.length;
    },
    get pending() {
      return callbacks.size;
    },
  };
}
