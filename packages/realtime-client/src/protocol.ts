/**
 * Run-time validation of what the server sends, and encoding of what the client sends.
 *
 * Server text is untrusted: a proxy can truncate it, a buggy server can change a shape, an
 * attacker can send anything. Parsing therefore never throws; every problem comes back as a
 * value with a {@link FrameErrorCode} and a sentence, and the stream carries on.
 *
 * Error codes:
 *
 * | code           | meaning                                                                   |
 * |----------------|---------------------------------------------------------------------------|
 * | `too_large`    | the text exceeds `maxBytes` (UTF-8); it is not parsed at all               |
 * | `bad_json`     | `JSON.parse` failed                                                        |
 * | `bad_shape`    | not an object, a required field missing or of the wrong JSON type, `t`/`v` of different lengths |
 * | `unknown_type` | `type` is a string this protocol version does not define                   |
 * | `bad_value`    | right shape, impossible value: seq not a positive safe integer, non-finite time, unknown enum member, `from > to` |
 *
 * Deliberately NOT a frame error: a value inside a data frame's `v` column that is not a
 * finite number (`null`, `"NaN"`, a string). JSON cannot encode NaN, so servers emit `null`
 * for a missing sample; rejecting the whole frame would lose every good point beside it and
 * open a hole in the seq stream. Those entries pass through untouched and the
 * {@link SeriesStore} drops and counts them one by one.
 *
 * Strings (labels, event texts, sources) are returned exactly as received and never
 * interpreted; render them as text. Unknown extra fields are ignored (forward compatibility).
 *
 * Validation uses plain loops over the parsed arrays: no schema library, no per-point
 * allocation. A valid frame is returned as the very object `JSON.parse` produced.
 *
 * @module
 */
import type {
  ClientMessage,
  DataFrame,
  ErrorCode,
  EventsFrame,
  GapFrame,
  HelloFrame,
  HistoryBatchResponse,
  HistoryResponse,
  MetricInfo,
  PollResponse,
  ServerFrame,
  SnapshotResponse,
  StreamFrame,
} from "./protocol-types.js";

/** Why a frame or response was rejected. See the table in this module's documentation. */
export type FrameErrorCode = "too_large" | "bad_json" | "bad_shape" | "unknown_type" | "bad_value";

/** A rejection: a code to act on and a sentence for logs. */
export interface ValidationFailure {
  ok: false;
  code: FrameErrorCode;
  message: string;
}

/** Outcome of validating an already parsed value. */
export type ValidationResult<T> = { ok: true; value: T } | ValidationFailure;

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
   * @default 4194304 (4 MiB)
   */
  maxBytes?: number;
}

/** Default of {@link ParseOptions.maxBytes}: 4 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

const METRIC_KINDS: ReadonlySet<string> = new Set(["gauge", "rate", "counter", "latency", "share"]);
const EVENT_LEVELS: ReadonlySet<string> = new Set(["debug", "info", "warn", "error"]);
const EVENT_KINDS: ReadonlySet<string> = new Set(["deploy", "alert", "log"]);
const GAP_REASONS: ReadonlySet<string> = new Set(["retention", "epoch"]);
const ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "bad_json",
  "bad_message",
  "unknown_type",
  "too_large",
  "too_many_metrics",
  "unknown_metric",
  "bad_since",
  "unauthorized",
  "forbidden_origin",
  "unknown_source",
  "rate_limited",
  "internal",
]);

type Obj = Record<string, unknown>;

function fail(code: FrameErrorCode, message: string): ValidationFailure {
  return { ok: false, code, message };
}

/**
 * Prefix a nested failure with its location. Locations such as `data.series["cpu"]` are only
 * built here, on failure: building them for every series of every valid frame would cost a
 * string per series, which measurably showed up as allocation per point in the benchmark.
 */
function at(location: string, f: ValidationFailure): ValidationFailure {
  f.message = location + f.message;
  return f;
}

function isObject(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Describe a value in an error sentence without echoing untrusted content at length. */
function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "string") return x.length > 40 ? "a long string" : JSON.stringify(x);
  if (typeof x === "number") return String(x);
  return typeof x === "object" ? "an object" : typeof x;
}

// Field checks return null when fine, a failure otherwise. `where` prefixes the message.

