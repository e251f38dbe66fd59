/**
 * `@pulseboard/protocol`: the Pulseboard streaming protocol, version 1, in one place. The wire
 * types, the limits both sides agree on, the validators of everything a server sends (frames
 * and HTTP replies) and of everything a client sends. Every client and server of Pulseboard
 * depends on this package by name; docs/protocol.md is the prose specification.
 *
 * Nothing here throws on bad input, does I/O or keeps state: each validator takes untrusted
 * text (or parsed JSON) and returns the typed value or a failure with a code and a sentence.
 * It runs in browsers, workers and Node alike, with no dependency.
 *
 * @example
 * ```ts
 * import { parseServerFrame, PROTOCOL_VERSION } from "@pulseboard/protocol";
 *
 * const result = parseServerFrame(event.data);
 * if (!result.ok) console.warn(result.code, result.message);
 * else if (result.frame.type === "hello" && result.frame.protocol !== PROTOCOL_VERSION) socket.close();
 * ```
 *
 * @packageDocumentation
 */

// --- Wire types -----------------------------------------------------------------------------
export { PROTOCOL_VERSION } from "./types.js";
export type {
  ClientMessage,
  DataFrame,
  ErrorCode,
  ErrorFrame,
  EventLevel,
  EventsFrame,
  GapFrame,
  HelloFrame,
  HistoryBatchResponse,
  HistoryBatchSeries,
  HistoryResponse,
  MetricInfo,
  MetricKind,
  PingMessage,
  PollResponse,
  PongFrame,
  SeriesColumns,
  ServerFrame,
  SnapshotResponse,
  StreamEvent,
  StreamFrame,
  SubscribeMessage,
  SubscribedFrame,
} from "./types.js";

// --- Limits ---------------------------------------------------------------------------------
export {
  CLOSE_CODES,
  DEFAULT_MAX_FRAME_BYTES,
  HISTORY_BATCH_MAX_METRICS,
  HISTORY_BATCH_MAX_POINTS,
  HISTORY_MAX_POINTS,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_ID_LENGTH,
  MAX_SUBSCRIBE_METRICS,
  MAX_WS_PAYLOAD_BYTES,
} from "./limits.js";

// --- What a server sends: validation (client side) -----------------------------------------
export type { FrameErrorCode, ValidationFailure, ValidationResult } from "./validation.js";
export { parseServerFrame, validateStreamFrame, isHelloFrame, isStreamFrame, isGapFrame, encodeClientMessage } from "./server-frames.js";
export type { ParseOptions, ParseResult } from "./server-frames.js";
export {
  validatePollResponse,
  validateHistoryResponse,
  validateHistoryBatchResponse,
  validateSnapshotResponse,
  validateMetricCatalogue,
} from "./replies.js";

// --- What a client sends: validation (server side) -----------------------------------------
export { parseClientMessage, isSeq } from "./client-messages.js";
export type { ParsedClientMessage, ValidSubscribe } from "./client-messages.js";

// --- Text size --------------------------------------------------------------------------------
export { exceedsUtf8, utf8Length } from "./utf8.js";
