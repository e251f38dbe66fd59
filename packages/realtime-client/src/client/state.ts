/**
 * The manager's connection states and the reason codes of its `error` events.
 *
 * @module
 */

/**
 * Where the manager is. Transitions (every one emits a `state` event exactly once):
 *
 * ```
 * idle ──connect()──▶ connecting ──subscribed──▶ open ◀──────────────┐
 *                         │                        │                 │ probe socket caught up
 *                         └──socket lost/failed──▶ reconnecting ─────┤ (make-before-break)
 *                                                  │    ▲            │
 *                          afterFailures failures, ┘    └─ socket ── polling
 *                          then a poll reply               lost
 *
 * Every transport failing (the WebSocket attempt never opened, and the poll failed too):
 * reconnecting ──first poll after the switch fails──────▶ unreachable ──poll reply─────▶ polling
 * polling ──poll failed, a probe refused as well─────────▶ unreachable ──probe caught up──▶ open
 * reconnecting ──fallback off: an attempt never opened──▶ unreachable ──subscribed──────▶ open
 *
 * any ──close()──▶ closed        any ──auth/policy close, maxRetries──▶ failed
 * closed / failed ──connect()──▶ connecting
 * ```
 *
 * `unreachable`: every transport failed its latest attempt (a WebSocket attempt that never
 * opened, and a poll, or the WebSocket alone when `fallback.enabled` is false); the manager
 * keeps retrying and announces each wait (`retry`, `stats().nextRetryAt`).
 */
export type ConnectionState = "idle" | "connecting" | "open" | "polling" | "reconnecting" | "unreachable" | "closed" | "failed";

/** Reason codes of `error` events. See the README's error table. */
export type ManagerErrorCode =
  /** A frame was rejected by validation (see `FrameErrorCode`). */
  | "too_large"
  | "bad_json"
  | "bad_shape"
  | "unknown_type"
  | "bad_value"
  /** A binary WebSocket message; the protocol is text only. */
  | "binary_frame"
  /** A data frame named metrics that are not in the catalogue (their points are ignored). */
  | "unknown_metric"
  /** The server sent an `error` frame; `serverCode` says which. */
  | "server_error"
  /** The server speaks another protocol version. Fatal. */
  | "protocol_mismatch"
  /** Close code 4401 or HTTP 401. Fatal. */
  | "unauthorized"
  /** Close code 4403 or HTTP 403. Fatal. */
  | "forbidden"
  /** Close code 1008 (policy violation). Fatal. */
  | "policy_violation"
  /** A WebSocket attempt did not complete its handshake within `connectTimeoutMs`. */
  | "connect_timeout"
  /** A WebSocket attempt failed before opening (refused, HTTP error on upgrade, DNS...). */
  | "connection_failed"
  /** An open WebSocket closed. */
  | "connection_lost"
  /** Nothing was received for `heartbeat.timeoutMs`; the socket was replaced. */
  | "heartbeat_timeout"
  /** An open socket did not complete its handshake (`hello`, then `subscribed`) within `handshakeTimeoutMs`; it was replaced. */
  | "handshake_timeout"
  /**
   * Frames were lost on an open socket (a hole in the seqs): the client resubscribed from its
   * cursor, or replaced the socket when resubscribing did not fill it. See `holeRepair`.
   */
  | "seq_hole"
  /** An HTTP poll failed (status, network, timeout or invalid body). */
  | "poll_failed"
  /** A history request for a gap failed; the range is marked as a hole. */
  | "history_failed"
  /** `maxRetries` consecutive failures. Fatal. */
  | "max_retries";