function needString(o: Obj, key: string, where: string): ValidationFailure | null {
  const x = o[key];
  return typeof x === "string" ? null : fail("bad_shape", `${where}.${key} must be a string, got ${describe(x)}`);
}

function needNumber(o: Obj, key: string, where: string): ValidationFailure | null {
  const x = o[key];
  if (typeof x !== "number") return fail("bad_shape", `${where}.${key} must be a number, got ${describe(x)}`);
  return Number.isFinite(x) ? null : fail("bad_value", `${where}.${key} must be finite`);
}

/** A seq: a positive safe integer, or >= 0 with `allowZero` (hello/poll before the first frame). */
function needSeq(o: Obj, key: string, where: string, allowZero: boolean): ValidationFailure | null {
  const x = o[key];
  if (typeof x !== "number") return fail("bad_shape", `${where}.${key} must be a number, got ${describe(x)}`);
  if (!Number.isSafeInteger(x) || x < (allowZero ? 0 : 1)) {
    return fail("bad_value", `${where}.${key} must be a ${allowZero ? "non-negative" : "positive"} safe integer, got ${x}`);
  }
  return null;
}

function needMember(o: Obj, key: string, members: ReadonlySet<string>, where: string): ValidationFailure | null {
  const x = o[key];
  if (typeof x !== "string") return fail("bad_shape", `${where}.${key} must be a string, got ${describe(x)}`);
  return members.has(x) ? null : fail("bad_value", `${where}.${key} ${describe(x)} is not one of ${[...members].join(", ")}`);
}

function checkMetricInfo(x: unknown, where: string): ValidationFailure | null {
  if (!isObject(x)) return fail("bad_shape", `${where} must be an object, got ${describe(x)}`);
  const group = x.group;
  return (
    needString(x, "id", where) ??
    needString(x, "label", where) ??
    needString(x, "unit", where) ??
    needMember(x, "kind", METRIC_KINDS, where) ??
    (group === undefined || typeof group === "string" ? null : fail("bad_shape", `${where}.group must be a string when present`)) ??
    needNumber(x, "rateHz", where) ??
    ((x.rateHz as number) >= 0 ? null : fail("bad_value", `${where}.rateHz must be >= 0`))
  );
}

function checkMetricList(x: unknown, where: string): ValidationFailure | null {
  if (!Array.isArray(x)) return fail("bad_shape", `${where} must be an array, got ${describe(x)}`);
  for (let i = 0; i < x.length; i++) {
    const f = checkMetricInfo(x[i], "");
    if (f !== null) return at(`${where}[${i}]`, f);
  }
  return null;
}

/**
 * Check `{ t: number[], v: unknown[] }` of equal length with finite times.
 * `v` entries are not inspected (see the module documentation).
 */
function checkColumns(x: unknown, where: string): ValidationFailure | null {
  if (!isObject(x)) return fail("bad_shape", `${where} must be an object with t and v, got ${describe(x)}`);
  const t = x.t;
  const v = x.v;
  if (!Array.isArray(t)) return fail("bad_shape", `${where}.t must be an array, got ${describe(t)}`);
  if (!Array.isArray(v)) return fail("bad_shape", `${where}.v must be an array, got ${describe(v)}`);
  if (t.length !== v.length) {
    return fail("bad_shape", `${where} has ${t.length} times (t) but ${v.length} values (v)`);
  }
  for (let i = 0; i < t.length; i++) {
    // Number.isFinite is false for non-numbers too, so this one test covers null and strings.
    if (!Number.isFinite(t[i])) return fail("bad_value", `${where}.t[${i}] must be a finite number, got ${describe(t[i])}`);
  }
  return null;
}

function checkHello(o: Obj): ValidationFailure | null {
  const w = "hello";
  return (
    needNumber(o, "protocol", w) ??
    needString(o, "source", w) ??
    needString(o, "epoch", w) ??
    needNumber(o, "serverTime", w) ??
    needSeq(o, "seq", w, true) ??
    needSeq(o, "oldestSeq", w, true) ??
    needNumber(o, "retentionMs", w) ??
    needNumber(o, "tickMs", w) ??
    checkMetricList(o.metrics, `${w}.metrics`)
  );
}

