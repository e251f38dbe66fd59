/**
 * The HTTP long-polling transport: `GET /api/poll?since=...` in a loop, on the same seq
 * cursor as the WebSocket, so switching between the two neither loses nor repeats a frame.
 *
 * Each request asks for the frames after the cursor (`since`) and lets the server hold it
 * for up to `waitMs` when there is nothing new yet. Every reply is validated before the
 * manager sees it. Failures back off with full jitter like WebSocket reconnects; a request
 * that takes longer than `waitMs + requestTimeoutMs` is aborted; `stop()` aborts the request
 * in flight (AbortController) and cancels any wait, so nothing lingers after `close()`.
 *
 * Without a WebSocket hello the client has no metric catalogue, so when the manager has
 * none the loop first fetches `GET /api/metrics`.
 *
 * @module
 */

import type { Clock } from "../scheduling/clock.js";
import { validateMetricCatalogue, validatePollResponse } from "@pulseboard/protocol";
import { getJson } from "./http.js";
import type { FetchLike, HttpFailure, PollingTransportListener } from "./types.js";
import { WakeableSleep } from "./wakeable-sleep.js";

/** What the next poll asks for; read fresh before every request. */
export interface PollQuery {
  /** Null: no frames yet, only the server's current position (first contact, live start). */
  since: number | null;
  epoch: string | undefined;
  metrics: readonly string[] | "*";
  events: boolean;
  /**
   * Ask for an immediate reply (`wait=0`) instead of a long-poll: after a failure, the next
   * reply should say at once whether the server is back, not after a held poll's `waitMs`.
   */
  immediate?: boolean;
}

/** Options of {@link PollingTransport}. */
export interface PollingTransportOptions {
  /** HTTP base URL, for example `http://127.0.0.1:8787`. */
  httpUrl: string;
  source: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string | undefined;
  fetch: FetchLike;
  clock: Clock;
  /** Long-poll wait the server may hold a request for, in ms. */
  waitMs: number;
  /** Extra time allowed on top of `waitMs` before a request is aborted, in ms. */
  requestTimeoutMs: number;
  /** Most frames per reply (`max`). */
  maxFrames: number;
  /** Largest accepted reply body, in bytes. */
  maxBytes: number;
  query: () => PollQuery;
  /** Whether the catalogue must be fetched before polling. */
  needsCatalogue: () => boolean;
  /** Delay after the n-th consecutive failure (n starts at 1); asked right before the wait. */
  delayAfterFailure: (consecutive: number) => number;
  nextId: () => number;
  listener: PollingTransportListener;
}

/**
 * A long-polling loop.
 *
 * @example
 * ```ts
 * const poller = new PollingTransport({ httpUrl, source: "default", token: undefined, fetch, clock,
 *   waitMs: 10_000, requestTimeoutMs: 5000, maxFrames: 500, maxBytes: 4 << 20, query,
 *   needsCatalogue: () => false, delayAfterFailure, nextId, listener });
 * poller.start();
 * ```
 */
export class PollingTransport {
  readonly kind = "polling";
  private readonly options: PollingTransportOptions;
  private loopId: number | null = null;
  private controller: AbortController | null = null;
  private readonly sleeper: WakeableSleep;

  /** @param options - see {@link PollingTransportOptions}. */
  constructor(options: PollingTransportOptions) {
    this.options = options;
    this.sleeper = new WakeableSleep(options.clock);
  }

  /** Id of the running loop (every callback carries it), or null when stopped. */
  get id(): number | null {
    return this.loopId;
  }

  /**
   * Start polling.
   * @returns the id of this loop.
   */
  start(): number {
    if (this.loopId !== null) return this.loopId;
    const id = this.options.nextId();
    this.loopId = id;
    void this.loop(id);
    return id;
  }

  /**
   * End a failure backoff early (network back, tab visible).
   * @returns whether a wait was cut short.
   */
  retryNow(): boolean {
    return this.sleeper.wake();
  }

  /** Abort the request in flight, cancel any wait; no callback follows. */
  stop(): void {
    this.loopId = null;
    this.controller?.abort();
    this.controller = null;
    this.sleeper.wake();
  }

  private async loop(id: number): Promise<void> {
    let failures = 0;
    while (this.loopId === id) {
      const failure = this.options.needsCatalogue() ? await this.fetchCatalogue(id) : await this.pollOnce(id);
      if (this.loopId !== id) return;
      if (failure === null) {
        failures = 0;
        continue;
      }
      failures++;
      this.options.listener.onFailure(id, failure, failures);
      if (this.loopId !== id) return;
      const delay = this.options.delayAfterFailure(failures);
      // Asking for the delay announces it, and a listener of that may have stopped us.
      if (this.loopId !== id) return;
      await this.sleeper.sleep(delay);
      if (this.loopId !== id) return;
      this.options.listener.onRetry(id);
    }
  }

  /** GET with this loop's abort controller. */
  private async get(path: string, params: URLSearchParams, timeoutMs: number): Promise<ReturnType<typeof getJson>> {
    const controller = new AbortController();
    this.controller = controller;
    const { fetch, clock, token, maxBytes, httpUrl } = this.options;
    try {
      return await getJson(`${httpUrl}${path}?${params.toString()}`, { fetch, clock, token, maxBytes, timeoutMs, signal: controller.signal });
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  private async fetchCatalogue(id: number): Promise<HttpFailure | null> {
    const result = await this.get("/api/metrics", new URLSearchParams({ source: this.options.source }), this.options.requestTimeoutMs);
    if (this.loopId !== id) return null;
    if (!result.ok) return { ...result.failure, message: `catalogue: ${result.failure.message}` };
    const body = result.value as { metrics?: unknown } | null;
    const checked = validateMetricCatalogue(typeof body === "object" && body !== null ? body.metrics : undefined);
    if (!checked.ok) return { code: checked.code, message: `catalogue: ${checked.message}`, bytes: result.bytes };
    this.options.listener.onCatalogue(id, checked.value);
    return null;
  }

  /** One poll. Returns null after a good reply (already delivered), or the failure. */
  private async pollOnce(id: number): Promise<HttpFailure | null> {
    const { source, waitMs, maxFrames, requestTimeoutMs } = this.options;
    const q = this.options.query();
    const params = new URLSearchParams({ source });
    if (q.since !== null) params.set("since", String(q.since));
    if (q.epoch !== undefined) params.set("epoch", q.epoch);
    params.set("metrics", q.metrics === "*" ? "*" : q.metrics.join(","));
    params.set("events", q.events ? "1" : "0");
    // Without `since` the reply is immediate (just the position), so there is nothing to wait for.
    params.set("wait", String(q.since === null || q.immediate === true ? 0 : waitMs));
    params.set("max", String(maxFrames));
    const result = await this.get("/api/poll", params, waitMs + requestTimeoutMs);
    if (this.loopId !== id) return null;
    if (!result.ok) return { ...result.failure, message: `poll: ${result.failure.message}` };
    const checked = validatePollResponse(result.value);
    if (!checked.ok) return { code: checked.code, message: `poll: ${checked.message}`, bytes: result.bytes };
    this.options.listener.onResponse(id, checked.value, result.bytes);
    return null;
  }
}
