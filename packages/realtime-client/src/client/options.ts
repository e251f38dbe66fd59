/**
 * Defaults and validation of {@link WebSocketManagerOptions}, in one place.
 *
 * Bad options fail at construction with an error that names the option (`RangeError` for a
 * bad number, `TypeError` for a bad kind of value), never later over the network.
 *
 * @module
 */

import { validateBackoff } from "../scheduling/backoff.js";
import { systemClock, type Clock } from "../scheduling/clock.js";
import { makeBrowserEnvironment, type EnvironmentHooks } from "../scheduling/environment.js";
import type { FrameScheduler } from "../notify/frame-batcher.js";
import type { MetricInfo } from "@pulseboard/protocol";
import type { ServerRequestOptions } from "../transports/http.js";
import type { FetchLike, WebSocketConstructor } from "../transports/types.js";
import { MANAGER_DEFAULTS } from "./defaults.js";
import type { WebSocketManagerOptions } from "./types.js";

/** Every option with its default applied. */
export interface ResolvedOptions {
  /** WebSocket URL with `source` (and `token`) in the query. */
  wsUrl: string;
  httpUrl: string;
  source: string;
  token: string | undefined;
  metrics: readonly string[] | "*";
  events: boolean;
  startFrom: "live" | "retained";
  WebSocket: WebSocketConstructor;
  fetch: FetchLike;
  clock: Clock;
  random: () => number;
  frameScheduler: FrameScheduler | undefined;
  environment: EnvironmentHooks;
  bufferCapacity: number;
  capacityFor: ((info: MetricInfo) => number) | undefined;
  eventCapacity: number;
  backoff: { minMs: number; maxMs: number; factor: number };
  maxRetries: number;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  heartbeat: { intervalMs: number; timeoutMs: number };
  holeRepair: { waitMs: number; maxResubscribes: number };
  fallback: { enabled: boolean; afterFailures: number; pollWaitMs: number; probeIntervalMs: number; maxFramesPerPoll: number };
  maxFrameBytes: number;
  history: { backfill: boolean; prefillMs: number };
}

/** The defaults live in ./defaults.ts; re-exported for code that imported them from here. */
export { MANAGER_DEFAULTS };

function number(name: string, value: unknown, fallback: number, min: number, opts: { integer?: boolean; above?: boolean; infinite?: boolean } = {}): number {
  const x = value === undefined ? fallback : value;
  const ok =
    typeof x === "number" &&
    !Number.isNaN(x) &&
    (Number.isFinite(x) || (opts.infinite === true && x === Infinity)) &&
    (opts.above === true ? x > min : x >= min) &&
    (opts.integer !== true || Number.isInteger(x) || x === Infinity);
  if (!ok) {
    const kind = opts.integer === true ? "an integer" : "a number";
    throw new RangeError(`${name} must be ${kind} ${opts.above === true ? ">" : ">="} ${min}${opts.infinite === true ? " (or Infinity)" : ""}, got ${String(x)}`);
  }
  return x;
}

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean, got ${typeof value}`);
  return value;
}

function object<T extends object>(name: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) throw new TypeError(`${name} must be an object`);
  return value;
}

/**
 * The HTTP base derived from a WebSocket URL: same host, `http(s)`, and the path without a
 * trailing `/ws` segment (`wss://host/pulse/ws` -> `https://host/pulse`).
 *
 * @param url - a ws: or wss: URL.
 * @returns the HTTP base without a trailing slash.
 */
export function httpBaseFromWebSocketUrl(url: URL): string {
  const protocol = url.protocol === "wss:" ? "https:" : "http:";
  const path = url.pathname.replace(/\/ws\/?$/, "").replace(/\/+$/, "");
  return `${protocol}//${url.host}${path}`;
}

