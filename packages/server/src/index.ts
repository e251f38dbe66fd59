/**
 * `@pulseboard/server`: ingest parsing (InfluxDB line protocol, Pulseboard JSON) and the
 * storage engines (memory, Redis Streams) behind one interface. The user manual is README.md;
 * the design is docs/server.md.
 *
 * This file is the public API and nothing else. Every export is documented where it is
 * declared.
 */

// Ingest: formats, limits.
export {
  LineProtocolParser,
  formatLineError,
  parseLineProtocol,
  parseLineProtocolPoints,
  parsePrecision,
  unescapeName,
  decodeSeriesKey,
} from "./ingest/line-protocol.js";
export type {
  FieldType,
  LineError,
  LineProtocolOptions,
  LineProtocolParserOptions,
  LineProtocolResult,
  ParsedPoint,
  Precision,
  StringFieldMode,
} from "./ingest/line-protocol.js";
export { encodeSegment, RESERVED_TAGS_HELP } from "./ingest/line-protocol-ids.js";
export { parseJsonIngest } from "./ingest/json-body.js";
export type { BodyError, JsonIngestOptions, JsonIngestResult } from "./ingest/json-body.js";
export { DEFAULT_LIMITS, IngestBudget, checkBodySize, limitHit, resolveLimits } from "./ingest/limits.js";
export type { IngestLimits, LimitHit, LimitName } from "./ingest/limits.js";
export {
  EVENT_KINDS,
  EVENT_LEVELS,
  METRIC_KINDS,
  batchSamples,
  emptyBatch,
  metricIdProblem,
  newMetricInfo,
  updatedMetricInfo,
} from "./ingest/batch.js";
export type { Columns, EventInput, IngestBatch, MetricDeclaration, MetricFields } from "./ingest/batch.js";
export { sourceNameProblem } from "./names.js";

// Engines.
export { MemoryEngine } from "./engine/memory.js";
export { RedisEngine } from "./engine/redis.js";
export type { RedisEngineOptions } from "./engine/redis.js";
export { EncodedFrame, EVENT_ID_STRIDE, FRAME_OVERHEAD_BYTES } from "./engine/frame.js";
export type { Selection } from "./engine/frame.js";
export { planRead } from "./engine/cursor.js";
export type { ReadPlan, StreamPosition } from "./engine/cursor.js";
export { chooseTier } from "./engine/rollups.js";
export type { TierChoice } from "./engine/rollups.js";
export { AGGREGATIONS, DEFAULT_RETENTION, DEFAULT_TIERS } from "./engine/types.js";
export type {
  AppendResult,
  Aggregation,
  Engine,
  EngineError,
  EngineErrorCode,
  EngineOptions,
  Feed,
  FeedEvent,
  FeedListener,
  HistoryQuery,
  HistoryResult,
  HistorySeries,
  ReadOptions,
  ReadResult,
  Result,
  RetentionOptions,
  RollupTier,
  Snapshot,
  SourceState,
} from "./engine/types.js";
