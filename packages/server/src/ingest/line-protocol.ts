/**
 * InfluxDB line protocol, parsed by hand.
 *
 * No well-kept parser exists on npm: the Influx clients write line protocol, they do not read
 * it. This one is a single pass over the body's code units, no regular expressions, no
 * per-point objects on the fast path, and is fuzzed (test/line-protocol-fuzz.test.ts).
 *
 * ```
 * measurement[,tag=value…] field=value[,field=value…] [timestamp]
 * ```
 *
 * - Lines end with `\n` (a `\r` before it is dropped). Blank lines and lines whose first
 *   non-blank character is `#` are skipped. Leading spaces and tabs are skipped; elements are
 *   separated by one or more spaces; trailing spaces and tabs are allowed.
 * - Escapes: in the measurement, tag keys, tag values and field keys, a backslash before
 *   `,` `=` space or `\` stands for that character; before anything else it is a literal
 *   backslash. Unescaped, a comma ends a tag, `=` ends a tag key or field key (in a tag value
 *   it is an error), a space ends the measurement and tag set. An `=` is allowed unescaped in
 *   the measurement. String field values are in double quotes, where `\"` and `\\` are the
 *   escapes and any other backslash is literal; newlines inside them are not supported.
 * - Field values: floats (`1`, `-1.5`, `1e-3`; finite only), integers `12i` (signed 64-bit),
 *   unsigned `12u` (64-bit), booleans (`t T true True TRUE`, `f F false False FALSE`, as 1
 *   and 0), strings. Integers beyond 2^53 lose precision as JavaScript numbers.
 * - Timestamp: an integer in the request's precision (`ns` by default, `us`, `ms`, `s`; the
 *   v1 API's `n`, `u`, `m`, `h` are accepted too), converted to epoch milliseconds and
 *   truncated to the millisecond (toward minus infinity); absent, it is the receive time.
 * - A point needs a non-empty measurement and at least one field; tag and field keys must be
 *   unique within a line; tag values and keys are non-empty.
 *
 * A malformed line gives a {@link LineError} (line number, column, a sentence) and nothing
 * else; the good lines of the same body are kept. How points become metric ids, and what
 * string fields become, is in ./line-protocol-ids.ts.
 */
import { emptyBatch, metricIdProblem, type Columns, type IngestBatch, type MetricDeclaration } from "./batch.js";
import { fieldMetric, mapSeriesKey, type DecodedKey, type SeriesKeyMapping } from "./line-protocol-ids.js";
import { limitHit, resolveLimits, utf8Length, type IngestLimits, type LimitHit } from "./limits.js";

/** Timestamp precision of a request. */
export type Precision = "ns" | "us" | "ms" | "s" | "m" | "h";

/** Reads the `precision` query parameter (v2 names and v1 aliases); undefined if unknown. */
export function parsePrecision(text: string | null | undefined): Precision | undefined {
  if (text === null || text === undefined || text === "") return "ns";
  switch (text) {
    case "ns":
    case "n":
      return "ns";
    case "us":
    case "u":
    case "µs":
      return "us";
    case "ms":
    case "s":
    case "m":
    case "h":
      return text;
    default:
      return undefined;
  }
}

/** A malformed line: where, and what is wrong with it. */
export interface LineError {
  /** 1-based line number in the body. */
  line: number;
  /** 1-based column (in characters) where the problem was found. */
  column: number;
  /** A sentence. */
  message: string;
  /** The line, cut to 200 characters. */
  text: string;
}

