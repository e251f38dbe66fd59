/**
 * The wait before the manager's next attempt, announced.
 *
 * A status line that says "retrying in 3 s" needs the delay the manager drew, and only the
 * manager knows it: the jitter is random by design. Every backoff wait is therefore published
 * as a `retry` event when it is scheduled, and as `stats().nextRetryAt` while it lasts.
 *
 * Which waits count: the reconnect backoff while the WebSocket carries the stream, and the
 * failure backoff while polling does. The probe interval while polling does not: the stream
 * flows, nothing failed, and a countdown would announce an outage that is not there. In state
 * `unreachable` with polling carrying the stream, the announced wait is the next poll's (the
 * probes go on at their own interval; either one getting through ends the state).
 *
 * @module
 */

import { backoffDelay } from "./backoff.js";
import type { Clock } from "./clock.js";
import type { TransportKind } from "../transports/types.js";
import type { RetryEvent } from "../client/types.js";

/** Options of {@link RetrySchedule}. */
export interface RetryScheduleOptions {
  clock: Clock;
  backoff: { minMs: number; maxMs: number; factor: number };
  /** Uniform in [0, 1): the jitter. */
  random: () => number;
  /** Announce a scheduled wait (the manager's `retry` event). */
  emit: (event: RetryEvent) => void;
}

/**
 * Draws backoff delays and remembers the one wait in progress.
 *
 * @example
 * ```ts
 * const retries = new RetrySchedule({ clock, backoff, random, emit: (e) => emitter.emit("retry", e) });
 * await sleeper.sleep(retries.plan("websocket", failures));
 * retries.started("websocket");
 * ```
 */
export class RetrySchedule {
  private readonly options: RetryScheduleOptions;
  private pending: { transport: TransportKind; at: number } | null = null;

  /** @param options - see {@link RetryScheduleOptions}. */
  constructor(options: RetryScheduleOptions) {
    this.options = options;
  }

  /** Clock time of the attempt being waited for, or null when no wait is in progress. */
  get nextAt(): number | null {
    return this.pending === null ? null : this.pending.at;
  }

  /**
   * Draw the wait before retry number `attempt` of `transport` and announce it.
   * @param transport - the transport that will retry.
   * @param attempt - 1 for the first retry after a success (or `connect()`), 2 for the next...
   * @returns the delay in ms: `random() * min(maxMs, minMs * factor^(attempt - 1))`.
   */
  plan(transport: TransportKind, attempt: number): number {
    const { clock, backoff, random } = this.options;
    const delayMs = backoffDelay(attempt - 1, backoff, random);
    const at = clock.now() + delayMs;
    // Recorded before the event: a listener that calls close() must find something to clear.
    this.pending = { transport, at };
    this.options.emit({ attempt, delayMs, at, transport });
    return delayMs;
  }

  /**
   * The wait of `transport` is over (elapsed or cut short) and its attempt starts. A wait of
   * the other transport is left alone.
   * @param transport - the transport whose attempt starts.
   */
  started(transport: TransportKind): void {
    if (this.pending?.transport === transport) this.pending = null;
  }

  /** Nothing is scheduled any more (closed, failed, or the stream moved to another transport). */
  clear(): void {
    this.pending = null;
  }
}
