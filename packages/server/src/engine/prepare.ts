/**
 * The engine-independent half of an append and of a history answer, so both engines agree to
 * the byte: which declarations a batch makes and in which order (the cardinality cap admits
 * new series in that order), samples sorted by time, the frame bodies and their sizes, and
 * the steps of a history window.
 */
import type { Columns, IngestBatch, MetricDeclaration } from "../ingest/batch.js";
import { limitHit } from "../ingest/limits.js";
import { sourceNameProblem } from "../names.js";
import type { MetricInfo } from "../wire.js";
import { EncodedFrame, FRAME_OVERHEAD_BYTES, encodeDataBody, encodeEventsBody } from "./frame.js";
import { chooseTier, reduceBuckets, windowSteps, type TierBucket, type TierChoice } from "./rollups.js";
import {
  AGGREGATIONS,
  DEFAULT_RETENTION,
  DEFAULT_TIERS,
  failure,
  ok,
  type AppendResult,
  type EngineOptions,
  type FeedEvent,
  type FeedListener,
  type HistoryQuery,
  type HistoryResult,
  type Result,
  type RetentionOptions,
  type RollupTier,
} from "./types.js";

/** {@link EngineOptions} with every default filled in. */
export interface ResolvedEngineOptions {
  retention: RetentionOptions;
  tiers: readonly RollupTier[];
  maxSeries: number;
  maxSources: number;
  maxHistoryPoints: number;
  clock: () => number;
  log: (line: string) => void;
}

export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  return {
    retention: { ...DEFAULT_RETENTION, ...options.retention },
    tiers: options.tiers ?? DEFAULT_TIERS,
    maxSeries: options.maxSeriesPerSource ?? 20_000,
    maxSources: options.maxSources ?? 1024,
    maxHistoryPoints: options.maxHistoryPoints ?? 200_000,
    clock: options.clock ?? Date.now,
    log: options.log ?? ((line) => console.error(line)),
  };
}

/** Every id the batch mentions, with its declaration: declared ids first, then undeclared series. */
export function declarationsOf(batch: IngestBatch): Array<[string, MetricDeclaration | undefined]> {
  const out: Array<[string, MetricDeclaration | undefined]> = [];
  for (const [id, declaration] of batch.metrics) out.push([id, declaration]);
  for (const [id, cols] of batch.series) if (!batch.metrics.has(id)) out.push([id, cols.declaration]);
  return out;
}

