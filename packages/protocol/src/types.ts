/**
 * Wire types of the Pulseboard streaming protocol, version 1.
 *
 * These are the shapes on the wire, the one definition every side depends on: the client
 * validates every frame it receives against them at run time (./server-frames.ts,
 * ./replies.ts), servers produce them and validate what clients send (./client-messages.ts).
 * The prose specification, with examples and every error code, is docs/protocol.md.
 *
 * Ordering model: every source (tenant) has one ordered stream. Each streamed frame
 * (`data` and `events`) carries `seq`, exactly +1 per frame within one `epoch`. A client
 * holds a cursor (`epoch`, last `seq`) and resumes with `since`; the server replays what it
 * still retains after `since` and says so explicitly (a `gap` frame) when it cannot.
 */

/** Protocol version spoken by this package. */
export const PROTOCOL_VERSION = 1;

/** How a metric's values behave, which decides how the client aggregates and displays them. */
export type MetricKind =
  /** An instantaneous level (cpu %, memory bytes, active users). */
  | "gauge"
  /** A per-second rate already computed by the server (requests/s, errors/s). */
  | "rate"
  /** A monotonically increasing total; the client derives its rate of change. */
  | "counter"
  /** A latency in milliseconds (p50, p95, p99). */
  | "latency"
  /** A categorical share in percent; members of one `group` sum to 100. */
  | "share";

/** One entry of the metric catalogue. Labels are untrusted text: render as text. */
export interface MetricInfo {
  id: string;
  label: string;
  unit: string;
  kind: MetricKind;
  /** Metrics that belong together (for example `hosts`, `region-share`, `http-status`). */
  group?: string;
  /** Samples per second of this metric. */
  rateHz: number;
}

/** Columnar samples of one metric: `t[i]` (epoch milliseconds) belongs to `v[i]`. */
export interface SeriesColumns {
  t: number[];
  v: number[];
}

/** Severity of a stream event, lowest first. */
export type EventLevel = "debug" | "info" | "warn" | "error";

/** One entry of the event log. `text` and `source` are untrusted: render as text. */
export interface StreamEvent {
  /** Unique within a source and epoch. */
  id: number;
  /** Epoch milliseconds. */
  t: number;
  level: EventLevel;
  kind: "deploy" | "alert" | "log";
  source: string;
  text: string;
}

// ---------------------------------------------------------------------------------------
// Server -> client
// ---------------------------------------------------------------------------------------

/** First frame on every WebSocket connection. Not part of the seq stream. */
export interface HelloFrame {
  type: "hello";
  protocol: number;
  source: string;
  /** Identifies one life of the stream. A new epoch means seqs restarted at 1. */
  epoch: string;
  serverTime: number;
  /** Seq of the newest frame sent so far (0 before the first). */
  seq: number;
  /** Oldest seq the server can still replay. */
  oldestSeq: number;
  retentionMs: number;
  tickMs: number;
  metrics: MetricInfo[];
}

/** A batch of samples; `series` holds only the metrics the client subscribed to (maybe none). */
export interface DataFrame {
  type: "data";
  seq: number;
  series: Record<string, SeriesColumns>;
}

/** A batch of log events, in the same seq stream as data. */
export interface EventsFrame {
  type: "events";
  seq: number;
  events: StreamEvent[];
}

/** Frames that carry a seq. */
export type StreamFrame = DataFrame | EventsFrame;

/** Seqs `from`..`to` (inclusive) exist but cannot be replayed; sent instead of them. */
export interface GapFrame {
  type: "gap";
  from: number;
  to: number;
  reason: "retention" | "epoch";
}

/** Acknowledges a subscribe; replay (if any) follows, then live frames. */
export interface SubscribedFrame {
  type: "subscribed";
  metrics: string[] | "*";
  /** The since the server applied (null: live only). */
  since: number | null;
  /** Seq of the newest frame at the moment of subscribing. */
  seq: number;
}

