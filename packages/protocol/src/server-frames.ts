/**
 * Run-time validation of what the server sends, and encoding of what the client sends.
 *
 * Server text is untrusted: a proxy can truncate it, a buggy server can change a shape, an
 * attacker can send anything. Parsing therefore never throws; every problem comes back as a
 * value with a {@link FrameErrorCode} and a sentence, and the stream carries on.
 *
 * Error codes: see {@link FrameErrorCode} (./validation.ts).
 *
 * Deliberately NOT a frame error: a value inside a data frame's `v` column that is not a
 * finite number (`null`, `"NaN"`, a string). JSON cannot encode NaN, so servers emit `null`
 * for a missing sample; rejecting the whole frame would lose every good point beside it and
 * open a hole in the seq stream. Those entries pass through untouched and the
 * client's store drops and counts them one by one.
 *
 * Strings (labels, event texts, sources) are returned exactly as received and never
 * interpreted; render them as text. Unknown extra fields are ignored (forward compatibility).
 *
 * Validation uses plain loops over the parsed arrays: no schema library, no per-point
 * allocation. A valid frame is returned as the very object `JSON.parse` produced.
 *
 * This file holds WebSocket frames (parse, type guards) and the encoding of the client's own
 * messages. The HTTP replies (poll, history, snapshot, catalogue) are validated by
 * ./replies.ts; the checks both are built from, one per field kind and frame type, are
 * ./checks.ts. What a server makes of client messages is ./client-messages.ts.
 *
 * @module
 */
import { checkServerFrame, describe, fail, isObject, result, type Obj } from "./checks.js";
import { DEFAULT_MAX_FRAME_BYTES } from "./limits.js";
import { exceedsUtf8 } from "./utf8.js";
import type { ClientMessage, DataFrame, EventsFrame, GapFrame, HelloFrame, ServerFrame, StreamFrame } from "./types.js";
import type { FrameErrorCode, ValidationResult } from "./validation.js";

/**
 * Outcome of {@link parseServerFrame}. `bytes` is the text's size (see `maxBytes`).
 * A rejected frame whose `seq` could still be read reports it, so the caller can account
 * for the seq it will never apply instead of waiting for it.
 */
export type ParseResult =
  | { ok: true; frame: ServerFrame; bytes: number }
  | { ok: false; code: FrameErrorCode; message: string; bytes: number; seq?: number };

/** Options of {@link parseServerFrame}. */
export interface ParseOptions {
  /**
   * Largest accepted frame, in UTF-8 bytes.
   * @default 4194304 (4 MiB, {@link DEFAULT_MAX_FRAME_BYTES})
   */
  maxBytes?: number;
}

/**
 * Parse and validate one text frame received from the server. Never throws.
 *
 * Size: a frame larger than `maxBytes` UTF-8 bytes is rejected before `JSON.parse`, so a
 * hostile server cannot make the client build a huge object graph. The exact UTF-8 length is
 * only computed for texts whose UTF-16 length leaves the answer open (between maxBytes/3 and
 * maxBytes code units). The reported `bytes` is the UTF-16 length, which equals the UTF-8
 * size for the ASCII JSON the server sends and costs nothing to measure.
 *
 * @param text - the frame as received (WebSocket message or one element of a poll reply).
 * @param options - see {@link ParseOptions}.
 * @returns the frame (the object `JSON.parse` built, unchanged) or a failure with a code.
 * @example
 * ```ts
 * const result = parseServerFrame(event.data);
 * if (!result.ok) report(result.code, result.message);
 * else if (result.frame.type === "data") store.ingest(result.frame);
 * ```
 */
export function parseServerFrame(text: string, options?: ParseOptions): ParseResult {
  const bytes = typeof text === "string" ? text.length : 0;
  if (typeof text !== "string") {
    return { ok: false, code: "bad_shape", message: `a frame must be text, got ${describe(text)}`, bytes };
  }
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (exceedsUtf8(text, maxBytes)) {
    return { ok: false, code: "too_large", message: `frame exceeds ${maxBytes} bytes`, bytes };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : "";
    return { ok: false, code: "bad_json", message: `frame is not valid JSON${detail}`, bytes };
  }
  const failure = checkServerFrame(value, "frame");
  if (failure === null) return { ok: true, frame: value as ServerFrame, bytes };
  const seq = (value as Obj | null)?.seq;
  const type = (value as Obj | null)?.type;
  if ((type === "data" || type === "events") && Number.isSafeInteger(seq) && (seq as number) > 0) {
    return { ok: false, code: failure.code, message: failure.message, bytes, seq: seq as number };
  }
  return { ok: false, code: failure.code, message: failure.message, bytes };
}

/**
 * Validate an already parsed value as a seq-carrying frame (`data` or `events`).
 * @param value - untrusted parsed JSON.
 * @returns the frame or a failure.
 * @example
 * ```ts
 * const frame = validateStreamFrame(JSON.parse(text));
 * if (frame.ok) cursor.offer(frame.value);
 * ```
 */
export function validateStreamFrame(value: unknown): ValidationResult<StreamFrame> {
  if (isObject(value) && value.type !== "data" && value.type !== "events" && typeof value.type === "string") {
    return fail("unknown_type", `expected a data or events frame, got type ${describe(value.type)}`);
  }
  return result<DataFrame | EventsFrame>(value, checkServerFrame(value, "frame"));
}

/**
 * Type guard for a successfully parsed hello, handy right after connecting.
 * @param frame - any server frame.
 * @returns whether it is the hello frame.
 */
export function isHelloFrame(frame: ServerFrame): frame is HelloFrame {
  return frame.type === "hello";
}

/**
 * Type guard for the frames that carry a seq (a client's seq cursor orders them).
 * @param frame - any server frame.
 * @returns whether it is a `data` or `events` frame.
 */
export function isStreamFrame(frame: ServerFrame): frame is StreamFrame {
  return frame.type === "data" || frame.type === "events";
}

/**
 * Type guard for gap notices (seqs the server can no longer replay).
 * @param frame - any server frame.
 * @returns whether it is a gap notice.
 */
export function isGapFrame(frame: ServerFrame): frame is GapFrame {
  return frame.type === "gap";
}

/**
 * Encode a client message for the WebSocket. The message type guarantees its shape;
 * `undefined` fields (for example an omitted `since`) disappear from the JSON.
 *
 * @param message - a subscribe or ping message.
 * @returns the JSON text to send.
 * @example
 * ```ts
 * socket.send(encodeClientMessage({ type: "subscribe", metrics: "*", since: cursor.seq || null, epoch }));
 * ```
 */
export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}