/** `line 3, column 17: invalid number "1.2.3" for field "usage"`: the Influx style. */
export function formatLineError(error: LineError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

/** What string fields become: events (default), or nothing (counted). */
export type StringFieldMode = "events" | "ignore";

export interface LineProtocolOptions {
  precision?: Precision;
  /** Receive time (epoch ms): the time of points without a timestamp. */
  now: number;
  strings?: StringFieldMode;
  limits?: Partial<IngestLimits>;
  /** Most errors listed (all are counted). @default 100 */
  maxErrors?: number;
}

export interface LineProtocolResult {
  /** The good lines' samples, events and declarations (empty when `limit` is set). */
  batch: IngestBatch;
  /** The first `maxErrors` bad lines. */
  errors: LineError[];
  /** Every bad line. */
  errorCount: number;
  /** Lines in the body (a final newline does not start one). */
  lines: number;
  /** Good points. */
  points: number;
  samples: number;
  /** String fields seen (turned into events, or ignored). */
  stringFields: number;
  /** A request limit that stopped the whole body: nothing of it is kept. */
  limit?: LimitHit;
}

/** A syntactically valid point, fully decoded (for tests and tools; the fast path skips it). */
export interface ParsedPoint {
  line: number;
  measurement: string;
  /** Sorted by key. */
  tags: Array<[string, string]>;
  fields: Array<[string, number | boolean | string, FieldType]>;
  /** Epoch ms, or undefined when the line had none. */
  time: number | undefined;
}

export type FieldType = "float" | "integer" | "unsigned" | "boolean" | "string";

// --- character codes --------------------------------------------------------------------
const BACKSLASH = 92;
const COMMA = 44;
const EQUALS = 61;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const HASH = 35;
const CR = 13;
const MINUS = 45;

const T_FLOAT = 0;
const T_INT = 1;
const T_UINT = 2;
const T_BOOL = 3;
const T_STRING = 4;
const TYPE_NAMES: FieldType[] = ["float", "integer", "unsigned", "boolean", "string"];

const PRECISION_DIVISOR_DIGITS: Record<Precision, number> = { ns: 6, us: 3, ms: 0, s: 0, m: 0, h: 0 };
const PRECISION_MULTIPLIER: Record<Precision, number> = { ns: 1, us: 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const INT64_MAX = "9223372036854775807";
const INT64_MIN_ABS = "9223372036854775808";
const UINT64_MAX = "18446744073709551615";
/** Epoch-ms range of a JavaScript Date. */
const MAX_MS = 8.64e15;

/** Is the digit string `digits` (no sign, no leading zeros stripped) at most `max`? */
function digitsAtMost(codes: Uint16Array, start: number, end: number, max: string): boolean {
  while (start < end - 1 && codes[start] === 48) start++;
  const len = end - start;
  if (len !== max.length) return len < max.length;
  for (let i = 0; i < len; i++) {
    const a = codes[start + i];
    const b = max.charCodeAt(i);
    if (a !== b) return a < b;
  }
  return true;
}

function allDigits(codes: Uint16Array, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = codes[i];
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Characters a float may be made of (the structure is checked by Number()). */
function floatChars(codes: Uint16Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = codes[i];
    if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS)) return false;
  }
  return true;
}

function parseBoolean(token: string): number {
  switch (token) {
    case "t":
    case "T":
    case "true":
    case "True":
    case "TRUE":
      return 1;
    case "f":
    case "F":
    case "false":
    case "False":
    case "FALSE":
      return 0;
    default:
      return -1;
  }
}

/**
 * Removes backslash escapes: a backslash before one of `escapable` stands for that character;
 * before anything else it is a literal backslash.
 */
function unescape(raw: string, escapable: (c: number) => boolean): string {
  if (raw.indexOf("\\") < 0) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) === BACKSLASH && i + 1 < raw.length && escapable(raw.charCodeAt(i + 1))) {
      out += raw[i + 1];
      i++;
      continue;
    }
    out += raw[i];
  }
  return out;
}

const NAME_ESCAPABLE = (c: number): boolean => c === COMMA || c === EQUALS || c === SPACE || c === BACKSLASH;
const STRING_ESCAPABLE = (c: number): boolean => c === QUOTE || c === BACKSLASH;

/** Removes the escapes of a measurement, tag key, tag value or field key. */
export function unescapeName(raw: string): string {
  return unescape(raw, NAME_ESCAPABLE);
}

/** Removes the escapes of a string field value (between its quotes). */
function unescapeString(body: string, start: number, end: number): string {
  return unescape(body.slice(start, end), STRING_ESCAPABLE);
}

/** A problem at an offset of the raw key; the caller turns it into a LineError. */
interface KeyProblem {
  offset: number;
  message: string;
}

/**
 * Splits a raw series key (`measurement,tag=value,…`, escapes intact) into its decoded
 * measurement and tags (sorted by key), or says what is wrong and where.
 */
export function decodeSeriesKey(raw: string): DecodedKey | KeyProblem {
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === COMMA) break;
    else i++;
  }
  const mEnd = Math.min(i, n);
  if (mEnd === 0) return { offset: 0, message: "missing measurement name" };
  const measurement = unescapeName(raw.slice(0, mEnd));
  const tags: Array<[string, string]> = [];
  const seen = new Set<string>();
  while (i < n) {
    // raw[i] is a comma: a tag follows.
    const kStart = ++i;
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === EQUALS || c === COMMA) break;
      else i++;
    }
    const kEnd = Math.min(i, n);
    if (kEnd === kStart) return { offset: kStart, message: kEnd === n || raw.charCodeAt(kEnd) === COMMA ? "empty tag (a comma with nothing after it)" : "empty tag key" };
    const key = unescapeName(raw.slice(kStart, kEnd));
    if (i >= n || raw.charCodeAt(i) !== EQUALS) return { offset: kEnd, message: `missing "=" and value after tag key ${JSON.stringify(key)}` };
    const vStart = ++i;
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === COMMA) break;
      else if (c === EQUALS) return { offset: i, message: `unescaped "=" in the value of tag ${JSON.stringify(key)} (write it as \\=)` };
      else i++;
    }
    const vEnd = Math.min(i, n);
    if (vEnd === vStart) return { offset: vStart, message: `missing value for tag ${JSON.stringify(key)}` };
    if (seen.has(key)) return { offset: kStart, message: `duplicate tag key ${JSON.stringify(key)}` };
    seen.add(key);
    tags.push([key, unescapeName(raw.slice(vStart, vEnd))]);
  }
  tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { measurement, tags };
}

