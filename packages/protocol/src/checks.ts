/**
 * The checks behind every validator of ./server-frames.ts and ./replies.ts: one per field
 * kind and one per frame type. A check returns null when the value is fine and a
 * {@link ValidationFailure} otherwise; `where` (or `w`) is the location its message starts
 * with, such as `hello.metrics[2]`.
 *
 * What the checks deliberately leave alone, and why (non-finite values in `v`, unknown extra
 * fields, strings never interpreted), is explained in ./server-frames.ts.
 *
 * @module
 */
import type { ErrorCode } from "./types.js";
import type { FrameErrorCode, ValidationFailure, ValidationResult } from "./validation.js";

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

/** A parsed JSON object whose fields are still unchecked. */
export type Obj = Record<string, unknown>;

/** A rejection with its code and sentence. */
export function fail(code: FrameErrorCode, message: string): ValidationFailure {
  return { ok: false, code, message };
}

/**
 * Prefix a nested failure with its location. Locations such as `data.series["cpu"]` are only
 * built here, on failure: building them for every series of every valid frame would cost a
 * string per series, which measurably showed up as allocation per point in the benchmark.
 */
export function at(location: string, f: ValidationFailure): ValidationFailure {
  f.message = location + f.message;
  return f;
}

/** A JSON object: not null, not an array. */
export function isObject(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Describe a value in an error sentence without echoing untrusted content at length. */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "string") return x.length > 40 ? "a long string" : JSON.stringify(x);
  if (typeof x === "number") return String(x);
  return typeof x === "object" ? "an object" : typeof x;
}

// Field checks return null when fine, a failure otherwise. `where` prefixes the message.

/** `o[key]` is a string. */
export function needString(o: Obj, key: string, where: string): ValidationFailure | null {
  const x = o[key];
  return typeof x === "string" ? null : fail("bad_shape", `${where}.${key} must be a string, got ${describe(x)}`);
}

/** `o[key]` is a finite number. */
export function needNumber(o: Obj, key: string, where: string): ValidationFailure | null {
  const x = o[key];
  if (typeof x !== "number") return fail("bad_shape", `${where}.${key} must be a number, got ${describe(x)}`);
  return Number.isFinite(x) ? null : fail("bad_value", `${where}.${key} must be finite`);
}

/** A seq: a positive safe integer, or >= 0 with `allowZero` (hello/poll before the first frame). */
export function needSeq(o: Obj, key: string, where: string, allowZero: boolean): ValidationFailure | null {
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

/** One catalogue entry: id, label, unit, a known kind, an optional group, a rate >= 0. */
export function checkMetricInfo(x: unknown, where: string): ValidationFailure | null {
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

/** An array whose every item passes `check` (metric catalogues, event lists); a failure names the item's index. */
export function checkEach(x: unknown, where: string, check: (item: unknown, where: string) => ValidationFailure | null): ValidationFailure | null {
  if (!Array.isArray(x)) return fail("bad_shape", `${where} must be an array, got ${describe(x)}`);
  for (let i = 0; i < x.length; i++) {
    const f = check(x[i], "");
    if (f !== null) return at(`${where}[${i}]`, f);
  }
  return null;
}

/** `from <= to`, once both are known to be numbers (gap frames, batched history replies). */
export function checkOrder(o: Obj, w: string): ValidationFailure | null {
  return (o.from as number) <= (o.to as number) ? null : fail("bad_value", `${w}.from must be <= ${w}.to`);
}

/**
 * Check `{ t: number[], v: unknown[] }` of equal length with finite times.
 * `v` entries are not inspected (see the module documentation).
 */
export function checkColumns(x: unknown, where: string): ValidationFailure | null {
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
    checkEach(o.metrics, `${w}.metrics`, checkMetricInfo)
  );
}

/**
 * `o.series`: columns by metric id, each checked by {@link checkColumns} and, for history
 * batches (`withStep`), carrying a positive `step`. Data frames and batched history replies
 * share this walk.
 */
export function checkSeries(o: Obj, w: string, withStep: boolean): ValidationFailure | null {
  const series = o.series;
  if (!isObject(series)) return fail("bad_shape", `${w}.series must be an object, got ${describe(series)}`);
  // Object.keys rather than for-in: own keys only, even if Object.prototype was tampered with.
  const ids = Object.keys(series);
  for (let i = 0; i < ids.length; i++) {
    const columns = series[ids[i]];
    const f = checkColumns(columns, "") ?? (withStep ? checkStep(columns as Obj) : null);
    if (f !== null) return at(`${w}.series[${JSON.stringify(ids[i])}]`, f);
  }
  return null;
}

function checkStep(columns: Obj): ValidationFailure | null {
  return needNumber(columns, "step", "") ?? ((columns.step as number) > 0 ? null : fail("bad_value", ".step must be positive"));
}

/** A data frame's fields: a positive seq and its series. */
export function checkData(o: Obj, w: string): ValidationFailure | null {
  return needSeq(o, "seq", w, false) ?? checkSeries(o, w, false);
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

/** An events frame's fields: a positive seq and a list of well-formed events. */
export function checkEvents(o: Obj, w: string): ValidationFailure | null {
  return needSeq(o, "seq", w, false) ?? checkEach(o.events, `${w}.events`, checkEvent);
}

/** A gap notice: positive `from <= to` and a known reason. */
export function checkGap(o: Obj, w: string): ValidationFailure | null {
  return (
    needSeq(o, "from", w, false) ??
    needSeq(o, "to", w, false) ??
    checkOrder(o, w) ??
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
export function checkServerFrame(x: unknown, where: string): ValidationFailure | null {
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

/** The outcome of a check: the value itself, typed, or the failure. */
export function result<T>(value: unknown, f: ValidationFailure | null): ValidationResult<T> {
  return f === null ? { ok: true, value: value as T } : f;
}

