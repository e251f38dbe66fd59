/**
 * Validation of everything a client sends, and the protocol's limits.
 *
 * A message is checked in the order a reader would: size, then JSON, then shape, then
 * content. Each failure becomes an error code from the contract; nothing here throws.
 */
import type {
  ErrorCode,
  PingMessage,
  SubscribeMessage,
} from "../../packages/realtime-client/src/protocol-types.js";
import type { Catalogue } from "./catalogue.js";

/** Largest client message the server reads (bytes of UTF-8). Larger: error `too_large`. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
/**
 * Hard limit handed to `ws` as `maxPayload`: a message above it closes the connection with
 * 1009 before it is even buffered. Between the two limits the client gets a `too_large`
 * error frame and stays connected, which is more useful to a developer than a bare close.
 */
export const MAX_WS_PAYLOAD_BYTES = 4 * MAX_CLIENT_MESSAGE_BYTES;
/** Most metric ids in one subscribe (or one `metrics=` poll parameter). */
export const MAX_SUBSCRIBE_METRICS = 1000;
/** Longest metric id or epoch string accepted. */
const MAX_ID_LENGTH = 200;

/** A validated subscribe: `since` is null when absent. */
export interface ValidSubscribe {
  type: "subscribe";
  metrics: string[] | "*";
  since: number | null;
  epoch: string | undefined;
  events: boolean;
}

export type ParsedClientMessage =
  | { ok: true; message: ValidSubscribe | PingMessage }
  | { ok: false; code: ErrorCode; message: string };

function fail(code: ErrorCode, message: string): ParsedClientMessage {
  return { ok: false, code, message };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for a seq value: a non-negative safe integer. */
export function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Parses and validates one WebSocket message from a client.
 *
 * @param data the message as received (`ws` hands text messages over as Buffers)
 * @param isBinary binary messages are not part of the protocol
 */
export function parseClientMessage(data: Buffer | string, isBinary: boolean): ParsedClientMessage {
  const size = typeof data === "string" ? Buffer.byteLength(data) : data.length;
  if (size > MAX_CLIENT_MESSAGE_BYTES) {
    return fail("too_large", `message of ${size} bytes exceeds the limit of ${MAX_CLIENT_MESSAGE_BYTES} bytes`);
  }
  if (isBinary) return fail("bad_message", "binary messages are not part of the protocol; send JSON text");
  let value: unknown;
  try {
    value = JSON.parse(typeof data === "string" ? data : data.toString("utf8"));
  } catch {
    return fail("bad_json", "message is not valid JSON");
  }
  if (!isPlainObject(value)) return fail("bad_message", "message must be a JSON object");
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

/** Splits requested ids into catalogue ids and unknown ones (order kept, duplicates removed). */
export function resolveMetrics(catalogue: Catalogue, requested: readonly string[] | "*"): { known: string[] | "*"; unknown: string[] } {
  if (requested === "*") return { known: "*", unknown: [] };
  const known: string[] = [];
  const unknown: string[] = [];
  for (const id of new Set(requested)) (catalogue.has(id) ? known : unknown).push(id);
  return { known, unknown };
}

/** A short, bounded description of unknown ids for an error message. */
export function describeUnknown(unknown: readonly string[]): string {
  const shown = unknown.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 60)));
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : "";
  return `unknown metric id${unknown.length > 1 ? "s" : ""} ${shown.join(", ")}${more}; subscribed to the known ones`;
}
