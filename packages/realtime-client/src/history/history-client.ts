/**
 * The client's view of `GET /api/history`: one batched request for several metrics' windows,
 * sized so that the server, the proxies on the way and the client's own reply limit all
 * accept it. Gap backfill (./gap-backfill.ts) and history prefill (./prefill.ts) share one
 * client, so both obey the same limits.
 *
 * @module
 */

import { HISTORY_BATCH_MAX_METRICS, HISTORY_BATCH_MAX_POINTS, validateHistoryBatchResponse, type HistoryBatchSeries } from "@pulseboard/protocol";
import { getJson, type ServerRequestOptions } from "../transports/http.js";
import type { BatchLimits } from "./batches.js";

/** Options of {@link HistoryClient}: the server's HTTP API and the client's request limits. */
export type HistoryClientOptions = ServerRequestOptions;

/** One batched history reply, or why there is none. */
export type HistoryBatchResult =
  | { ok: true; series: Record<string, HistoryBatchSeries> }
  | {
      ok: false;
      message: string;
      /** The request asked for too much at once (points, ids or URL length): fewer ids may pass. */
      tooLarge: boolean;
    };

/**
 * Longest history URL this client sends. Proxies commonly refuse request lines beyond 8 KiB,
 * and Node's HTTP server refuses more than 16 KiB of request line and headers together.
 */
const MAX_HISTORY_URL_CHARS = 8192;

/**
 * Bytes one point takes in a reply at most, roughly: a 13-digit time, a value of up to about
 * 15 characters, and separators. It turns the reply size limit into a point budget.
 */
const MAX_BYTES_PER_POINT = 32;

/** Failures that asking for fewer ids at once can cure. */
const TOO_LARGE_SERVER_CODES: ReadonlySet<string> = new Set(["too_large", "too_many_metrics"]);
/** URI Too Long and Request Header Fields Too Large: the URL was too long for something on the way. */
const TOO_LONG_URL_STATUSES: ReadonlySet<number> = new Set([414, 431]);

/** "cpu.usage" or "cpu.usage and 219 more", for messages. */
function describeIds(ids: readonly string[]): string {
  return ids.length > 1 ? `${ids[0]} and ${ids.length - 1} more` : (ids[0] ?? "no series");
}

/**
 * `GET /api/history?source=&metrics=a,b,c&from=&to=`: several metrics' samples in [from, to],
 * each on its native grid (the same samples the stream carried).
 *
 * @example
 * ```ts
 * const history = new HistoryClient({ httpUrl, source: "default", token: undefined, fetch, clock: systemClock,
 *   maxBytes: 4 << 20, timeoutMs: 5000 });
 * const result = await history.fetchBatch(["cpu.usage", "memory.usage"], from, to, controller.signal);
 * ```
 */
export class HistoryClient {
  private readonly options: HistoryClientOptions;

  /** @param options - see {@link HistoryClientOptions}. */
  constructor(options: HistoryClientOptions) {
    this.options = options;
  }

  /**
   * What one request may carry: the protocol's caps, the points whose reply fits in
   * `maxBytes`, and the ids that keep the URL short enough.
   * @returns the limits to plan batches with.
   */
  limits(): BatchLimits {
    const placeholder = "9".repeat(16);
    const fixed = this.url([], placeholder, placeholder).length;
    return {
      maxIds: HISTORY_BATCH_MAX_METRICS,
      maxPoints: Math.min(HISTORY_BATCH_MAX_POINTS, Math.floor(this.options.maxBytes / MAX_BYTES_PER_POINT)),
      maxListChars: Math.max(1, MAX_HISTORY_URL_CHARS - fixed),
    };
  }

  /**
   * Fetch and validate one batch. Never throws. Ids the reply leaves out (unknown to the
   * server) are simply absent from `series`.
   * @param ids - metric ids; an id containing a comma cannot be asked for (as with `/api/poll`).
   * @param from - first time (inclusive, ms).
   * @param to - last time (inclusive, ms).
   * @param signal - aborts the request.
   * @returns the series or a failure sentence.
   */
  async fetchBatch(ids: readonly string[], from: number, to: number, signal: AbortSignal): Promise<HistoryBatchResult> {
    const { fetch, clock, token, maxBytes, timeoutMs } = this.options;
    const url = this.url(ids, String(Math.ceil(from)), String(Math.floor(to)));
    const result = await getJson(url, { fetch, clock, token, maxBytes, timeoutMs, signal });
    const about = `history of ${describeIds(ids)}`;
    if (!result.ok) {
      const { failure } = result;
      const tooLarge =
        failure.code === "too_large" ||
        (failure.code === "http" && (TOO_LARGE_SERVER_CODES.has(failure.serverCode ?? "") || TOO_LONG_URL_STATUSES.has(failure.status ?? 0)));
      const detail = failure.serverCode === undefined ? failure.message : `${failure.message} ${failure.serverCode}`;
      return { ok: false, message: `${about}: ${detail}`, tooLarge };
    }
    const checked = validateHistoryBatchResponse(result.value);
    if (!checked.ok) return { ok: false, message: `${about}: ${checked.message}`, tooLarge: false };
    return { ok: true, series: checked.value.series };
  }

  /** Commas stay literal: percent-encoding them would cost three characters per id. */
  private url(ids: readonly string[], from: string, to: string): string {
    const { httpUrl, source } = this.options;
    const params = new URLSearchParams({ source, from, to });
    let list = "";
    for (let i = 0; i < ids.length; i++) list += (i > 0 ? "," : "") + encodeURIComponent(ids[i]);
    return `${httpUrl}/api/history?${params.toString()}&metrics=${list}`;
  }
}