function checkData(o: Obj, w: string): ValidationFailure | null {
  const seqFailure = needSeq(o, "seq", w, false);
  if (seqFailure !== null) return seqFailure;
  const series = o.series;
  if (!isObject(series)) return fail("bad_shape", `${w}.series must be an object, got ${describe(series)}`);
  // Object.keys rather than for-in: own keys only, even if Object.prototype was tampered with.
  const ids = Object.keys(series);
  for (let i = 0; i < ids.length; i++) {
    const f = checkColumns(series[ids[i]], "");
    if (f !== null) return at(`${w}.series[${JSON.stringify(ids[i])}]`, f);
  }
  return null;
}

function checkEvent(x: unknown, w: string): ValidationFailure | null {
  if (!isObject(x)) return fail("bad_shape", `${w} must be an object, got ${describe(x)}`);
  return (
    needNumber(x, "id", w) ??
    needNumber(x, "t", w) ??
    needMember(x, "level", EVENT_LEVELS, w) ??
    needMember(x, "kind", EVENT_KINDS, w) ??
    needString(x, "source", w) ??
    needString(x, "text", w)
  );
}

function checkEvents(o: Obj, w: string): ValidationFailure | null {
  const seqFailure = needSeq(o, "seq", w, false);
  if (seqFailure !== null) return seqFailure;
  const events = o.events;
  if (!Array.isArray(events)) return fail("bad_shape", `${w}.events must be an array, got ${describe(events)}`);
  for (let i = 0; i < events.length; i++) {
    const f = checkEvent(events[i], "");
    if (f !== null) return at(`${w}.events[${i}]`, f);
  }
  return null;
}

function checkGap(o: Obj, w: string): ValidationFailure | null {
  return (
    needSeq(o, "from", w, false) ??
    needSeq(o, "to", w, false) ??
    ((o.from as number) <= (o.to as number) ? null : fail("bad_value", `${w}.from must be <= ${w}.to`)) ??
    needMember(o, "reason", GAP_REASONS, w)
  );
}

function checkSubscribed(o: Obj): ValidationFailure | null {
  const w = "subscribed";
  const metrics = o.metrics;
  if (metrics !== "*") {
    if (!Array.isArray(metrics)) return fail("bad_shape", `${w}.metrics must be "*" or an array of ids`);
    for (let i = 0; i < metrics.length; i++) {
      if (typeof metrics[i] !== "string") return fail("bad_shape", `${w}.metrics[${i}] must be a string`);
    }
  }
  if (o.since !== null) {
    const f = needSeq(o, "since", w, true);
    if (f !== null) return f;
  }
  return needSeq(o, "seq", w, true);
}

function checkPong(o: Obj): ValidationFailure | null {
  return needNumber(o, "id", "pong") ?? needNumber(o, "clientTime", "pong") ?? needNumber(o, "serverTime", "pong");
}

function checkError(o: Obj): ValidationFailure | null {
  const code = o.code;
  if (typeof code !== "string") return fail("bad_shape", `error.code must be a string, got ${describe(code)}`);
  if (!ERROR_CODES.has(code as ErrorCode)) return fail("bad_value", `error.code ${describe(code)} is not a protocol error code`);
  return needString(o, "message", "error");
}

/** Validate a parsed value as any server frame. */
function checkServerFrame(x: unknown, where: string): ValidationFailure | null {
  if (!isObject(x)) return fail("bad_shape", `${where} must be a JSON object, got ${describe(x)}`);
  const type = x.type;
  if (typeof type !== "string") return fail("bad_shape", `${where}.type must be a string, got ${describe(type)}`);
  switch (type) {
    case "data":
      return checkData(x, where === "frame" ? "data" : where);
    case "events":
      return checkEvents(x, where === "frame" ? "events" : where);
    case "hello":
      return checkHello(x);
    case "gap":
      return checkGap(x, "gap");
    case "subscribed":
      return checkSubscribed(x);
    case "pong":
      return checkPong(x);
    case "error":
      return checkError(x);
    default:
      return fail("unknown_type", `${where}.type ${describe(type)} is not a frame type of protocol v1`);
  }
}

/**
 * Size in UTF-8 bytes, computed only when the cheap bounds cannot decide: a string of n
 * UTF-16 code units encodes to between n and 3n UTF-8 bytes.
 */
