/**
 * What one ingest request brings, whatever its format: samples per series, events, and what
 * the sender said about its metrics. Parsers produce it; engines append it.
 */
import type { EventLevel, MetricInfo, MetricKind, StreamEvent } from "../wire.js";

/** The catalogue fields a sender can state (the id is the key; `rateHz` is the server's). */
export interface MetricFields {
  label: string;
  unit: string;
  kind: MetricKind;
  group?: string;
}

/**
 * What a request says about one metric. `set` fields were stated explicitly (a JSON `metrics`
 * entry, or the reserved `_unit`/`_kind`/`_label`/`_group` tags of line protocol): they update
 * the catalogue entry, existing or new. `defaults` were derived (a label made of the
 * measurement, field and tags): they only fill a new entry, so a derived label never
 * overwrites one that was stated.
 */
export interface MetricDeclaration {
  id: string;
  set?: Partial<MetricFields>;
  defaults?: Partial<MetricFields>;
}

/** An event before the engine gives it its id. */
export type EventInput = Omit<StreamEvent, "id">;

/** Columnar samples of one series: `t[i]` (epoch ms) belongs to `v[i]`. */
export interface Columns {
  t: number[];
  v: number[];
  /**
   * What the request says about this series, when it came with its samples (line protocol
   * sets it here: one map entry per series instead of two). A declaration in
   * {@link IngestBatch.metrics} for the same id wins.
   */
  declaration?: MetricDeclaration;
}

/** One request's content, ready for an engine. */
export interface IngestBatch {
  /** Samples per metric id. */
  series: Map<string, Columns>;
  events: EventInput[];
  /** Declarations per metric id, of series of this batch or others (see also {@link Columns.declaration}). */
  metrics: Map<string, MetricDeclaration>;
}

export function emptyBatch(): IngestBatch {
  return { series: new Map(), events: [], metrics: new Map() };
}

/** Number of samples in a batch. */
export function batchSamples(batch: IngestBatch): number {
  let n = 0;
  for (const cols of batch.series.values()) n += cols.t.length;
  return n;
}

export const METRIC_KINDS: readonly MetricKind[] = ["gauge", "rate", "counter", "latency", "share"];
export const EVENT_LEVELS: readonly EventLevel[] = ["debug", "info", "warn", "error"];
export const EVENT_KINDS: readonly StreamEvent["kind"][] = ["deploy", "alert", "log"];

/** Latest valid epoch-ms time (and, negated, the earliest): the range of a JavaScript Date. */
export const MAX_TIME_MS = 8.64e15;

/**
 * Metric ids: 1 to `maxIdLength` characters of letters, digits and `. _ - : / % @ ~`. No
 * comma (it separates ids in `metrics=` query lists), no `*` (the wildcard of id patterns),
 * no space, quote or control character. Line protocol maps everything else to `%XX`.
 */
const ID_CHAR = /^[A-Za-z0-9._\-:/%@~]+$/;

/** Why `id` is not a valid metric id, or null when it is. */
export function metricIdProblem(id: string, maxIdLength: number): string | null {
  if (id.length === 0) return "a metric id cannot be empty";
  if (id.length > maxIdLength) return `metric id is longer than ${maxIdLength} characters`;
  if (!ID_CHAR.test(id)) return `metric id ${JSON.stringify(id.slice(0, 80))} has characters outside letters, digits and . _ - : / % @ ~`;
  return null;
}

/** The entry a new metric gets: what was stated, else what was derived, else plain defaults. */
export function newMetricInfo(id: string, declaration: MetricDeclaration | undefined): MetricInfo {
  const d = declaration?.defaults;
  const s = declaration?.set;
  const info: MetricInfo = {
    id,
    label: s?.label ?? d?.label ?? id,
    unit: s?.unit ?? d?.unit ?? "",
    kind: s?.kind ?? d?.kind ?? "gauge",
    rateHz: 0,
  };
  const group = s?.group ?? d?.group;
  if (group !== undefined) info.group = group;
  return info;
}

/**
 * The entry after the stated fields of `declaration` are applied to `current`, or undefined
 * when nothing changes (so engines only write, and only announce, real changes).
 */
export function updatedMetricInfo(current: MetricInfo, declaration: MetricDeclaration | undefined): MetricInfo | undefined {
  const s = declaration?.set;
  if (s === undefined) return undefined;
  let next: MetricInfo | undefined;
  for (const key of ["label", "unit", "kind", "group"] as const) {
    const value = s[key];
    if (value === undefined || current[key] === value) continue;
    next ??= { ...current };
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}
