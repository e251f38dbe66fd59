/**
 * When will the next reconnect attempt start? The manager knows (it sleeps for a jittered
 * backoff delay) but does not say: no event or stat carries the planned delay. A status line
 * that shows "retrying in 3 s" therefore reconstructs it here, from public pieces only:
 *
 * - the manager draws the jitter from the `random` option, and only for backoff delays, so a
 *   wrapped `random` sees the exact value it uses;
 * - the attempt number is the count of consecutive WebSocket failures (`error` events with a
 *   socket code) since the stream last flowed, which is how the manager counts them;
 * - `backoffDelay(attempt, backoff, () => r)` is the client's own pure function.
 *
 * This is a stopgap: the estimate is exact for the current client, but it relies on how the
 * manager spends its random numbers. The client should expose the planned retry time itself
 * (a `retry` event with `delayMs`, or `nextRetryAt` in `stats()`); this file then goes away.
 *
 * @module
 */
import { backoffDelay, type BackoffOptions, type ConnectionState, type ManagerErrorCode } from "@pulseboard/realtime-client";

/** Error codes after which the manager waits a backoff delay before the next socket. */
const SOCKET_FAILURES: ReadonlySet<ManagerErrorCode> = new Set(["connect_timeout", "connection_failed", "connection_lost", "heartbeat_timeout"]);

/** Reconstructs the manager's next retry time. Feed it the manager's events. */
export interface RetryEstimator {
  /** Pass as the manager's `random` option. */
  readonly random: () => number;
  /** Call on every `error` event, with the manager's transport at that moment. */
  noteError(code: ManagerErrorCode, transport: "websocket" | "polling"): void;
  /** Call on every `state` event. */
  noteState(state: ConnectionState): void;
  /** Epoch ms when the next attempt starts, or null when no wait is known. */
  retryAt(): number | null;
}

/**
 * @param backoff - the backoff options given to the manager (same object).
 * @param now - clock of the manager.
 * @param onChange - called when the estimate changes.
 * @param source - the real random source.
 * @returns the estimator.
 */
export function makeRetryEstimator(
  backoff: BackoffOptions | undefined,
  now: () => number,
  onChange: (retryAt: number | null) => void,
  source: () => number = Math.random,
): RetryEstimator {
  let failures = 0;
  let state: ConnectionState = "idle";
  let at: number | null = null;
  const set = (value: number | null): void => {
    if (value === at) return;
    at = value;
    onChange(value);
  };
  return {
    random() {
      const r = source();
      // While polling, random numbers pace failed polls, not socket retries.
      if (state === "reconnecting") set(now() + backoffDelay(Math.max(0, failures - 1), backoff, () => r));
      return r;
    },
    noteError(code, transport) {
      if (transport === "websocket" && SOCKET_FAILURES.has(code)) failures++;
    },
    noteState(next) {
      state = next;
      if (next === "open" || next === "polling" || next === "idle" || next === "closed" || next === "failed") failures = 0;
      if (next !== "reconnecting") set(null);
    },
    retryAt: () => at,
  };
}
