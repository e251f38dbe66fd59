/**
 * Signals from the page that make waiting for a backoff timer pointless: the network came
 * back (`online`), or the tab became visible again (`visible`). Browsers throttle timers in
 * background tabs (to once per second, later once per minute), so a reconnect scheduled while
 * the tab was hidden may fire long after the user returned; reacting to these two signals
 * makes the client reconnect the moment it matters.
 *
 * The manager only needs a way to subscribe, so Node scripts, workers and tests can pass
 * their own hooks (or none).
 *
 * @module
 */

/** What the environment tells the manager. */
export type EnvironmentSignal = "online" | "visible";

/**
 * Hooks into the host environment. `subscribe` returns its own cleanup (the `make*` pattern).
 *
 * @example
 * ```ts
 * // A hand-driven environment for tests or custom hosts.
 * const listeners = new Set<(s: EnvironmentSignal) => void>();
 * const environment: EnvironmentHooks = {
 *   subscribe(listener) {
 *     listeners.add(listener);
 *     return () => listeners.delete(listener);
 *   },
 * };
 * listeners.forEach((l) => l("online"));
 * ```
 */
export interface EnvironmentHooks {
  /**
   * Start listening.
   * @param listener - called with `online` or `visible`.
   * @returns a function that stops listening.
   */
  subscribe(listener: (signal: EnvironmentSignal) => void): () => void;
}

/** Hooks that never fire: the right choice in Node and in workers without a document. */
export const noopEnvironment: EnvironmentHooks = Object.freeze({
  subscribe: () => () => {},
});

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface DocumentLike extends EventTargetLike {
  visibilityState?: string;
}

/**
 * Environment hooks from `window` (`online`) and `document` (`visibilitychange` to
 * `visible`). Falls back to {@link noopEnvironment} when neither exists (Node).
 *
 * @param target - the global object to read `window`/`document` from.
 * @default target globalThis
 * @returns hooks suitable for the `environment` option.
 * @example
 * ```ts
 * const manager = new WebSocketManager({ url, environment: makeBrowserEnvironment() });
 * ```
 */
export function makeBrowserEnvironment(target: object = globalThis): EnvironmentHooks {
  const scope = target as { window?: EventTargetLike; document?: DocumentLike };
  const win = scope.window;
  const doc = scope.document;
  const hasWindow = win !== undefined && typeof win.addEventListener === "function";
  const hasDocument = doc !== undefined && typeof doc.addEventListener === "function";
  if (!hasWindow && !hasDocument) return noopEnvironment;

  return {
    subscribe(listener) {
      const onOnline = (): void => {
        listener("online");
      };
      const onVisibility = (): void => {
        if (doc?.visibilityState === "visible") listener("visible");
      };
      if (hasWindow) win.addEventListener("online", onOnline);
      if (hasDocument) doc.addEventListener("visibilitychange", onVisibility);
      return () => {
        if (hasWindow) win.removeEventListener("online", onOnline);
        if (hasDocument) doc.removeEventListener("visibilitychange", onVisibility);
      };
    },
  };
}