/** A field target of the fast path: one metric of one cached series key. */
interface FieldTarget {
  declaration: MetricDeclaration | undefined;
  /** Why this field cannot be a metric (id too long...), or null. */
  problem: string | null;
  /** Columns in the current batch (valid while `generation` matches the parser's). */
  columns: Columns | undefined;
  generation: number;
  /** Last line that used this target (a field repeated within a line is an error). */
  lineStamp: number;
}

interface CachedKey {
  /** The series key as written (escapes intact), as UTF-16 code units. */
  rawCodes: Uint16Array;
  mapping: SeriesKeyMapping | undefined;
  /** The decoded key, kept for the points API. */
  decoded: DecodedKey;
  /** A syntax problem of the key, with its offset in the raw key. */
  syntax: KeyProblem | undefined;
  /** A mapping problem (a reserved tag), which the points API does not care about. */
  mappingProblem: string | undefined;
  /** Targets by raw field key; two raw spellings of one name share one target. */
  fields: Map<string, FieldTarget>;
  /**
   * The raw field keys of the last line with this key, by position: a series sends the same
   * fields in the same order every time, so a field is usually found without slicing or
   * hashing its name.
   */
  layout: Array<{ rawCodes: Uint16Array; target: FieldTarget } | undefined>;
}

/** Scratch arrays for the fields of the current line (reused across lines). */
class LineScratch {
  count = 0;
  keyStart: number[] = [];
  keyEnd: number[] = [];
  type: number[] = [];
  num: number[] = [];
  /** Strings: start and end inside the quotes. */
  strStart: number[] = [];
  strEnd: number[] = [];
  column: number[] = [];
  target: Array<FieldTarget | undefined> = [];
}

/** Powers of ten that are exact doubles, for the fast decimal path. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A plain decimal (`-?digits[.digits]`, at most 15 digits) without allocating: the integer
 * of its digits divided by an exact power of ten, which IEEE division rounds exactly as
 * Number() would (both operands are exact doubles). NaN when the text is not of that form.
 */
function fastDecimal(codes: Uint16Array, start: number, end: number): number {
  let i = start;
  const negative = codes[i] === MINUS;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = codes[i];
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const x = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
  return negative ? -x : x;
}

/**
 * A reusable parser. It caches what each series key (measurement + tag set, as written) maps
 * to, so a steady stream of the same series (what Telegraf sends every interval) builds no
 * id strings. The cache is bounded ({@link LineProtocolParserOptions.cacheSize} keys).
 */
export interface LineProtocolParserOptions {
  /** Most series keys remembered; past it the cache starts over. @default 50 000 */
  cacheSize?: number;
  limits?: Partial<IngestLimits>;
}

export class LineProtocolParser {
  /** Cached series keys by a 32-bit hash of their raw text (collisions share a bucket). */
  private cache = new Map<number, CachedKey[]>();
  private cachedKeys = 0;
  /** Field targets by metric id, shared by every cached key (cleared with the cache). */
  private targetsById = new Map<string, FieldTarget>();
  private fieldTargets = 0;
  private generation = 0;
  private lineStamp = 0;
  /** The generation (batch) in which the cache last started over. */
  private clearedIn = -1;
  private readonly cacheSize: number;
  private readonly baseLimits: IngestLimits;
  private readonly scratch = new LineScratch();

  constructor(options: LineProtocolParserOptions = {}) {
    this.cacheSize = options.cacheSize ?? 50_000;
    this.baseLimits = resolveLimits(options.limits);
  }

