/**
 * The storage engine interface: what every engine (memory, Redis Streams) does, and the values
 * it answers with. The HTTP and WebSocket layer is written against this interface only.
 *
 * No method rejects or throws: every outcome is a {@link Result}. An engine that cannot reach
 * its store answers `{ ok: false, error: { code: "unavailable" } }` (the HTTP layer's 503),
 * never a silent local fallback.
 */
import type { IngestBatch } from "../ingest/batch.js";
import type { LimitHit } from "../ingest/limits.js";
import type { GapFrame, MetricInfo } from "../wire.js";
import type { EncodedFrame } from "./frame.js";

/** Why an engine call failed. */
export type EngineErrorCode =
  /** The store cannot be reached or does not answer (Redis down, restarting, loading): 503. */
  | "unavailable"
  /** The source name is invalid, or the engine already holds its most sources. */
  | "unknown_source"
  /** `since` is ahead of the stream (a cursor from elsewhere, sent without its epoch). */
  | "bad_since"
  /** A history window that would have more points than allowed. */
  | "too_large"
  /** Arguments that make no sense (from after to, an unknown aggregation): 400. */
  | "bad_request"
  /** A bug, or a store answering something unexpected: 500. */
  | "internal";

export interface EngineError {
  code: EngineErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure<T = never>(code: EngineErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** How long frames stay replayable. The first rule reached evicts the oldest frame. */
export interface RetentionOptions {
  /** Frames older than this (by the time they were appended) are evicted. @default 120 000 */
  retentionMs: number;
  /** Most frames kept per source; never fewer than the newest one. @default 100 000 */
  maxFrames: number;
  /** Most bytes of frames kept per source; never fewer than the newest frame. @default 64 MiB */
  maxBytes: number;
}

export const DEFAULT_RETENTION: Readonly<RetentionOptions> = Object.freeze({
  retentionMs: 120_000,
  maxFrames: 100_000,
  maxBytes: 64 * 1024 * 1024,
});

/** One tier of history rollups: buckets of `resolutionMs`, kept `retentionMs`. */
export interface RollupTier {
  resolutionMs: number;
  retentionMs: number;
}

/** 1 s buckets for 10 minutes, 10 s for 6 hours, 60 s for 48 hours. */
export const DEFAULT_TIERS: readonly RollupTier[] = Object.freeze([
  { resolutionMs: 1_000, retentionMs: 10 * 60_000 },
  { resolutionMs: 10_000, retentionMs: 6 * 3_600_000 },
  { resolutionMs: 60_000, retentionMs: 48 * 3_600_000 },
]);

/** Options every engine takes. */
export interface EngineOptions {
  retention?: Partial<RetentionOptions>;
  /** History tiers, finest first; resolutions must divide each other. @default DEFAULT_TIERS */
  tiers?: readonly RollupTier[];
  /** Most series per source (the cardinality cap). @default 20 000 */
  maxSeriesPerSource?: number;
  /** Most sources. @default 1024 */
  maxSources?: number;
  /** Most points in one history answer, over all series. @default 200 000 */
  maxHistoryPoints?: number;
  /** Wall clock (epoch ms): append times, retention, the receive time. @default Date.now */
  clock?: () => number;
  /** Where the engine reports what it cannot return (a feed listener that threw...). */
  log?: (line: string) => void;
}

/** Where a source's stream stands. */
export interface SourceState {
  source: string;
  /** One life of the stream: a new epoch restarts seq at 1. */
  epoch: string;
  /** Newest seq (0 before the first frame). */
  seq: number;
  /** Oldest replayable seq; `seq + 1` when nothing is retained. */
  oldestSeq: number;
  retainedFrames: number;
  retainedBytes: number;
  /** Series in the catalogue. */
  series: number;
}

/** What an append did. */
export interface AppendResult {
  source: string;
  epoch: string;
  /** True when this append found the stream's data possibly lost and started a new epoch. */
  newEpoch: boolean;
  /** The frames appended, in seq order: a data frame (if there were samples), then an events frame (if there were events). */
  frames: EncodedFrame[];
  /** Newest seq after the append. */
  seq: number;
  samples: number;
  events: number;
  /** Catalogue entries this append created, and entries it changed (sorted by id). */
  added: MetricInfo[];
  changed: MetricInfo[];
  /** Series of the batch that the cardinality cap refused: their samples were dropped. */
  dropped?: { series: string[]; samples: number; limit: LimitHit };
}

export interface ReadOptions {
  /** Last seq the reader holds; null or undefined: nothing to replay, just the cursor. */
  since: number | null | undefined;
  /** The epoch `since` belongs to. */
  epoch?: string;
  /** Most frames. @default 2000 */
  max?: number;
  /** Stop after this many bytes of frames (at least one frame is returned). @default 8 MiB */
  maxBytes?: number;
}

/** Frames after a cursor, with the exact unreplayable range when there is one. */
export interface ReadResult {
  source: string;
  epoch: string;
  seq: number;
  oldestSeq: number;
  /** The since applied, in the current epoch: null for none, 0 when the reader's epoch was another. */
  since: number | null;
  /** The seqs after `since` that are no longer retained (sent instead of them). */
  gap?: GapFrame;
  frames: EncodedFrame[];
  /** True when `max` or `maxBytes` cut the answer short. */
  more: boolean;
}

/** How history buckets are reduced to one value (or two, for the envelope). */
export type Aggregation = "envelope" | "avg" | "min" | "max" | "sum" | "count" | "last";

export const AGGREGATIONS: readonly Aggregation[] = ["envelope", "avg", "min", "max", "sum", "count", "last"];

export interface HistoryQuery {
  ids: readonly string[];
  /** Window start and end (epoch ms, inclusive): buckets whose start lies in [from, to]. */
  from: number;
  to: number;
  /** Wanted spacing (ms); rounded up to a multiple of the tier used. @default the finest tier */
  step?: number;
  /** @default "envelope": each bucket's min and max at their own times, so spikes survive */
  agg?: Aggregation;
}

export interface HistorySeries {
  /** The spacing used (a multiple of `tier`). */
  step: number;
  /** Resolution of the rollup tier the answer was computed from. */
  tier: number;
  /** Bucket starts (envelope: the times of each bucket's min and max), only buckets with data. */
  t: number[];
  v: number[];
}

export interface HistoryResult {
  source: string;
  from: number;
  to: number;
  agg: Aggregation;
  series: Record<string, HistorySeries>;
  /** Requested ids the catalogue does not have. */
  unknown: string[];
}

export interface Snapshot {
  source: string;
  epoch: string;
  seq: number;
  serverTime: number;
  metrics: MetricInfo[];
  /** Latest sample (by time) of every series that has one. */
  latest: Record<string, { t: number; v: number }>;
}

/** What a feed listener receives, in order. */
export type FeedEvent =
  /** New frames, contiguous with what came before in this epoch. */
  | { type: "frames"; epoch: string; frames: readonly EncodedFrame[] }
  /** Frames this feed could not get before they were evicted (a feed that fell behind). */
  | { type: "gap"; epoch: string; gap: GapFrame }
  /** The stream started a new epoch; frames that follow belong to it, from its seq 1 (or a gap). */
  | { type: "epoch"; epoch: string; previous: string }
  /** The store cannot be reached; the feed retries by itself. */
  | { type: "unavailable"; error: EngineError }
  /** The store answers again; frames continue from where the feed was. */
  | { type: "available" };

export type FeedListener = (event: FeedEvent) => void;

/** A live subscription to a source's new frames. */
export interface Feed {
  /** Where the feed starts: every frame after (epoch, seq) is delivered, in order, once. */
  readonly epoch: string;
  readonly seq: number;
  close(): void;
}

/** The storage engine of a gateway. */
export interface Engine {
  readonly kind: "memory" | "redis";
  /** Appends a batch: one data frame and/or one events frame, each seq + 1. */
  append(source: string, batch: IngestBatch): Promise<Result<AppendResult>>;
  /** The stream's cursor and retention (creates the source on first use). */
  state(source: string): Promise<Result<SourceState>>;
  /** The catalogue, sorted by id. */
  catalogue(source: string): Promise<Result<MetricInfo[]>>;
  /** Frames after a cursor (protocol v1's resume rules). */
  read(source: string, options: ReadOptions): Promise<Result<ReadResult>>;
  /** Every new frame of a source, to `listener`. */
  subscribe(source: string, listener: FeedListener): Promise<Result<Feed>>;
  /** Rolled-up history of some series. */
  history(source: string, query: HistoryQuery): Promise<Result<HistoryResult>>;
  /** The latest sample of every series. */
  snapshot(source: string): Promise<Result<Snapshot>>;
  /** Every source the engine holds. */
  sources(): Promise<Result<SourceState[]>>;
  /** Starts a new epoch on purpose (an administrator's reset): frames are dropped. */
  reset(source: string): Promise<Result<SourceState>>;
  /** Stops feeds and closes connections. */
  close(): Promise<void>;
}