/** The answer to a ping: `clientTime` echoed, so the client measures RTT and clock offset. */
export interface PongFrame {
  type: "pong";
  id: number;
  clientTime: number;
  serverTime: number;
}

/** Codes of `error` frames and HTTP error bodies; docs/protocol.md says what each means and what to do. */
export type ErrorCode =
  | "bad_json"
  | "bad_message"
  | "unknown_type"
  | "too_large"
  | "too_many_metrics"
  | "unknown_metric"
  | "bad_since"
  | "unauthorized"
  | "forbidden_origin"
  | "unknown_source"
  | "rate_limited"
  | "internal";

/** Something the client sent (or asked for) was refused; the connection stays up unless a close follows. */
export interface ErrorFrame {
  type: "error";
  code: ErrorCode;
  message: string;
}

/** Every frame a server sends on the WebSocket. */
export type ServerFrame =
  | HelloFrame
  | DataFrame
  | EventsFrame
  | GapFrame
  | SubscribedFrame
  | PongFrame
  | ErrorFrame;

// ---------------------------------------------------------------------------------------
// Client -> server
// ---------------------------------------------------------------------------------------

/** What to stream, and from where: sent after every hello, and again to change the metrics or ask for a replay. */
export interface SubscribeMessage {
  type: "subscribe";
  /** Metric ids, or "*" for every metric of the catalogue. */
  metrics: string[] | "*";
  /** Last seq the client holds (replay starts after it); omit or null for live only. */
  since?: number | null;
  /** The epoch `since` belongs to; a different epoch on the server yields a gap. */
  epoch?: string;
  /** Whether to receive `events` frames (default true). */
  events?: boolean;
}

/** An application ping; any message proves the socket alive, the pong also measures the round trip. */
export interface PingMessage {
  type: "ping";
  id: number;
  clientTime: number;
}

/** Every message a client sends. */
export type ClientMessage = SubscribeMessage | PingMessage;

// ---------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------

/** `GET /api/poll?source=&since=&epoch=&metrics=&events=&wait=&max=` */
export interface PollResponse {
  type: "poll";
  source: string;
  epoch: string;
  serverTime: number;
  /** Seq of the newest frame on the server. */
  seq: number;
  oldestSeq: number;
  /** Present when frames after `since` are no longer retained (or the epoch changed). */
  gap?: GapFrame;
  /** Frames with seq > since, in order, filtered like the WebSocket stream. */
  frames: StreamFrame[];
  /** True when `max` cut the reply short: poll again at once. */
  more: boolean;
  /** Requested metric ids the catalogue does not have (ignored, like the WebSocket's `unknown_metric`). */
  unknownMetrics?: string[];
}

/** `GET /api/history?source=&metric=&from=&to=&step=`: one metric's window. */
export interface HistoryResponse {
  source: string;
  metric: string;
  from: number;
  to: number;
  step: number;
  t: number[];
  v: number[];
}

/** One series of a {@link HistoryBatchResponse}: `t[i]` belongs to `v[i]`, `step` ms apart. */
export interface HistoryBatchSeries {
  /** The metric's interval, or the requested `step` rounded up to a multiple of it. */
  step: number;
  t: number[];
  v: number[];
}

/** `GET /api/history?source=&metrics=a,b,c&from=&to=&step=`: several metrics' windows at once. */
export interface HistoryBatchResponse {
  source: string;
  from: number;
  to: number;
  /** Every requested id the catalogue has, each on its own grid within [from, to]. */
  series: Record<string, HistoryBatchSeries>;
  /** Requested ids the catalogue does not have (ignored, like `/api/poll`'s `unknownMetrics`). */
  unknownMetrics?: string[];
}

/** `GET /api/snapshot?source=` */
export interface SnapshotResponse {
  source: string;
  epoch: string;
  serverTime: number;
  seq: number;
  metrics: MetricInfo[];
  /** Latest sample of each metric. */
  latest: Record<string, { t: number; v: number }>;
}