  /** Parses a body into a batch; never throws. */
  parse(body: string, options: LineProtocolOptions): LineProtocolResult {
    const limits = options.limits ? { ...this.baseLimits, ...options.limits } : this.baseLimits;
    const result: LineProtocolResult = { batch: emptyBatch(), errors: [], errorCount: 0, lines: 0, points: 0, samples: 0, stringFields: 0 };
    const bytes = body.length > limits.maxBodyBytes / 3 ? utf8Length(body) : body.length;
    if (bytes > limits.maxBodyBytes) return this.stop(result, limitHit("maxBodyBytes", limits.maxBodyBytes, bytes));
    const lines = countLines(body);
    result.lines = lines;
    if (lines > limits.maxLines) return this.stop(result, limitHit("maxLines", limits.maxLines, lines));
    this.generation++;
    const ctx: ParseContext = {
      body,
      codes: charCodes(body),
      precision: options.precision ?? "ns",
      now: Math.floor(options.now),
      strings: options.strings ?? "events",
      limits,
      maxErrors: options.maxErrors ?? 100,
      result,
      points: undefined,
    };
    const stop = this.run(ctx);
    if (stop !== undefined) return this.stop(result, stop);
    return result;
  }

  /** Parses a body into fully decoded points (no mapping, no limits); never throws. */
  points(body: string, options: { precision?: Precision; now: number; maxErrors?: number }): { points: ParsedPoint[]; errors: LineError[]; errorCount: number } {
    const result: LineProtocolResult = { batch: emptyBatch(), errors: [], errorCount: 0, lines: 0, points: 0, samples: 0, stringFields: 0 };
    const points: ParsedPoint[] = [];
    this.generation++;
    const ctx: ParseContext = {
      body,
      codes: charCodes(body),
      precision: options.precision ?? "ns",
      now: Math.floor(options.now),
      strings: "events",
      limits: { ...this.baseLimits, maxIdLength: Number.MAX_SAFE_INTEGER, maxTextLength: Number.MAX_SAFE_INTEGER },
      maxErrors: options.maxErrors ?? Number.MAX_SAFE_INTEGER,
      result,
      points,
    };
    this.run(ctx);
    return { points, errors: result.errors, errorCount: result.errorCount };
  }

  private stop(result: LineProtocolResult, limit: LimitHit): LineProtocolResult {
    result.batch = emptyBatch();
    result.points = 0;
    result.samples = 0;
    result.stringFields = 0;
    result.limit = limit;
    return result;
  }

  private run(ctx: ParseContext): LimitHit | undefined {
    const { body, codes } = ctx;
    const n = body.length;
    let pos = 0;
    let lineNo = 0;
    while (pos < n) {
      let nl = body.indexOf("\n", pos);
      if (nl < 0) nl = n;
      lineNo++;
      let end = nl;
      if (end > pos && codes[end - 1] === CR) end--;
      const stop = this.line(ctx, pos, end, lineNo);
      if (stop !== undefined) return stop;
      pos = nl + 1;
    }
    return undefined;
  }

  private fail(ctx: ParseContext, lineStart: number, lineEnd: number, lineNo: number, at: number, message: string): undefined {
    const r = ctx.result;
    r.errorCount++;
    if (r.errors.length < ctx.maxErrors) {
      const text = ctx.body.slice(lineStart, Math.min(lineEnd, lineStart + 200));
      r.errors.push({ line: lineNo, column: at - lineStart + 1, message, text });
    }
    return undefined;
  }

