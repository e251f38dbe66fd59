/**
 * The protocol v1 wire types this package produces, in one place.
 *
 * They are declared by `@pulseboard/protocol`, the one definition every side shares; every
 * other file of the server imports them from here.
 */
export type {
  DataFrame,
  EventLevel,
  EventsFrame,
  GapFrame,
  HistoryBatchResponse,
  HistoryResponse,
  MetricInfo,
  MetricKind,
  SeriesColumns,
  SnapshotResponse,
  StreamEvent,
  StreamFrame,
} from "@pulseboard/protocol";
