/**
 * Pulseboard's own ingest shape, validated.
 *
 * ```json
 * { "source": "default",
 *   "series": { "cpu.usage": { "t": [1795304275400], "v": [29.02] } },
 *   "events": [ { "t": 1795304275393, "level": "error", "kind": "alert", "source": "alertmanager", "text": "High latency" } ],
 *   "metrics": [ { "id": "cpu.usage", "label": "CPU usage", "unit": "%", "kind": "gauge", "group": "system" } ] }
 * ```
 *
 * Unlike line protocol, a JSON body is one structured call: any error rejects the whole body
 * (the HTTP layer answers 400 with the list), so an application never half-applies a request.
 * Unknown top-level fields are errors (a typo such as `serie` would otherwise drop data
 * silently); unknown fields inside entries are ignored.
 */
import { sourceNameProblem } from "../names.js";
import {
  EVENT_KINDS,
  EVENT_LEVELS,
  MAX_TIME_MS,
  METRIC_KINDS,
  emptyBatch,
  metricIdProblem,
  type EventInput,
  type IngestBatch,
  type MetricFields,
} from "./batch.js";
import { limitHit, resolveLimits, utf8Length, type IngestLimits, type LimitHit } from "./limits.js";

/** One problem of a JSON body: where (a JSON path) and what. */
export interface BodyError {
  /** For example `series["cpu.usage"].v[3]`. */
  path: string;
  message: string;
}

export interface JsonIngestOptions {
  /** Receive time: the time of events that have none. */
  now: number;
  /** The source when the body has none (from the URL). */
  source?: string;
  limits?: Partial<IngestLimits>;
  /** Most errors listed; validation stops there. @default 20 */
  maxErrors?: number;
}

export type JsonIngestResult =
  | { ok: true; source: string; batch: IngestBatch; samples: number }
  | { ok: false; errors: BodyError[]; limit?: undefined }
  | { ok: false; limit: LimitHit; errors: BodyError[] };

const TOP_LEVEL = new Set(["source", "series", "events", "metrics"]);

