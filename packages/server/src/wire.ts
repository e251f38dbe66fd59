/**
 * The protocol v1 wire types this package produces, in one place.
 *
 * They are declared by the client package today; every other file of the server imports them
 * from here, so moving the wire format into its own package changes this one line.
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
} from "@pulseboard/realtime-client";
