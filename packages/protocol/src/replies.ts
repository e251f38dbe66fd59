/**
 * Validation of the HTTP replies: `GET /api/poll`, `/api/history` (single and batched),
 * `/api/snapshot` and `/api/metrics`. Same rules as WebSocket frames (./server-frames.ts): the
 * body is untrusted, nothing throws, every problem is a value with a code and a sentence.
 * A poll reply's frames are checked exactly like WebSocket frames, so both transports feed
 * the cursor the same thing.
 *
 * @module
 */
import {
  checkColumns,
  checkData,
  checkEach,
  checkEvents,
  checkGap,
  checkMetricInfo,
  checkOrder,
  checkSeries,
  describe,
  fail,
  isObject,
  needNumber,
  needSeq,
  needString,
  result,
  type Obj,
} from "./checks.js";
import type { HistoryBatchResponse, HistoryResponse, MetricInfo, PollResponse, SnapshotResponse } from "./types.js";
import type { ValidationFailure, ValidationResult } from "./validation.js";

/** A frame inside a poll reply: `data` or `events` only. */
function checkPollFrame(frame: unknown): ValidationFailure | null {
  if (!isObject(frame)) return fail("bad_shape", ` must be an object, got ${describe(frame)}`);
  if (frame.type === "data") return checkData(frame, "");
  if (frame.type === "events") return checkEvents(frame, "");
  return fail(typeof frame.type === "string" ? "unknown_type" : "bad_shape", `.type must be "data" or "events", got ${describe(frame.type)}`);
}

function checkPoll(o: Obj): ValidationFailure | null {
  const w = "poll";
  if (o.type !== "poll") return fail("bad_shape", `poll reply type must be "poll", got ${describe(o.type)}`);
  const f =
    needString(o, "source", w) ??
    needString(o, "epoch", w) ??
    needNumber(o, "serverTime", w) ??
    needSeq(o, "seq", w, true) ??
    needSeq(o, "oldestSeq", w, true) ??
    (typeof o.more === "boolean" ? null : fail("bad_shape", `${w}.more must be a boolean`));
  if (f !== null) return f;
  const gap = o.gap;
  if (gap !== undefined && gap !== null) {
    if (!isObject(gap) || gap.type !== "gap") return fail("bad_shape", `${w}.gap must be a gap frame`);
    const g = checkGap(gap, `${w}.gap`);
    if (g !== null) return g;
  }
  const unknownMetrics = o.unknownMetrics;
  if (unknownMetrics !== undefined && !(Array.isArray(unknownMetrics) && unknownMetrics.every((id) => typeof id === "string"))) {
    return fail("bad_shape", `${w}.unknownMetrics must be an array of strings, got ${describe(unknownMetrics)}`);
  }
  return checkEach(o.frames, `${w}.frames`, checkPollFrame);
}

function checkHistory(o: Obj): ValidationFailure | null {
  const w = "history";
  return (
    needString(o, "source", w) ??
    needString(o, "metric", w) ??
    needNumber(o, "from", w) ??
    needNumber(o, "to", w) ??
    needNumber(o, "step", w) ??
    checkColumns(o, w)
  );
}

function checkHistoryBatch(o: Obj): ValidationFailure | null {
  const w = "history";
  const f = needString(o, "source", w) ?? needNumber(o, "from", w) ?? needNumber(o, "to", w) ?? checkOrder(o, w);
  if (f !== null) return f;
  const unknownMetrics = o.unknownMetrics;
  if (unknownMetrics !== undefined) {
    if (!Array.isArray(unknownMetrics)) return fail("bad_shape", `${w}.unknownMetrics must be an array of strings, got ${describe(unknownMetrics)}`);
    for (let i = 0; i < unknownMetrics.length; i++) {
      if (typeof unknownMetrics[i] !== "string") return fail("bad_shape", `${w}.unknownMetrics[${i}] must be a string, got ${describe(unknownMetrics[i])}`);
    }
  }
  return checkSeries(o, w, true);
}

function checkSnapshot(o: Obj): ValidationFailure | null {
  const w = "snapshot";
  const f =
    needString(o, "source", w) ??
    needString(o, "epoch", w) ??
    needNumber(o, "serverTime", w) ??
    needSeq(o, "seq", w, true) ??
    checkEach(o.metrics, `${w}.metrics`, checkMetricInfo);
  if (f !== null) return f;
  const latest = o.latest;
  if (!isObject(latest)) return fail("bad_shape", `${w}.latest must be an object, got ${describe(latest)}`);
  for (const id of Object.keys(latest)) {
    const sample = latest[id];
    const where = `${w}.latest[${JSON.stringify(id)}]`;
    if (!isObject(sample)) return fail("bad_shape", `${where} must be an object with t and v`);
    const g = needNumber(sample, "t", where) ?? (typeof sample.v === "number" || sample.v === null ? null : fail("bad_shape", `${where}.v must be a number`));
    if (g !== null) return g;
  }
  return null;
}

/** What every HTTP reply validator shares: a JSON object whose fields pass `check`. */
function validateReply<T>(value: unknown, reply: string, check: (o: Obj) => ValidationFailure | null): ValidationResult<T> {
  if (!isObject(value)) return fail("bad_shape", `${reply} reply must be a JSON object, got ${describe(value)}`);
  return result<T>(value, check(value));
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
  return validateReply(value, "poll", checkPoll);
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
  return validateReply(value, "history", checkHistory);
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
  return validateReply(value, "history", checkHistoryBatch);
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
  return validateReply(value, "snapshot", checkSnapshot);
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
  return result<MetricInfo[]>(value, checkEach(value, "metrics", checkMetricInfo));
}
