/**
 * Counters of what the server did, for `stats()`, `/healthz` and the benchmark.
 */

/** Cumulative counters since the service started. */
export class Counters {
  /** WebSocket connections accepted. */
  connectionsAccepted = 0;
  /** Streamed frames (data, events, gap) sent over WebSocket. */
  framesSent = 0;
  /** Bytes (UTF-16 code units, equal to bytes for the ASCII JSON we send) of every WebSocket message. */
  bytesSent = 0;
  /** Client messages received. */
  messagesReceived = 0;
  /** Error frames sent. */
  errorsSent = 0;
  /** Clients closed with 1013 for not reading fast enough. */
  slowConsumersClosed = 0;
  /** Clients closed with 1008 for repeated protocol errors. */
  abusiveClientsClosed = 0;
  /** Garbage messages sent by the `garbage` fault. */
  garbageSent = 0;
  /** Garbage messages never sent: larger than a client's send buffer could ever take (`maxBufferedBytes`). */
  garbageSkipped = 0;
  /** Stream frames lost on purpose by the `lose-frames` fault. */
  framesLost = 0;
  /** Hellos lost on purpose by the `drop-hello` fault. */
  hellosDropped = 0;
  /** HTTP requests handled (all endpoints). */
  httpRequests = 0;
}

/** What `MetricsService.stats()` reports. */
export interface ServiceStats {
  uptimeMs: number;
  /** Open WebSocket connections. */
  connections: number;
  /** Long-polls waiting for a frame. */
  pendingPolls: number;
  sources: number;
  connectionsAccepted: number;
  framesSent: number;
  bytesSent: number;
  messagesReceived: number;
  errorsSent: number;
  slowConsumersClosed: number;
  abusiveClientsClosed: number;
  garbageSent: number;
  garbageSkipped: number;
  framesLost: number;
  hellosDropped: number;
  httpRequests: number;
  /** Frames and samples produced by all sources. */
  framesProduced: number;
  samplesProduced: number;
  eventsProduced: number;
}
