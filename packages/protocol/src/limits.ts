/**
 * The protocol's limits: the sizes and counts both sides must agree on. A server enforces
 * them and answers with the error code named here; a client stays below them (and splits
 * its requests when it cannot). docs/protocol.md ("Limits") lists them with the limits that
 * are a server's own choice (retention, connections, rates).
 *
 * @module
 */

/**
 * Default largest server frame (or HTTP reply) a client accepts, in UTF-8 bytes: 4 MiB.
 * Larger ones are rejected by size before `JSON.parse`, so a hostile server cannot make the
 * client build a huge object graph. A client may choose another bound (the realtime client's
 * `maxFrameBytes` option).
 */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Largest client message a server reads, in UTF-8 bytes; a larger one gets error `too_large`. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/**
 * Hard limit on one WebSocket message from a client (the `ws` package's `maxPayload`): above
 * it the server closes the connection with 1009 before the message is even buffered. Between
 * {@link MAX_CLIENT_MESSAGE_BYTES} and this, the client gets a `too_large` error frame and
 * stays connected, which is more useful to a developer than a bare close.
 */
export const MAX_WS_PAYLOAD_BYTES = 4 * MAX_CLIENT_MESSAGE_BYTES;

/** Most metric ids in one subscribe, or in one `metrics=` poll parameter; more: `too_many_metrics`. */
export const MAX_SUBSCRIBE_METRICS = 1000;

/** Longest metric id or epoch string a client message may carry; longer: `bad_message`. */
export const MAX_ID_LENGTH = 200;

/** Most points in one single-metric `GET /api/history` reply (`metric=`); more: 400 `too_large`. */
export const HISTORY_MAX_POINTS = 100_000;

/** Most ids in one `metrics=` list of `GET /api/history` (more: 400 `too_many_metrics`). */
export const HISTORY_BATCH_MAX_METRICS = 1000;

/**
 * Most points, summed over every series, in one batched `GET /api/history` reply (more: 400
 * `too_large`; split the ids over several requests).
 */
export const HISTORY_BATCH_MAX_POINTS = 200_000;

/**
 * WebSocket close codes with a meaning in the protocol. After any of them retrying cannot
 * help: the reason is the client's credentials or behaviour, not the network.
 */
export const CLOSE_CODES = Object.freeze({
  /** The token is missing or wrong (HTTP's 401). */
  unauthorized: 4401,
  /** The origin (or the token's rights) is not allowed (HTTP's 403). */
  forbidden: 4403,
  /** Repeated abuse: too many invalid messages or a message flood. */
  policyViolation: 1008,
} as const);