function parseWebSocketUrl(value: unknown): URL {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError("url is required: the WebSocket endpoint, for example ws://127.0.0.1:8787/ws");
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`url must be an absolute ws:// or wss:// URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new TypeError(`url must use ws: or wss:, got ${url.protocol} (pass the HTTP base as httpUrl)`);
  }
  return url;
}

function resolveWebSocket(value: unknown): WebSocketConstructor {
  const candidate = value ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (candidate === undefined) {
    throw new TypeError(
      'No WebSocket implementation: this runtime has no global WebSocket (Node 20). Pass one: import { WebSocket } from "ws"; new WebSocketManager({ url, WebSocket })',
    );
  }
  if (typeof candidate !== "function") throw new TypeError("WebSocket must be a WebSocket class (constructor)");
  return candidate as WebSocketConstructor;
}

function resolveFetch(value: unknown, needed: boolean): FetchLike {
  if (value !== undefined) {
    if (typeof value !== "function") throw new TypeError("fetch must be a function");
    return value as FetchLike;
  }
  const global = (globalThis as { fetch?: (url: string, init: object) => Promise<unknown> }).fetch;
  if (typeof global === "function") {
    // Called through globalThis: a detached `window.fetch` throws "Illegal invocation".
    return (url, init) => global.call(globalThis, url, init) as ReturnType<FetchLike>;
  }
  if (needed) {
    throw new TypeError("No fetch implementation: pass options.fetch, or disable fallback.enabled and history.backfill (and leave history.prefillMs at 0)");
  }
  return () => Promise.reject(new Error("fetch is not available"));
}

/**
 * Metric ids as the application passes them (`loadHistory`'s `metrics`).
 * @param value - untrusted: must be an array of non-empty strings.
 * @param message - the TypeError's message otherwise.
 * @returns a frozen copy, so a later change to the caller's array changes nothing here.
 */
export function resolveMetricIds(value: unknown, message = "metrics must be an array of non-empty metric ids"): readonly string[] {
  if (!Array.isArray(value) || !value.every((id) => typeof id === "string" && id.length > 0)) throw new TypeError(message);
  return Object.freeze(value.slice() as string[]);
}

/**
 * A subscription as the application passes it (the `metrics` option, `subscribe()`).
 * @param value - untrusted: `"*"` or metric ids.
 * @returns `"*"` or a frozen copy of the ids.
 */
export function resolveSubscription(value: unknown): readonly string[] | "*" {
  return value === "*" ? "*" : resolveMetricIds(value, 'metrics must be "*" or an array of non-empty metric ids');
}

/**
 * What every request to the server's HTTP API (history, snapshot) takes from the options.
 * @param o - resolved options.
 * @returns the base URL, source, token, fetch, clock and the request limits.
 */
export function serverRequestOptions(o: ResolvedOptions): ServerRequestOptions {
  return { httpUrl: o.httpUrl, source: o.source, token: o.token, fetch: o.fetch, clock: o.clock, maxBytes: o.maxFrameBytes, timeoutMs: o.connectTimeoutMs };
}

/**
 * Apply defaults and validate.
 *
 * @param options - what the application passed.
 * @returns the resolved options.
 * @throws TypeError or RangeError naming the offending option.
 */
export function resolveOptions(options: WebSocketManagerOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object with at least url");
  const url = parseWebSocketUrl(options.url);
  const source = options.source ?? MANAGER_DEFAULTS.source;
  if (typeof source !== "string" || source.length === 0) throw new TypeError("source must be a non-empty string");
  if (options.token !== undefined && (typeof options.token !== "string" || options.token.length === 0)) {
    throw new TypeError("token must be a non-empty string");
  }
  let httpUrl = httpBaseFromWebSocketUrl(url);
  if (options.httpUrl !== undefined) {
    try {
      const parsed = new URL(options.httpUrl);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError("protocol");
    } catch {
      throw new TypeError(`httpUrl must be an absolute http:// or https:// URL, got ${JSON.stringify(options.httpUrl)}`);
    }
    httpUrl = options.httpUrl.replace(/\/+$/, "");
  }
  url.searchParams.set("source", source);
  if (options.token !== undefined) url.searchParams.set("token", options.token);

  const startFrom = options.startFrom ?? MANAGER_DEFAULTS.startFrom;
  if (startFrom !== "live" && startFrom !== "retained") throw new TypeError('startFrom must be "live" or "retained"');
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  if (typeof random !== "function") throw new TypeError("random must be a function returning [0, 1)");
  if (options.capacityFor !== undefined && typeof options.capacityFor !== "function") {
    throw new TypeError("capacityFor must be a function (metric) => capacity");
  }

  const heartbeatIn = object("heartbeat", options.heartbeat);
  const intervalMs = number("heartbeat.intervalMs", heartbeatIn.intervalMs, MANAGER_DEFAULTS.heartbeat.intervalMs, 0, { above: true });
  const timeoutMs = number("heartbeat.timeoutMs", heartbeatIn.timeoutMs, MANAGER_DEFAULTS.heartbeat.timeoutMs, 0, { above: true });
  if (timeoutMs <= intervalMs) {
    throw new RangeError(`heartbeat.timeoutMs (${timeoutMs}) must be greater than heartbeat.intervalMs (${intervalMs}), or every pause between pings would look like a dead socket`);
  }

  const holeRepairIn = object("holeRepair", options.holeRepair);
  const holeRepair = {
    waitMs: number("holeRepair.waitMs", holeRepairIn.waitMs, MANAGER_DEFAULTS.holeRepair.waitMs, 0, { above: true }),
    maxResubscribes: number("holeRepair.maxResubscribes", holeRepairIn.maxResubscribes, MANAGER_DEFAULTS.holeRepair.maxResubscribes, 0, { integer: true }),
  };

  const fallbackIn = object("fallback", options.fallback);
  const fallback = {
    enabled: boolean("fallback.enabled", fallbackIn.enabled, MANAGER_DEFAULTS.fallback.enabled),
    afterFailures: number("fallback.afterFailures", fallbackIn.afterFailures, MANAGER_DEFAULTS.fallback.afterFailures, 1, { integer: true }),
    pollWaitMs: number("fallback.pollWaitMs", fallbackIn.pollWaitMs, MANAGER_DEFAULTS.fallback.pollWaitMs, 0),
    probeIntervalMs: number("fallback.probeIntervalMs", fallbackIn.probeIntervalMs, MANAGER_DEFAULTS.fallback.probeIntervalMs, 0, { above: true }),
    maxFramesPerPoll: number("fallback.maxFramesPerPoll", fallbackIn.maxFramesPerPoll, MANAGER_DEFAULTS.fallback.maxFramesPerPoll, 1, { integer: true }),
  };
  const historyIn = object("history", options.history);
  const history = {
    backfill: boolean("history.backfill", historyIn.backfill, MANAGER_DEFAULTS.history.backfill),
    prefillMs: number("history.prefillMs", historyIn.prefillMs, MANAGER_DEFAULTS.history.prefillMs, 0),
  };

  let backoff: ResolvedOptions["backoff"];
  try {
    backoff = validateBackoff(object("backoff", options.backoff));
  } catch (error) {
    throw error instanceof RangeError ? new RangeError(error.message.replace(/^backoff /, "backoff.")) : error;
  }

  return {
    wsUrl: url.toString(),
    httpUrl,
    source,
    token: options.token,
    metrics: options.metrics === undefined ? MANAGER_DEFAULTS.metrics : resolveSubscription(options.metrics),
    events: boolean("events", options.events, MANAGER_DEFAULTS.events),
    startFrom,
    WebSocket: resolveWebSocket(options.WebSocket),
    fetch: resolveFetch(options.fetch, fallback.enabled || history.backfill || history.prefillMs > 0),
    clock,
    random,
    frameScheduler: options.frameScheduler,
    environment: options.environment ?? makeBrowserEnvironment(),
    bufferCapacity: number("bufferCapacity", options.bufferCapacity, MANAGER_DEFAULTS.bufferCapacity, 1, { integer: true }),
    capacityFor: options.capacityFor,
    eventCapacity: number("eventCapacity", options.eventCapacity, MANAGER_DEFAULTS.eventCapacity, 1, { integer: true }),
    backoff,
    maxRetries: number("maxRetries", options.maxRetries, MANAGER_DEFAULTS.maxRetries, 0, { integer: true, infinite: true }),
    connectTimeoutMs: number("connectTimeoutMs", options.connectTimeoutMs, MANAGER_DEFAULTS.connectTimeoutMs, 0, { above: true }),
    handshakeTimeoutMs: number("handshakeTimeoutMs", options.handshakeTimeoutMs, MANAGER_DEFAULTS.handshakeTimeoutMs, 0, { above: true }),
    heartbeat: { intervalMs, timeoutMs },
    holeRepair,
    fallback,
    maxFrameBytes: number("maxFrameBytes", options.maxFrameBytes, MANAGER_DEFAULTS.maxFrameBytes, 1, { integer: true }),
    history,
  };
}