function exceedsUtf8(text: string, maxBytes: number): boolean {
  const n = text.length;
  if (n > maxBytes) return true;
  if (3 * n <= maxBytes) return false;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair (2 code units) is 4 bytes: 2 per unit, which is what this adds.
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
    if (bytes > maxBytes) return true;
  }
  return false;
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
  const f = checkServerFrame(value, "frame");
  return f === null ? { ok: true, value: value as DataFrame | EventsFrame } : f;
}

/**
 * Validate the body of `GET /api/poll`. Every frame inside is validated like a WebSocket
 * frame; the first invalid one rejects the reply (its message names the index).
 *
 * @param value - the parsed JSON body (untrusted).
 * @returns the reply or a failure with a code.
 * @example
 * ```ts
 * const body: unknown = await response.json();
 * const poll = validatePollResponse(body);
 * if (poll.ok) for (const frame of poll.value.frames) cursor.offer(frame);
 * ```
 */
export function validatePollResponse(value: unknown): ValidationResult<PollResponse> {
  if (!isObject(value)) return fail("bad_shape", `poll reply must be a JSON object, got ${describe(value)}`);
  if (value.type !== "poll") return fail("bad_shape", `poll reply type must be "poll", got ${describe(value.type)}`);
  const w = "poll";
  const f =
    needString(value, "source", w) ??
    needString(value, "epoch", w) ??
    needNumber(value, "serverTime", w) ??
    needSeq(value, "seq", w, true) ??
    needSeq(value, "oldestSeq", w, true) ??
    (typeof value.more === "boolean" ? null : fail("bad_shape", `${w}.more must be a boolean`));
  if (f !== null) return f;
  const gap = value.gap;
  if (gap !== undefined && gap !== null) {
    if (!isObject(gap) || gap.type !== "gap") return fail("bad_shape", `${w}.gap must be a gap frame`);
    const g = checkGap(gap, `${w}.gap`);
    if (g !== null) return g;
  }
  const unknownMetrics = value.unknownMetrics;
  if (unknownMetrics !== undefined && !(Array.isArray(unknownMetrics) && unknownMetrics.every((id) => typeof id === "string"))) {
    return fail("bad_shape", `${w}.unknownMetrics must be an array of strings, got ${describe(unknownMetrics)}`);
  }
  const frames = value.frames;
  if (!Array.isArray(frames)) return fail("bad_shape", `${w}.frames must be an array, got ${describe(frames)}`);
  for (let i = 0; i < frames.length; i++) {
    const frame: unknown = frames[i];
    if (!isObject(frame)) return fail("bad_shape", `${w}.frames[${i}] must be an object, got ${describe(frame)}`);
    const g =
      frame.type === "data"
        ? checkData(frame, "")
        : frame.type === "events"
          ? checkEvents(frame, "")
          : fail(typeof frame.type === "string" ? "unknown_type" : "bad_shape", `.type must be "data" or "events", got ${describe(frame.type)}`);
    if (g !== null) return at(`${w}.frames[${i}]`, g);
  }
  return { ok: true, value: value as unknown as PollResponse };
}

/**
 * Validate the body of `GET /api/history`. Like data frames, `v` entries that are not finite
 * numbers are left for the store to drop and count.
 *
 * @param value - the parsed JSON body (untrusted).
 * @returns the reply or a failure with a code.
 * @example
 * ```ts
 * const history = validateHistoryResponse(await response.json());
 * if (history.ok) store.backfill(history.value.metric, history.value.t, history.value.v);
 * ```
 */
export function validateHistoryResponse(value: unknown): ValidationResult<HistoryResponse> {
  if (!isObject(value)) return fail("bad_shape", `history reply must be a JSON object, got ${describe(value)}`);
  const w = "history";
  const f =
    needString(value, "source", w) ??
    needString(value, "metric", w) ??
    needNumber(value, "from", w) ??
    needNumber(value, "to", w) ??
    needNumber(value, "step", w) ??
    checkColumns(value, w);
  return f === null ? { ok: true, value: value as unknown as HistoryResponse } : f;
}

/**
 * Validate the body of a batched `GET /api/history` (`metrics=a,b,c`). Every series is checked
 * like the single-metric reply (equal columns, finite times) and must carry a positive `step`;
 * `v` entries that are not finite numbers are left for the store to drop and count.
 *
 * @param value - the parsed JSON body (untrusted).
 * @returns the reply or a failure with a code.
 * @example
 * ```ts
 * const batch = validateHistoryBatchResponse(await response.json());
 * if (batch.ok) for (const id of Object.keys(batch.value.series)) store.backfill(id, batch.value.series[id].t, batch.value.series[id].v);
 * ```
 */