/** The columns sorted by time (stable: equal times keep their order), or the same object when already sorted. */
export function sortedColumns(cols: Columns): Columns {
  const { t, v } = cols;
  let sorted = true;
  for (let i = 1; i < t.length; i++) {
    if (t[i] < t[i - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return cols;
  const order = t.map((_, i) => i).sort((a, b) => t[a] - t[b] || a - b);
  return { t: order.map((i) => t[i]), v: order.map((i) => v[i]) };
}

export interface PreparedAppend {
  /** Accepted series with samples, each sorted by time, in batch order. */
  series: Array<[string, Columns]>;
  samples: number;
  dataBody: string | undefined;
  dataBytes: number;
  events: number;
  eventsBody: string | undefined;
  eventsBytes: number;
}

/** Encodes what an append stores, for the series `accepted` lets through. */
export function prepareAppend(batch: IngestBatch, accepted: (id: string) => boolean): PreparedAppend {
  const series: Array<[string, Columns]> = [];
  let samples = 0;
  for (const [id, cols] of batch.series) {
    if (cols.t.length === 0 || !accepted(id)) continue;
    series.push([id, sortedColumns(cols)]);
    samples += cols.t.length;
  }
  const dataBody = series.length > 0 ? encodeDataBody(series) : undefined;
  const events = batch.events.length > 1 ? [...batch.events].sort((a, b) => a.t - b.t) : batch.events;
  const eventsBody = events.length > 0 ? encodeEventsBody(events) : undefined;
  return {
    series,
    samples,
    dataBody,
    dataBytes: dataBody === undefined ? 0 : Buffer.byteLength(dataBody) + FRAME_OVERHEAD_BYTES,
    events: events.length,
    eventsBody,
    eventsBytes: eventsBody === undefined ? 0 : Buffer.byteLength(eventsBody) + FRAME_OVERHEAD_BYTES,
  };
}

/** The frames of a prepared append, the first one at `firstSeq`. */
export function framesOf(prepared: PreparedAppend, firstSeq: number, appendedAt: number): EncodedFrame[] {
  const frames: EncodedFrame[] = [];
  let seq = firstSeq;
  if (prepared.dataBody !== undefined) frames.push(EncodedFrame.fromBody(seq++, "data", prepared.dataBody, appendedAt, prepared.dataBytes));
  if (prepared.eventsBody !== undefined) frames.push(EncodedFrame.fromBody(seq, "events", prepared.eventsBody, appendedAt, prepared.eventsBytes));
  return frames;
}

/** Frames a prepared append makes. */
export function frameCount(prepared: PreparedAppend): number {
  return (prepared.dataBody !== undefined ? 1 : 0) + (prepared.eventsBody !== undefined ? 1 : 0);
}

/** What an append answers; `refused` are the series the cardinality cap (`cap`, reached) kept out. */
export function appendResult(
  batch: IngestBatch,
  parts: { source: string; epoch: string; newEpoch: boolean; frames: EncodedFrame[]; seq: number; prepared: PreparedAppend },
  catalogue: { added: MetricInfo[]; changed: MetricInfo[]; refused: readonly string[]; cap: number },
): AppendResult {
  const result: AppendResult = {
    source: parts.source,
    epoch: parts.epoch,
    newEpoch: parts.newEpoch,
    frames: parts.frames,
    seq: parts.seq,
    samples: parts.prepared.samples,
    events: parts.prepared.events,
    added: [...catalogue.added].sort(byId),
    changed: [...catalogue.changed].sort(byId),
  };
  const { refused, cap } = catalogue;
  if (refused.length > 0) {
    let samples = 0;
    for (const id of refused) samples += batch.series.get(id)?.t.length ?? 0;
    result.dropped = { series: [...refused].sort(), samples, limit: limitHit("maxSeriesPerSource", cap, cap + refused.length) };
  }
  return result;
}

/** Hands a feed event to every listener; one that throws is reported and does not stop the others. */
export function deliver(listeners: ReadonlySet<FeedListener>, event: FeedEvent, source: string, log: (line: string) => void): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (error) {
      log(`feed listener of source ${source} threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export function byId(a: MetricInfo, b: MetricInfo): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A source-name check as an engine result. */
export function checkSource(source: string): Result<void> | undefined {
  const problem = sourceNameProblem(source);
  return problem === null ? undefined : failure("unknown_source", problem);
}

/** Reads tier buckets of some series in [fromStart, toStart]. */
export type BucketFetch = (choice: TierChoice, ids: readonly string[], fromStart: number, toStart: number) => Promise<Result<Map<string, TierBucket[]>>>;

/**
 * A history answer: validates the query, picks the tier and step, checks the point cap,
 * fetches the buckets through `fetch` and reduces them.
 */
export async function answerHistory(
  source: string,
  query: HistoryQuery,
  known: (id: string) => boolean,
  tiers: readonly RollupTier[],
  now: number,
  maxPoints: number,
  fetch: BucketFetch,
): Promise<Result<HistoryResult>> {
  const agg = query.agg ?? "envelope";
  if (!AGGREGATIONS.includes(agg)) return failure("bad_request", `unknown aggregation ${JSON.stringify(agg)}`);
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.from > query.to) {
    return failure("bad_request", "history needs finite from <= to");
  }
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const id of new Set(query.ids)) (known(id) ? ids : unknown).push(id);
  const choice = chooseTier(tiers, query.from, query.step, now);
  const steps = windowSteps(query.from, query.to, choice.step);
  const points = steps.count * ids.length * (agg === "envelope" ? 2 : 1);
  if (points > maxPoints) {
    return failure("too_large", `the window would have up to ${points} points, over the limit of ${maxPoints}: narrow it, raise step or ask fewer series`);
  }
  const result: HistoryResult = { source, from: query.from, to: query.to, agg, series: {}, unknown };
  if (ids.length === 0 || steps.count === 0) {
    for (const id of ids) result.series[id] = { step: choice.step, tier: choice.resolutionMs, t: [], v: [] };
    return ok(result);
  }
  const fetched = await fetch(choice, ids, steps.first, steps.last + choice.step - choice.resolutionMs);
  if (!fetched.ok) return fetched;
  const minStart = now - tiers[choice.tier].retentionMs;
  for (const id of ids) result.series[id] = reduceBuckets(fetched.value.get(id) ?? [], choice, agg, minStart);
  return ok(result);
}