  /** Parses one line; returns a limit when one stops the body. */
  private line(ctx: ParseContext, lineStart: number, end: number, lineNo: number): LimitHit | undefined {
    const { body, codes } = ctx;
    let i = lineStart;
    while (i < end) {
      const c = codes[i];
      if (c !== SPACE && c !== TAB) break;
      i++;
    }
    if (i === end || codes[i] === HASH) return undefined;

    // Series key: up to the first unescaped space.
    const keyStart = i;
    while (i < end) {
      const c = codes[i];
      if (c === BACKSLASH) i += 2;
      else if (c === SPACE) break;
      else i++;
    }
    if (i > end) i = end;
    const keyEnd = i;
    if (keyEnd === end) return this.fail(ctx, lineStart, end, lineNo, end, "missing field set: a point needs a space and at least one field after the measurement and tags");
    const key = this.key(body, codes, keyStart, keyEnd, ctx.limits.maxLabelLength);
    if (key.syntax !== undefined) return this.fail(ctx, lineStart, end, lineNo, keyStart + key.syntax.offset, key.syntax.message);
    if (key.mappingProblem !== undefined && ctx.points === undefined) return this.fail(ctx, lineStart, end, lineNo, keyStart, key.mappingProblem);
    while (i < end && codes[i] === SPACE) i++;
    if (i === end) return this.fail(ctx, lineStart, end, lineNo, i, "missing field set: a point needs at least one field after the measurement and tags");

    // Fields.
    const s = this.scratch;
    s.count = 0;
    for (;;) {
      const fStart = i;
      while (i < end) {
        const c = codes[i];
        if (c === BACKSLASH) i += 2;
        else if (c === EQUALS || c === COMMA || c === SPACE) break;
        else i++;
      }
      if (i > end) i = end;
      const fEnd = i;
      if (fEnd === fStart) return this.fail(ctx, lineStart, end, lineNo, fStart, codes[fStart] === EQUALS ? "empty field key" : "missing field: expected key=value");
      if (i === end || codes[i] !== EQUALS) {
        return this.fail(ctx, lineStart, end, lineNo, i, `missing "=" and value after field key ${JSON.stringify(unescapeName(body.slice(fStart, fEnd)))}`);
      }
      i++;
      const vStart = i;
      const k = s.count;
      s.keyStart[k] = fStart;
      s.keyEnd[k] = fEnd;
      s.column[k] = vStart;
      if (i < end && codes[i] === QUOTE) {
        i++;
        const strStart = i;
        while (i < end) {
          const c = codes[i];
          if (c === BACKSLASH) i += 2;
          else if (c === QUOTE) break;
          else i++;
        }
        if (i >= end) return this.fail(ctx, lineStart, end, lineNo, vStart, `unterminated string for field ${fieldName(body, fStart, fEnd)}: a closing " is missing`);
        if (i - strStart > ctx.limits.maxTextLength) {
          return this.fail(ctx, lineStart, end, lineNo, vStart, `string field ${fieldName(body, fStart, fEnd)} is longer than ${ctx.limits.maxTextLength} characters`);
        }
        s.type[k] = T_STRING;
        s.strStart[k] = strStart;
        s.strEnd[k] = i;
        s.num[k] = 0;
        i++;
      } else {
        while (i < end) {
          const c = codes[i];
          if (c === COMMA || c === SPACE) break;
          i++;
        }
        const vEnd = i;
        if (vEnd === vStart) return this.fail(ctx, lineStart, end, lineNo, vStart, `missing value for field ${fieldName(body, fStart, fEnd)}`);
        const problem = this.value(body, codes, vStart, vEnd, k);
        if (problem !== null) return this.fail(ctx, lineStart, end, lineNo, vStart, `${problem} for field ${fieldName(body, fStart, fEnd)}`);
      }
      s.count++;
      if (i === end) break;
      const c = codes[i];
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === SPACE) break;
      return this.fail(ctx, lineStart, end, lineNo, i, `unexpected character ${JSON.stringify(body[i])} after the value of field ${fieldName(body, fStart, fEnd)}: expected "," or a space`);
    }

    // Timestamp.
    while (i < end && codes[i] === SPACE) i++;
    let time = ctx.now;
    let hasTime = false;
    if (i < end) {
      const tStart = i;
      while (i < end) {
        const c = codes[i];
        if (c === SPACE || c === TAB) break;
        i++;
      }
      const tEnd = i;
      while (i < end) {
        const c = codes[i];
        if (c !== SPACE && c !== TAB) break;
        i++;
      }
      if (tEnd > tStart) {
        if (i < end) return this.fail(ctx, lineStart, end, lineNo, i, "unexpected text after the timestamp");
        const parsed = parseTimestamp(body, codes, tStart, tEnd, ctx.precision);
        if (typeof parsed === "string") return this.fail(ctx, lineStart, end, lineNo, tStart, parsed);
        time = parsed;
        hasTime = true;
      }
    }