export function validateHistoryBatchResponse(value: unknown): ValidationResult<HistoryBatchResponse> {
  if (!isObject(value)) return fail("bad_shape", `history reply must be a JSON object, got ${describe(value)}`);
  const w = "history";
  const f =
    needString(value, "source", w) ??
    needNumber(value, "from", w) ??
    needNumber(value, "to", w) ??
    ((value.from as number) <= (value.to as number) ? null : fail("bad_value", `${w}.from must be <= ${w}.to`));
  if (f !== null) return f;
  const unknownMetrics = value.unknownMetrics;
  if (unknownMetrics !== undefined) {
    if (!Array.isArray(unknownMetrics)) return fail("bad_shape", `${w}.unknownMetrics must be an array of strings, got ${describe(unknownMetrics)}`);
    for (let i = 0; i < unknownMetrics.length; i++) {
      if (typeof unknownMetrics[i] !== "string") return fail("bad_shape", `${w}.unknownMetrics[${i}] must be a string, got ${describe(unknownMetrics[i])}`);
    }
  }
  const series = value.series;
  if (!isObject(series)) return fail("bad_shape", `${w}.series must be an object, got ${describe(series)}`);
  // Own keys only, as in data frames.
  const ids = Object.keys(series);
  for (let i = 0; i < ids.length; i++) {
    const columns = series[ids[i]];
    const g =
      checkColumns(columns, "") ??
      needNumber(columns as Obj, "step", "") ??
      (((columns as Obj).step as number) > 0 ? null : fail("bad_value", ".step must be positive"));
    if (g !== null) return at(`${w}.series[${JSON.stringify(ids[i])}]`, g);
  }
  return { ok: true, value: value as unknown as HistoryBatchResponse };
}

/**
 * Validate the body of `GET /api/snapshot`.
 * @param value - the parsed JSON body (untrusted).
 * @returns the reply or a failure with a code.
 * @example
 * ```ts
 * const snapshot = validateSnapshotResponse(await response.json());
 * if (snapshot.ok) store.setCatalogue(snapshot.value.metrics);
 * ```
 */
export function validateSnapshotResponse(value: unknown): ValidationResult<SnapshotResponse> {
  if (!isObject(value)) return fail("bad_shape", `snapshot reply must be a JSON object, got ${describe(value)}`);
  const w = "snapshot";
  const f =
    needString(value, "source", w) ??
    needString(value, "epoch", w) ??
    needNumber(value, "serverTime", w) ??
    needSeq(value, "seq", w, true) ??
    checkMetricList(value.metrics, `${w}.metrics`);
  if (f !== null) return f;
  const latest = value.latest;
  if (!isObject(latest)) return fail("bad_shape", `${w}.latest must be an object, got ${describe(latest)}`);
  for (const id of Object.keys(latest)) {
    const sample = latest[id];
    const where = `${w}.latest[${JSON.stringify(id)}]`;
    if (!isObject(sample)) return fail("bad_shape", `${where} must be an object with t and v`);
    const g = needNumber(sample, "t", where) ?? (typeof sample.v === "number" || sample.v === null ? null : fail("bad_shape", `${where}.v must be a number`));
    if (g !== null) return g;
  }
  return { ok: true, value: value as unknown as SnapshotResponse };
}

/**
 * Validate a metric catalogue (`GET /api/metrics` or `hello.metrics`).
 * @param value - untrusted parsed JSON: an array of metric descriptions.
 * @returns the catalogue or a failure with a code.
 * @example
 * ```ts
 * const metrics = validateMetricCatalogue(await (await fetch("/api/metrics")).json());
 * if (!metrics.ok) console.warn(metrics.code, metrics.message);
 * ```
 */
export function validateMetricCatalogue(value: unknown): ValidationResult<MetricInfo[]> {
  const f = checkMetricList(value, "metrics");
  return f === null ? { ok: true, value: value as MetricInfo[] } : f;
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
 * Type guard for the frames that carry a seq and go through the {@link SeqCursor}.
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
