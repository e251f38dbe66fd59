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
 * @module
 */

import type { Emitter } from "../notify/emitter.js";
import type { ResolvedOptions } from "./options.js";
import type { RetrySchedule } from "../scheduling/retry-schedule.js";
import type { StatsCounters } from "./stats.js";
import type { StreamData } from "./stream-data.js";
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

/** What a transport session may read and ask of the manager. */
export interface SessionContext {
  /** The manager's options, defaults applied. */
  config: ResolvedOptions;
  /** Where validated frames and catalogues go. */
  data: StreamData;
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
