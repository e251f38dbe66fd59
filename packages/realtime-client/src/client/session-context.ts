/**
 * What the manager shares with its two transport sessions (./websocket-session.ts and
 * ./polling-session.ts), and the two rules they all follow:
 *
 * - Every way a connection ends is described as a {@link DisconnectCause} and handed to the
 *   manager's one disconnect funnel; a session never ends a connection on its own.
 * - Every transport callback names the socket or poller it comes from. A session compares it
 *   with the one it currently trusts and ignores the rest ({@link isStale}): a late `close` of
 *   a socket that was already replaced, or a poll reply that lands after the switch back to
 *   WebSocket, can then never corrupt the current state.
 *
 * What a session may do to the data is two narrow sinks, not the data side itself: the
 * stream's cursor operations ({@link StreamSink}, extended by each session with the one or
 * two it alone needs) and the subscription ({@link SubscriptionSink}). Rings, event log,
 * notifications and history are out of its reach (./stream-data.ts owns them).
 *
 * @module
 */

import type { MetricInfo } from "@pulseboard/protocol";
import type { Emitter } from "../notify/emitter.js";
import type { ResolvedOptions } from "./options.js";
import type { RetrySchedule } from "../scheduling/retry-schedule.js";
import type { StatsCounters } from "./stats.js";
import type { StreamPipeline } from "../stream/pipeline.js";
import type { TransportKind } from "../transports/types.js";
import type { ManagerErrorCode, ManagerEventMap } from "./types.js";

/** Every way a connection ends. */
export type DisconnectCause =
  /** The application called close(). */
  | { kind: "close"; reason: string }
  /** Retrying cannot help (auth, policy, protocol, maxRetries). */
  | { kind: "fail"; code: ManagerErrorCode; message: string }
  /** The current socket is gone (or must go, `replace`); try again. */
  | { kind: "socket"; code: ManagerErrorCode; message: string; replace: boolean };

/**
 * The stream's cursor as every transport session drives it: where to resume, which epoch and
 * position it holds, and the validated frames and gap notices it hands over. Both sessions
 * drive the same pipeline, which is what makes switching transports lose and repeat nothing.
 */
export type StreamSink = Pick<
  StreamPipeline,
  "epoch" | "seq" | "positionKnown" | "resumePoint" | "adoptEpoch" | "startLive" | "noteBacklog" | "offer" | "gap"
>;

/** The subscription as a transport session sees it: what to ask for, and where a catalogue goes. */
export interface SubscriptionSink {
  /** The metrics the stream should carry: ids, or `"*"` for the whole catalogue. */
  readonly subscribed: readonly string[] | "*";
  /** @param metrics - a catalogue from a hello or `GET /api/metrics`; it replaces the previous one (rings follow it). */
  installCatalogue(metrics: readonly MetricInfo[]): void;
}

/** What a transport session may read and ask of the manager. */
export interface SessionContext {
  /** The manager's options, defaults applied. */
  config: ResolvedOptions;
  counters: StatsCounters;
  retries: RetrySchedule;
  /** The manager's events (`hello`, `heartbeat`, server `error`s). */
  emitter: Emitter<ManagerEventMap>;
  /** Allocates connection ids, shared by both transports so that ids never collide. */
  nextId: () => number;
  /** A message arrived over `transport`: count it. */
  countMessage: (transport: TransportKind) => void;
  /** The manager's disconnect funnel. */
  disconnect: (cause: DisconnectCause) => void;
  /** A non-fatal problem: the manager's `error` event. */
  reportError: (code: ManagerErrorCode, message: string) => void;
}

/**
 * The stale-callback rule.
 * @param id - the connection the callback comes from.
 * @param trusted - the connection the session currently trusts (null: none).
 * @param counters - where ignored callbacks are counted (`stats().staleCallbacks`).
 * @returns true when the callback must be ignored.
 */
export function isStale(id: number, trusted: number | null, counters: StatsCounters): boolean {
  if (id === trusted) return false;
  counters.staleCallbacks++;
  return true;
}
