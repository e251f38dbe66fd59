/**
 * What a server makes of a client's messages: every one is validated before it is acted on.
 *
 * A message is checked in the order a reader would: size, then JSON, then shape, then
 * content. Each failure becomes an error code of the protocol (the server answers with an
 * `error` frame carrying it); nothing here throws. Encoding the messages is the client's
 * side: `encodeClientMessage` in ./server-frames.ts.
 *
 * Works on the text or the bytes as received, in any runtime: `ws` hands text messages over
 * as a `Buffer`, which is a `Uint8Array`.
 *
 * @module
 */
import { isObject } from "./checks.js";
import { MAX_CLIENT_MESSAGE_BYTES, MAX_ID_LENGTH, MAX_SUBSCRIBE_METRICS } from "./limits.js";
import type { ErrorCode, PingMessage, SubscribeMessage } from "./types.js";
import { exceedsUtf8, utf8Length } from "./utf8.js";

/** A validated subscribe: `since` is null when absent, `events` true when absent, ids deduplicated. */
export interface ValidSubscribe {
  type: "subscribe";
  metrics: string[] | "*";
  since: number | null;
  epoch: string | undefined;
  events: boolean;
}

/** Outcome of {@link parseClientMessage}: the message, or the error code to answer with. */
export type ParsedClientMessage =
  | { ok: true; message: ValidSubscribe | PingMessage }
  | { ok: false; code: ErrorCode; message: string };

/** Invalid UTF-8 becomes U+FFFD, and then fails as JSON or as a value: never a throw. */
const decoder = new TextDecoder();

function fail(code: ErrorCode, message: string): ParsedClientMessage {
  return { ok: false, code, message };
}

/**
 * @param value - anything.
 * @returns whether it is a seq value a client may send: a non-negative safe integer.
 */
export function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Parse and validate one WebSocket message from a client. Never throws.
 *
 * @param data - the message as received: text, or its UTF-8 bytes (`ws` hands text messages
 *   over as a `Buffer`).
 * @param isBinary - whether it arrived as a binary message: not part of the protocol.
 * @returns the message (a subscribe with its defaults applied, or a ping) or the error code
 *   and sentence to answer with.
 * @example
 * ```ts
 * socket.on("message", (data, isBinary) => {
 *   const parsed = parseClientMessage(data as Buffer, isBinary);
 *   if (!parsed.ok) socket.send(JSON.stringify({ type: "error", code: parsed.code, message: parsed.message }));
 *   else if (parsed.message.type === "subscribe") subscribe(parsed.message);
 * });
 * ```
 */
export function parseClientMessage(data: string | Uint8Array, isBinary: boolean): ParsedClientMessage {
  if (typeof data === "string" ? exceedsUtf8(data, MAX_CLIENT_MESSAGE_BYTES) : data.byteLength > MAX_CLIENT_MESSAGE_BYTES) {
    const size = typeof data === "string" ? utf8Length(data) : data.byteLength;
    return fail("too_large", `message of ${size} bytes exceeds the limit of ${MAX_CLIENT_MESSAGE_BYTES} bytes`);
  }
  if (isBinary) return fail("bad_message", "binary messages are not part of the protocol; send JSON text");
  let value: unknown;
  try {
    value = JSON.parse(typeof data === "string" ? data : decoder.decode(data));
  } catch {
    return fail("bad_json", "message is not valid JSON");
  }
  if (!isObject(value)) return fail("bad_message", "message must be a JSON object");
  if (typeof value.type !== "string") return fail("bad_message", 'message must have a string "type"');
  switch (value.type) {
    case "subscribe":
      return parseSubscribe(value);
    case "ping":
      return parsePing(value);
    default:
      return fail("unknown_type", `unknown message type "${value.type.slice(0, 40)}"; expected "subscribe" or "ping"`);
  }
}

function parseSubscribe(value: Record<string, unknown>): ParsedClientMessage {
  const { metrics, since, epoch, events } = value as Partial<Record<keyof SubscribeMessage, unknown>>;
  let ids: string[] | "*";
  if (metrics === "*") {
    ids = "*";
  } else if (Array.isArray(metrics)) {
    if (metrics.length > MAX_SUBSCRIBE_METRICS) {
      return fail("too_many_metrics", `${metrics.length} metric ids exceed the limit of ${MAX_SUBSCRIBE_METRICS}; use "*" for all`);
    }
    if (!metrics.every((id) => typeof id === "string" && id.length > 0 && id.length <= MAX_ID_LENGTH)) {
      return fail("bad_message", `"metrics" must be "*" or an array of non-empty strings (at most ${MAX_ID_LENGTH} characters)`);
    }
    ids = [...new Set(metrics as string[])];
  } else {
    return fail("bad_message", '"metrics" must be "*" or an array of metric ids');
  }
  if (since !== undefined && since !== null && !isSeq(since)) {
    return fail("bad_message", '"since" must be a non-negative integer seq, null, or absent');
  }
  if (epoch !== undefined && (typeof epoch !== "string" || epoch.length > MAX_ID_LENGTH)) {
    return fail("bad_message", `"epoch" must be a string of at most ${MAX_ID_LENGTH} characters`);
  }
  if (events !== undefined && typeof events !== "boolean") return fail("bad_message", '"events" must be a boolean');
  return {
    ok: true,
    message: { type: "subscribe", metrics: ids, since: since ?? null, epoch, events: events ?? true },
  };
}

function parsePing(value: Record<string, unknown>): ParsedClientMessage {
  const { id, clientTime } = value;
  if (typeof id !== "number" || !Number.isFinite(id) || typeof clientTime !== "number" || !Number.isFinite(clientTime)) {
    return fail("bad_message", 'ping must have numeric "id" and "clientTime"');
  }
  return { ok: true, message: { type: "ping", id, clientTime } };
}
