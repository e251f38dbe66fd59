/**
 * Environment hooks the test triggers: pass them as the manager's `environment` and call
 * `emit("online")` or `emit("visible")` where a browser would fire `online` or make the page
 * visible.
 *
 * @module
 */

import type { EnvironmentHooks, EnvironmentSignal } from "../scheduling/environment.js";

/**
 * {@link EnvironmentHooks} driven by hand.
 *
 * @example
 * ```ts
 * const environment = createManualEnvironment();
 * const manager = new WebSocketManager({ url, WebSocket: ws.WebSocket, environment });
 * manager.connect();
 * environment.emit("online"); // a backoff wait in progress ends at once
 * manager.close();
 * expect(environment.listeners).toBe(0);
 * ```
 */
export interface ManualEnvironment extends EnvironmentHooks {
  /** Call every current listener with `signal`. */
  emit(signal: EnvironmentSignal): void;
  /** Listeners currently subscribed (for leak checks). */
  readonly listeners: number;
}

/**
 * Create a {@link ManualEnvironment}.
 *
 * @returns hooks with no listener.
 *
 * @example
 * ```ts
 * const environment = createManualEnvironment();
 * const stop = environment.subscribe((signal) => console.log(signal));
 * environment.emit("visible"); // logs "visible"
 * stop();
 * ```
 */
export function createManualEnvironment(): ManualEnvironment {
  const listeners = new Set<(signal: EnvironmentSignal) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(signal) {
      for (const listener of [...listeners]) listener(signal);
    },
    get listeners() {
      return listeners.size;
    },
  };
}