    if (ctx.points !== undefined) return this.commitPoint(ctx, key, time, hasTime, lineStart, end, lineNo);
    return this.commit(ctx, key, time, lineStart, end, lineNo);
  }

  /** Classifies and converts an unquoted field value into the scratch slot `k`. */
  private value(body: string, codes: Uint16Array, start: number, end: number, k: number): string | null {
    const s = this.scratch;
    const last = codes[end - 1];
    const first = codes[start];
    if (last === 105 /* i */ && end - start > 1 && (first === MINUS || (first >= 48 && first <= 57))) {
      const negative = first === MINUS;
      const dStart = negative ? start + 1 : start;
      if (!allDigits(codes, dStart, end - 1)) return `invalid integer ${JSON.stringify(body.slice(start, end))}`;
      if (!digitsAtMost(codes, dStart, end - 1, negative ? INT64_MIN_ABS : INT64_MAX)) {
        return `integer ${JSON.stringify(body.slice(start, end))} is out of the signed 64-bit range`;
      }
      s.type[k] = T_INT;
      s.num[k] = Number(body.slice(start, end - 1));
      return null;
    }
    if (last === 117 /* u */ && end - start > 1 && first >= 48 && first <= 57) {
      if (!allDigits(codes, start, end - 1)) return `invalid unsigned integer ${JSON.stringify(body.slice(start, end))}`;
      if (!digitsAtMost(codes, start, end - 1, UINT64_MAX)) return `unsigned integer ${JSON.stringify(body.slice(start, end))} is out of the 64-bit range`;
      s.type[k] = T_UINT;
      s.num[k] = Number(body.slice(start, end - 1));
      return null;
    }
    const fast = fastDecimal(codes, start, end);
    if (fast === fast) {
      s.type[k] = T_FLOAT;
      s.num[k] = fast;
      return null;
    }
    if (floatChars(codes, start, end)) {
      const x = Number(body.slice(start, end));
      if (Number.isFinite(x)) {
        s.type[k] = T_FLOAT;
        s.num[k] = x;
        return null;
      }
      if (!Number.isNaN(x)) return `number ${JSON.stringify(body.slice(start, end))} is out of the 64-bit float range`;
      return `invalid number ${JSON.stringify(body.slice(start, end))}`;
    }
    const token = body.slice(start, end);
    const b = parseBoolean(token);
    if (b >= 0) {
      s.type[k] = T_BOOL;
      s.num[k] = b;
      return null;
    }
    return `invalid value ${JSON.stringify(token.slice(0, 40))}: not a number, an integer (12i), an unsigned integer (12u), a boolean or a quoted string,`;
  }

  /** The cached mapping of a raw series key (decoding it on first sight). */
  private key(body: string, codes: Uint16Array, start: number, end: number, maxLabelLength: number): CachedKey {
    // Looked up by a hash of the raw text, then compared in place: no slice, no string hash
    // for the keys already seen (nearly every line of a steady stream).
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ codes[i], 0x01000193);
    const bucket = this.cache.get(hash);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) if (sameCodes(codes, start, end, bucket[i].rawCodes)) return bucket[i];
    }
    const rawKey = body.slice(start, end);
    const decoded = decodeSeriesKey(rawKey);
    if ("offset" in decoded) {
      // Not cached: a malformed key costs a decode each time, which only its sender pays.
      return { rawCodes: codes.slice(start, end), mapping: undefined, decoded: { measurement: "", tags: [] }, syntax: decoded, mappingProblem: undefined, fields: new Map(), layout: [] };
    }
    const mapping = mapSeriesKey(decoded, maxLabelLength);
    const cached: CachedKey =
      typeof mapping === "string"
        ? { rawCodes: codes.slice(start, end), mapping: undefined, decoded, syntax: undefined, mappingProblem: mapping, fields: new Map(), layout: [] }
        : { rawCodes: codes.slice(start, end), mapping, decoded, syntax: undefined, mappingProblem: undefined, fields: new Map(), layout: [] };
    if (this.cachedKeys >= this.cacheSize || this.fieldTargets >= this.cacheSize * 16) {
      // Start over. Targets of the current batch are forgotten with the cache; their
      // successors find the batch's columns through `clearedIn`.
      this.cache.clear();
      this.cachedKeys = 0;
      this.targetsById.clear();
      this.fieldTargets = 0;
      this.clearedIn = this.generation;
    }
    const again = this.cache.get(hash);
    if (again === undefined) this.cache.set(hash, [cached]);
    else again.push(cached);
    this.cachedKeys++;
    return cached;
  }

  /** The target of one field of a cached key. */
  private target(key: CachedKey, rawField: string, maxIdLength: number, maxLabelLength: number): FieldTarget {
    let target = key.fields.get(rawField);
    if (target !== undefined) return target;
    const declaration = fieldMetric(key.mapping!, unescapeName(rawField), maxLabelLength);
    // One target per id across every key: tag sets written in another order, or names spelt
    // with other escapes, are the same series, so a batch never needs to look its id up.
    target = this.targetsById.get(declaration.id);
    if (target === undefined) {
      const problem = metricIdProblem(declaration.id, maxIdLength);
      target = { declaration: problem === null ? declaration : undefined, problem, columns: undefined, generation: -1, lineStamp: -1 };
      this.targetsById.set(declaration.id, target);
    }
    key.fields.set(rawField, target);
    this.fieldTargets++;
    return target;
  }

  /** The target of field `k` of the current line, through the key's layout when it matches. */
  private fieldTarget(key: CachedKey, body: string, codes: Uint16Array, k: number, limits: IngestLimits): FieldTarget {
    const s = this.scratch;
    const start = s.keyStart[k];
    const end = s.keyEnd[k];
    const slot = key.layout[k];
    if (slot !== undefined && sameCodes(codes, start, end, slot.rawCodes)) return slot.target;
    const raw = body.slice(start, end);
    const target = this.target(key, raw, limits.maxIdLength, limits.maxLabelLength);
    if (k < 64) key.layout[k] = { rawCodes: codes.slice(start, end), target };
    return target;
  }

  /** Adds a good line's samples (and event) to the batch; a line with a bad field adds nothing. */
  private commit(ctx: ParseContext, key: CachedKey, time: number, lineStart: number, end: number, lineNo: number): LimitHit | undefined {
    const s = this.scratch;
    const body = ctx.body;
    const { limits, result } = ctx;
    const batch = result.batch;
    const stamp = ++this.lineStamp;
    let strings = 0;
    for (let k = 0; k < s.count; k++) {
      if (s.type[k] === T_STRING) {
        // A string field is not a metric.
        s.target[k] = undefined;
        strings++;
        continue;
      }
      const target = this.fieldTarget(key, body, ctx.codes, k, limits);
      if (target.problem !== null) return this.fail(ctx, lineStart, end, lineNo, s.keyStart[k], `field ${fieldName(body, s.keyStart[k], s.keyEnd[k])}: ${target.problem}`);
      if (target.lineStamp === stamp) return this.fail(ctx, lineStart, end, lineNo, s.keyStart[k], `duplicate field ${fieldName(body, s.keyStart[k], s.keyEnd[k])}`);
      target.lineStamp = stamp;
      s.target[k] = target;
    }
    if (strings > 0) {
      // String fields have no target: compare every name once there is one.
      const dup = duplicateField(body, s);
      if (dup >= 0) return this.fail(ctx, lineStart, end, lineNo, s.keyStart[dup], `duplicate field ${fieldName(body, s.keyStart[dup], s.keyEnd[dup])}`);
    }
    for (let k = 0; k < s.count; k++) {
      const target = s.target[k];
      if (target === undefined) continue;
      if (target.generation !== this.generation) {
        // First sample of this series in this batch (targets are one per id).
        const declaration = target.declaration!;
        // After the cache started over within this batch, an older target may hold the id.
        let columns = this.clearedIn === this.generation ? batch.series.get(declaration.id) : undefined;
        if (columns === undefined) {
          if (batch.series.size >= limits.maxSeriesPerRequest) return limitHit("maxSeriesPerRequest", limits.maxSeriesPerRequest, batch.series.size + 1);
          columns = { t: [], v: [], declaration };
          batch.series.set(declaration.id, columns);
        }
        target.columns = columns;
        target.generation = this.generation;
      }
      target.columns!.t.push(time);
      target.columns!.v.push(s.num[k]);
    }
    result.samples += s.count - strings;
    if (result.samples > limits.maxSamplesPerRequest) return limitHit("maxSamplesPerRequest", limits.maxSamplesPerRequest, result.samples);
    if (strings > 0) {
      result.stringFields += strings;
      if (ctx.strings === "events") {
        batch.events.push({ t: time, ...key.mapping!.event, text: eventText(body, s) });
        if (batch.events.length > limits.maxEventsPerRequest) return limitHit("maxEventsPerRequest", limits.maxEventsPerRequest, batch.events.length);
      }
    }
    result.points++;
    return undefined;
  }

  /** The points API: the decoded point, no mapping. */
  private commitPoint(ctx: ParseContext, key: CachedKey, time: number, hasTime: boolean, lineStart: number, end: number, lineNo: number): undefined {
    const s = this.scratch;
    const body = ctx.body;
    const dup = duplicateField(body, s);
    if (dup >= 0) return this.fail(ctx, lineStart, end, lineNo, s.keyStart[dup], `duplicate field ${fieldName(body, s.keyStart[dup], s.keyEnd[dup])}`);
    const fields: ParsedPoint["fields"] = [];
    for (let k = 0; k < s.count; k++) {
      const name = unescapeName(body.slice(s.keyStart[k], s.keyEnd[k]));
      const type = s.type[k];
      const value = type === T_STRING ? unescapeString(body, s.strStart[k], s.strEnd[k]) : type === T_BOOL ? s.num[k] === 1 : s.num[k];
      fields.push([name, value, TYPE_NAMES[type]]);
    }
    ctx.points!.push({ line: lineNo, measurement: key.decoded.measurement, tags: key.decoded.tags.slice(), fields, time: hasTime ? time : undefined });
    ctx.result.points++;
    return undefined;
  }
}

