/**
 * Every default of {@link WebSocketManagerOptions}, in one frozen object: the only place a
 * default value is written. `resolveOptions` (./options.ts) applies these, `DEFAULT_BACKOFF`
 * (../scheduling/backoff.ts) is the `backoff` entry, and the README's option tables and the
 * `@default` tags of the option types are checked against it by test/defaults.test.ts.
 *
 * Platform hooks (`WebSocket`, `fetch`, `clock`, `random`, `frameScheduler`, `environment`)
 * and the derived `httpUrl` default to what the runtime provides; they are not values and are
 * not listed here.
 *
 * @module
 */

import { DEFAULT_MAX_FRAME_BYTES } from "@pulseboard/protocol";

/**
 * The defaults of {@link WebSocketManagerOptions}, frozen at every level. Nested entries
 * mirror the nested options (`heartbeat.intervalMs` is `MANAGER_DEFAULTS.heartbeat.intervalMs`).
 *
 * @example
 * ```ts
 * import { MANAGER_DEFAULTS, WebSocketManager } from "@pulseboard/realtime-client";
 *
 * // Twice the default patience before a silent socket is replaced.
 * const manager = new WebSocketManager({ url, heartbeat: { timeoutMs: 2 * MANAGER_DEFAULTS.heartbeat.timeoutMs } });
 * ```
 */
export const MANAGER_DEFAULTS = Object.freeze({
  source: "default",
  metrics: "*" as readonly string[] | "*",
  events: true,
  startFrom: "live" as "live" | "retained",
  bufferCapacity: 4096,
  eventCapacity: 1000,
  backoff: Object.freeze({ minMs: 250, maxMs: 10_000, factor: 2 }),
  maxRetries: Infinity,
  connectTimeoutMs: 5000,
  handshakeTimeoutMs: 10_000,
  heartbeat: Object.freeze({ intervalMs: 5000, timeoutMs: 12_000 }),
  holeRepair: Object.freeze({ waitMs: 300, maxResubscribes: 2 }),
  fallback: Object.freeze({ enabled: true, afterFailures: 3, pollWaitMs: 10_000, probeIntervalMs: 15_000, maxFramesPerPoll: 500 }),
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  history: Object.freeze({ backfill: true, prefillMs: 0 }),
});