/** Validates a JSON ingest body (text, or an already parsed value); never throws. */
export function parseJsonIngest(body: string | unknown, options: JsonIngestOptions): JsonIngestResult {
  const limits = resolveLimits(options.limits);
  let value: unknown = body;
  if (typeof body === "string") {
    const bytes = utf8Length(body);
    if (bytes > limits.maxBodyBytes) return { ok: false, limit: limitHit("maxBodyBytes", limits.maxBodyBytes, bytes), errors: [] };
    try {
      value = JSON.parse(body);
    } catch (error) {
      return { ok: false, errors: [{ path: "", message: `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
    }
  }
  const v = new Validator(options.maxErrors ?? 20);
  if (!isObject(value)) return { ok: false, errors: [{ path: "", message: "the body must be a JSON object with a series object" }] };
  for (const key of Object.keys(value)) if (!TOP_LEVEL.has(key)) v.error(key, `unknown field (expected source, series, events, metrics)`);

  const source = value.source ?? options.source;
  if (source === undefined) v.error("source", "missing: name the source in the body or the URL");
  else {
    const problem = sourceNameProblem(source);
    if (problem !== null) v.error("source", problem);
  }

  const batch = emptyBatch();
  let samples = 0;
  if (!isObject(value.series)) {
    if (value.series !== undefined || value.events === undefined) v.error("series", "must be an object of { t: [...], v: [...] } per metric id");
  } else {
    const ids = Object.keys(value.series);
    if (ids.length > limits.maxSeriesPerRequest) return { ok: false, limit: limitHit("maxSeriesPerRequest", limits.maxSeriesPerRequest, ids.length), errors: [] };
    for (const id of ids) {
      if (v.full) break;
      const path = `series[${JSON.stringify(id)}]`;
      const idProblem = metricIdProblem(id, limits.maxIdLength);
      if (idProblem !== null) {
        v.error(path, idProblem);
        continue;
      }
      const columns = (value.series as Record<string, unknown>)[id];
      if (!isObject(columns) || !Array.isArray(columns.t) || !Array.isArray(columns.v)) {
        v.error(path, "must be { t: [...], v: [...] }");
        continue;
      }
      const t = columns.t as unknown[];
      const vs = columns.v as unknown[];
      if (t.length !== vs.length) {
        v.error(path, `t has ${t.length} times but v has ${vs.length} values`);
        continue;
      }
      samples += t.length;
      if (samples > limits.maxSamplesPerRequest) return { ok: false, limit: limitHit("maxSamplesPerRequest", limits.maxSamplesPerRequest, samples), errors: [] };
      let bad = false;
      for (let i = 0; i < t.length && !v.full; i++) {
        const ti = t[i];
        if (typeof ti !== "number" || !Number.isFinite(ti) || Math.abs(ti) > MAX_TIME_MS) {
          v.error(`${path}.t[${i}]`, "must be a finite time in epoch milliseconds");
          bad = true;
        }
        const vi = vs[i];
        if (typeof vi !== "number" || !Number.isFinite(vi)) {
          v.error(`${path}.v[${i}]`, "must be a finite number (not null, NaN or Infinity)");
          bad = true;
        }
      }
      if (!bad) batch.series.set(id, { t: t as number[], v: vs as number[] });
    }
  }

  if (value.events !== undefined) {
    if (!Array.isArray(value.events)) v.error("events", "must be an array of events");
    else {
      if (value.events.length > limits.maxEventsPerRequest) {
        return { ok: false, limit: limitHit("maxEventsPerRequest", limits.maxEventsPerRequest, value.events.length), errors: [] };
      }
      value.events.forEach((e: unknown, i: number) => {
        if (v.full) return;
        const event = checkEvent(e, `events[${i}]`, v, options.now, typeof source === "string" ? source : "", limits);
        if (event !== undefined) batch.events.push(event);
      });
    }
  }

  if (value.metrics !== undefined) {
    if (!Array.isArray(value.metrics)) v.error("metrics", "must be an array of { id, label, unit, kind, group }");
    else {
      value.metrics.forEach((m: unknown, i: number) => {
        if (v.full) return;
        const path = `metrics[${i}]`;
        if (!isObject(m) || typeof m.id !== "string") return v.error(path, "must be an object with a string id");
        const idProblem = metricIdProblem(m.id, limits.maxIdLength);
        if (idProblem !== null) return v.error(`${path}.id`, idProblem);
        const set: Partial<MetricFields> = {};
        for (const key of ["label", "unit", "group"] as const) {
          const field = m[key];
          if (field === undefined) continue;
          if (typeof field !== "string" || field.length > limits.maxLabelLength) v.error(`${path}.${key}`, `must be a string of at most ${limits.maxLabelLength} characters`);
          else set[key] = field;
        }
        if (m.kind !== undefined) {
          if (!(METRIC_KINDS as readonly unknown[]).includes(m.kind)) v.error(`${path}.kind`, `must be one of ${METRIC_KINDS.join(", ")}`);
          else set.kind = m.kind as MetricFields["kind"];
        }
        const previous = batch.metrics.get(m.id);
        batch.metrics.set(m.id, { id: m.id, defaults: previous?.defaults ?? {}, set: { ...previous?.set, ...set } });
      });
    }
  }

  if (v.errors.length > 0) return { ok: false, errors: v.errors };
  return { ok: true, source: source as string, batch, samples };
}

function checkEvent(e: unknown, path: string, v: Validator, now: number, source: string, limits: IngestLimits): EventInput | undefined {
  if (!isObject(e)) {
    v.error(path, "must be an object with a text");
    return undefined;
  }
  const before = v.errors.length;
  if (typeof e.text !== "string" || e.text.length > limits.maxTextLength) v.error(`${path}.text`, `must be a string of at most ${limits.maxTextLength} characters`);
  if (e.t !== undefined && (typeof e.t !== "number" || !Number.isFinite(e.t) || Math.abs(e.t) > MAX_TIME_MS)) {
    v.error(`${path}.t`, "must be a finite time in epoch milliseconds");
  }
  if (e.level !== undefined && !(EVENT_LEVELS as readonly unknown[]).includes(e.level)) v.error(`${path}.level`, `must be one of ${EVENT_LEVELS.join(", ")}`);
  if (e.kind !== undefined && !(EVENT_KINDS as readonly unknown[]).includes(e.kind)) v.error(`${path}.kind`, `must be one of ${EVENT_KINDS.join(", ")}`);
  if (e.source !== undefined && (typeof e.source !== "string" || e.source.length > limits.maxLabelLength)) {
    v.error(`${path}.source`, `must be a string of at most ${limits.maxLabelLength} characters`);
  }
  if (v.errors.length > before) return undefined;
  return {
    t: (e.t as number | undefined) ?? now,
    level: (e.level as EventInput["level"] | undefined) ?? "info",
    kind: (e.kind as EventInput["kind"] | undefined) ?? "log",
    source: (e.source as string | undefined) ?? source,
    text: e.text as string,
  };
}

class Validator {
  readonly errors: BodyError[] = [];
  constructor(private readonly max: number) {}
  get full(): boolean {
    return this.errors.length >= this.max;
  }
  error(path: string, message: string): void {
    if (!this.full) this.errors.push({ path, message });
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