interface ParseContext {
  body: string;
  /** The body's code units (see {@link charCodes}). */
  codes: Uint16Array;
  precision: Precision;
  now: number;
  strings: StringFieldMode;
  limits: IngestLimits;
  maxErrors: number;
  result: LineProtocolResult;
  /** Set for the points API. */
  points: ParsedPoint[] | undefined;
}

/** Is codes[start, end) exactly `text`? (No slice: this runs for every field of every line.) */
function sameCodes(codes: Uint16Array, start: number, end: number, text: Uint16Array): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (codes[start + i] !== text[i]) return false;
  return true;
}

/**
 * The UTF-16 code units of a string, as a typed array. The hot loops read these instead of
 * calling `charCodeAt`: V8 (Node 20) makes every `charCodeAt` several times slower for the
 * whole process once any code declares `class … extends String`, which ioredis does.
 */
export function charCodes(text: string): Uint16Array {
  const bytes = Buffer.from(text, "utf16le");
  // A Uint16Array needs an even offset; a small Buffer from the shared pool may not have one.
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, text.length);
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return out;
}

/** Index of the first field whose (decoded) name an earlier field of the line has, or -1. */
function duplicateField(body: string, s: LineScratch): number {
  if (s.count < 2) return -1;
  const names: string[] = [];
  for (let k = 0; k < s.count; k++) {
    const name = unescapeName(body.slice(s.keyStart[k], s.keyEnd[k]));
    for (let j = 0; j < k; j++) if (names[j] === name) return k;
    names.push(name);
  }
  return -1;
}

