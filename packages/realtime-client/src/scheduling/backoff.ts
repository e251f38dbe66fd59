/**
 * Reconnect delays: exponential backoff with full jitter.
 *
 * Why jitter: when a server restarts, every client notices at the same moment. Without
 * jitter they all retry in lockstep (250 ms, 500 ms, 1 s...) and hit the server in waves.
 * "Full jitter" picks the delay uniformly in [0, cap], which spreads the retries over the
 * whole window; AWS measured it as the variant with the least total work and the fewest
 * collisions: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 *
 * @module
 */

import { MANAGER_DEFAULTS } from "../client/defaults.js";

/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /**
   * Cap of the first retry (attempt 0), in milliseconds.
   * @default 250
   */
  minMs?: number;
  /**
   * Largest delay ever returned, in milliseconds.
   * @default 10000
   */
  maxMs?: number;
  /**
   * Growth of the cap per attempt.
   * @default 2
   */
  factor?: number;
}

/** Defaults of {@link BackoffOptions}: the manager's (`MANAGER_DEFAULTS.backoff`), so the pattern and the client agree. */
export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>> = MANAGER_DEFAULTS.backoff;

/**
 * The upper bound of the jittered delay for an attempt: `min(maxMs, minMs * factor^attempt)`.
 *
 * @param attempt - 0 for the first retry; negative or non-finite values count as 0.
 * @param options - see {@link BackoffOptions}.
 * @returns the cap in milliseconds, in [0, maxMs].
 * @example
 * ```ts
 * backoffCap(0); // 250
 * backoffCap(3); // 2000
 * backoffCap(10); // 10000 (capped)
 * ```
 */
export function backoffCap(attempt: number, options?: BackoffOptions): number {
  const minMs = options?.minMs ?? DEFAULT_BACKOFF.minMs;
  const maxMs = options?.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const factor = options?.factor ?? DEFAULT_BACKOFF.factor;
  const n = attempt > 0 && attempt < Infinity ? Math.floor(attempt) : 0;
  // factor^n overflows to Infinity for large n; Math.min then picks maxMs, which is the point.
  const cap = Math.min(maxMs, minMs * Math.pow(factor, n));
  // Math.min already keeps cap <= maxMs. Invalid options (see validateBackoff) can still make
  // it NaN or negative; clamp to 0 so the result is always a usable timer delay.
  return cap > 0 ? cap : 0;
}

/**
 * Delay before retry number `attempt`: `random() * min(maxMs, minMs * factor^attempt)`.
 *
 * Pure: the same inputs give the same output, so tests pass a fixed `random`. Options are
 * not validated here (do that once with {@link validateBackoff} when the client is
 * configured); invalid numbers are clamped instead of thrown, so a retry loop cannot crash.
 *
 * @param attempt - 0 for the first retry, 1 for the second, ...
 * @param options - see {@link BackoffOptions}.
 * @param random - uniform source in [0, 1).
 * @default random Math.random
 * @returns milliseconds, never below 0 nor above `maxMs`.
 * @example
 * ```ts
 * let attempt = 0;
 * const retry = () => setTimeout(connect, backoffDelay(attempt++));
 * // After a successful connection: attempt = 0.
 * ```
 */
export function backoffDelay(
  attempt: number,
  options?: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = backoffCap(attempt, options);
  let r = random();
  // A misbehaving random source must not produce a negative, NaN or over-cap delay.
  if (!(r > 0)) r = 0;
  else if (r > 1) r = 1;
  return r * cap;
}

/**
 * Check backoff options once, at configuration time.
 *
 * @param options - see {@link BackoffOptions}.
 * @returns the options with defaults filled in.
 * @throws RangeError with a sentence naming the bad option.
 * @example
 * ```ts
 * validateBackoff({ minMs: 500, maxMs: 30_000 }); // ok
 * validateBackoff({ minMs: 500, maxMs: 100 }); // RangeError: backoff maxMs (100) must be >= minMs (500)
 * ```
 */
export function validateBackoff(options: BackoffOptions = {}): Required<BackoffOptions> {
  const minMs = options.minMs ?? DEFAULT_BACKOFF.minMs;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  if (typeof minMs !== "number" || !Number.isFinite(minMs) || minMs < 0) {
    throw new RangeError(`backoff minMs must be a finite number >= 0, got ${String(minMs)}`);
  }
  if (typeof maxMs !== "number" || !Number.isFinite(maxMs) || maxMs <= 0) {
    throw new RangeError(`backoff maxMs must be a finite number > 0, got ${String(maxMs)}`);
  }
  if (maxMs < minMs) {
    throw new RangeError(`backoff maxMs (${maxMs}) must be >= minMs (${minMs})`);
  }
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 1) {
    throw new RangeError(
      `backoff factor must be a finite number >= 1 (delays must not shrink), got ${String(factor)}`,
    );
  }
  return { minMs, maxMs, factor };
}
