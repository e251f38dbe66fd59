/**
 * What a transport is, seen from the manager, and the platform pieces transports need
 * (a WebSocket class, a fetch function), typed structurally so that browsers' globals,
 * Node's `ws` package and test doubles all fit without `any`.
 *
 * Every callback a transport makes carries the id of the connection it comes from. The
 * manager's session for that transport (../client/websocket-session.ts, ../client/polling-session.ts)
 * remembers the id of the connection it currently trusts and ignores everything else: a late
 * `close` of a socket that was already replaced, or a poll reply that lands after the switch
 * back to WebSocket, can then never corrupt the current state.
 *
 * @module
 */

import type { MetricInfo, PollResponse } from "@pulseboard/protocol";

/** Which transport carries the stream. */
export type TransportKind = "websocket" | "polling";

/** The part of a WebSocket close event the client reads. */
export interface SocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/** The part of a WebSocket message event the client reads. */
export interface SocketMessageEventLike {
  /** Text for text messages; anything else is rejected and counted. */
  readonly data: unknown;
}

/**
 * The subset of the WHATWG WebSocket the client uses. Browsers' `WebSocket` and the `ws`
 * package's `WebSocket` both satisfy it.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "error", listener: (event: unknown) => void): void;
  addEventListener(type: "message", listener: (event: SocketMessageEventLike) => void): void;
  addEventListener(type: "close", listener: (event: SocketCloseEventLike) => void): void;
  /** Node's `ws` only: drop the TCP connection at once, without a closing handshake. */
  terminate?: () => void;
}

/**
 * A WebSocket class: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` in Node.
 *
 * @example
 * ```ts
 * import { WebSocket } from "ws";
 * new WebSocketManager({ url, WebSocket });
 * ```
 */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[]): WebSocketLike;
}

/** The part of a fetch `Response` the client reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}

/** A `fetch` function: `globalThis.fetch` in browsers and Node 20, or a test double. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<FetchResponseLike>;

/** How a WebSocket connection ended. */
export interface SocketCloseInfo {
  /** Close code (1006 when the connection failed or was replaced without a close frame). */
  code: number;
  /** Close reason sent by the server, or a description of the failure. */
  reason: string;
  /** Whether the socket had completed its opening handshake. */
  opened: boolean;
  /** Whether the connect timeout cut the attempt short. */
  timedOut: boolean;
}

/** Callbacks of a {@link WebSocketTransport}. Every one names its socket by id. */
export interface WebSocketTransportListener {
  /** Socket `id` was created and is connecting; from now on it is the current socket. */
  onAttempt(id: number): void;
  /** The opening handshake of socket `id` completed. */
  onOpen(id: number): void;
  /** Socket `id` received a message (`data` is a string for text messages). */
  onMessage(id: number, data: unknown): void;
  /** Socket `id` closed or failed; called once per socket. */
  onClose(id: number, info: SocketCloseInfo): void;
}

/** Why an HTTP request (poll, catalogue, history) did not produce a usable reply. */
export interface HttpFailure {
  /**
   * `http` (a non-2xx status), `network` (fetch rejected), `timeout` (no reply in time),
   * `too_large`, `bad_json`, `bad_shape`, `unknown_type` or `bad_value` (the body).
   */
  code: "http" | "network" | "timeout" | "too_large" | "bad_json" | "bad_shape" | "unknown_type" | "bad_value";
  /** HTTP status for `http`. */
  status?: number;
  /** For `http`: the `error.code` of the server's JSON error body, when it sent one. */
  serverCode?: string;
  message: string;
  /** Bytes of the body, when one was read. */
  bytes: number;
}

/** Callbacks of a {@link PollingTransport}. Every one names its poller by id. */
export interface PollingTransportListener {
  /** The metric catalogue, fetched before the first poll when the manager has none. */
  onCatalogue(id: number, metrics: MetricInfo[]): void;
  /** A validated poll reply. */
  onResponse(id: number, response: PollResponse, bytes: number): void;
  /** A poll failed; `consecutive` counts failures since the last good reply. */
  onFailure(id: number, failure: HttpFailure, consecutive: number): void;
  /** The wait after a failure is over (elapsed, or cut short by `retryNow()`); the next request starts. */
  onRetry(id: number): void;
}