function fieldName(body: string, start: number, end: number): string {
  return JSON.stringify(unescapeName(body.slice(start, end)).slice(0, 80));
}

/** The text of the event a line's string fields become: `message`, else `text`, else `k=v …`. */
function eventText(body: string, s: LineScratch): string {
  let joined = "";
  for (const preferred of ["message", "text"]) {
    for (let k = 0; k < s.count; k++) {
      if (s.type[k] === T_STRING && unescapeName(body.slice(s.keyStart[k], s.keyEnd[k])) === preferred) {
        return unescapeString(body, s.strStart[k], s.strEnd[k]);
      }
    }
  }
  for (let k = 0; k < s.count; k++) {
    if (s.type[k] !== T_STRING) continue;
    if (joined !== "") joined += " ";
    joined += `${unescapeName(body.slice(s.keyStart[k], s.keyEnd[k]))}=${unescapeString(body, s.strStart[k], s.strEnd[k])}`;
  }
  return joined;
}

/** Lines of a body as the parser counts them: a final newline does not start a line. */
function countLines(body: string): number {
  if (body.length === 0) return 0;
  let lines = 1;
  let at = body.indexOf("\n");
  while (at >= 0) {
    if (at < body.length - 1) lines++;
    at = body.indexOf("\n", at + 1);
  }
  return lines;
}

/** An integer timestamp in `precision` as epoch ms (floored), or the problem. */
function parseTimestamp(body: string, codes: Uint16Array, start: number, end: number, precision: Precision): number | string {
  const negative = codes[start] === MINUS;
  const dStart = negative ? start + 1 : start;
  if (!allDigits(codes, dStart, end)) return `invalid timestamp ${JSON.stringify(body.slice(start, end).slice(0, 40))}: expected an integer`;
  let d = dStart;
  while (d < end - 1 && codes[d] === 48) d++;
  if (end - d > 19) return `timestamp ${JSON.stringify(body.slice(start, end).slice(0, 40))} is out of range`;
  const cut = PRECISION_DIVISOR_DIGITS[precision];
  const wholeEnd = Math.max(d, end - cut);
  let ms = 0;
  for (let k = d; k < wholeEnd; k++) ms = ms * 10 + (codes[k] - 48);
  let remainder = false;
  for (let k = wholeEnd; k < end; k++) if (codes[k] !== 48) remainder = true;
  ms *= PRECISION_MULTIPLIER[precision];
  if (negative) ms = remainder ? -ms - 1 : -ms;
  if (!(Math.abs(ms) <= MAX_MS)) return `timestamp ${JSON.stringify(body.slice(start, end).slice(0, 40))} is out of range for precision ${precision}`;
  return ms === 0 ? 0 : ms;
}

/** Parses a body with a fresh parser (no cache across calls); never throws. */
export function parseLineProtocol(body: string, options: LineProtocolOptions): LineProtocolResult {
  return new LineProtocolParser({ limits: options.limits }).parse(body, options);
}

/** Parses a body into decoded points, for tests and tools; never throws. */
export function parseLineProtocolPoints(body: string, options: { precision?: Precision; now: number; maxErrors?: number }) {
  return new LineProtocolParser().points(body, options);
}
