/**
 * A wait on the injected clock that can be cut short: the transports sleep between attempts
 * (backoff, probe interval), and an `online` or `visible` signal, `retryNow()` or `stop()` must
 * be able to end that sleep at once instead of leaving a timer to run out.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";

/** One sleeper per transport; at most one sleep is in progress at a time. */
export class WakeableSleep {
  private timer: unknown = null;
  private wakeCurrent: (() => void) | null = null;

  constructor(private readonly clock: Clock) {}

  /** Whether a sleep is in progress. */
  get sleeping(): boolean {
    return this.wakeCurrent !== null;
  }

  /** Resolves after `ms` on the clock, or as soon as {@link wake} is called. */
  sleep(ms: number): Promise<void> {
    this.wake(); // a new sleep replaces an unfinished one rather than leaking it
    return new Promise<void>((resolve) => {
      const done = (): void => {
        if (this.wakeCurrent !== done) return;
        this.wakeCurrent = null;
        this.clock.clearTimeout(this.timer);
        this.timer = null;
        resolve();
      };
      this.wakeCurrent = done;
      this.timer = this.clock.setTimeout(done, ms);
    });
  }

  /** Ends the sleep in progress now. Returns false when there was none. */
  wake(): boolean {
    const wake = this.wakeCurrent;
    if (wake === null) return false;
    wake();
    return true;
  }
}
