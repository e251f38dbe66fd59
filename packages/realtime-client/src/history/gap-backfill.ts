/**
 * Filling gaps from history.
 *
 * When the server says seqs `from..to` can no longer be replayed (older than its retention,
 * or its stream restarted), the samples those frames carried are still computable:
 * `GET /api/history` recomputes any past window. The backfiller turns a seq gap into a time
 * window per series and merges what history returns into the rings. What history cannot
 * provide is marked as a hole (`SeriesStore.markHole`), never interpolated.
 *
 * A gap usually affects every series, so the windows are fetched in batches
 * (`GET /api/history?metrics=a,b,c`, grouped by ./history-batches.ts, fetched by
 * ./history-runner.ts): a gap costs a handful of requests rather than one per series. A batch
 * that fails leaves holes in its own series only; one the server refuses as too large is
 * halved and retried.
 *
 * The time window of a series is open on both ends: from its newest sample before the gap
 * (exclusive) to the oldest sample of the first data frame after it (exclusive). Frames cover
 * consecutive, non-overlapping time windows, so exactly the samples of the lost frames lie
 * in between. The end is therefore only known once the first frame after the gap has been
 * ingested; the backfill starts then, and the `gap` event is emitted when every request has
 * settled. Samples that the ring already holds are skipped by the store, so an overlap is
 * harmless.
 *
 * @module
 */

import { jobSlice, type BackfillJob, type BatchLimits, type HistoryBatch } from "./batches.js";
import { runHistoryBatches } from "./runner.js";
import {
  HISTORY_BATCH_MAX_METRICS,
  HISTORY_BATCH_MAX_POINTS,
  validateHistoryBatchResponse,
  type DataFrame,
  type HistoryBatchSeries,
} from "@pulseboard/protocol";
import type { SeriesStore } from "../store/series-store.js";
import { getJson, type ServerRequestOptions } from "../transports/http.js";
import type { GapEvent, GapReason } from "../client/types.js";

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

/** A gap as the manager learned it. */
export interface GapNotice {
  from: number;
  /** Null when the end is unknown (an `epoch` gap: the old epoch's frames from `from` on). */
  to: number | null;
  reason: GapReason;
}

/** Options of {@link GapBackfiller}. */
export interface GapBackfillerOptions {
  store: SeriesStore;
  /** Null disables backfill: gaps are marked as holes at once. */
  history: HistoryClient | null;
  /** Requests in flight at most (browsers allow about six per host). */
  concurrency: number;
  /** A gap has settled: emit it. */
  onSettled: (event: GapEvent) => void;
  /** A history request failed (the range is marked as a hole). */
  onFailure: (message: string) => void;
  /** Rings changed (backfill or holes): schedule a notification. */
  onChanged: () => void;
}

interface PendingGap {
  notice: GapNotice;
  /** Newest sample time of each series before the gap. */
  starts: Map<string, number>;
}

/** What the requests of one gap have settled so far. */
interface Tally {
  /** Samples merged into rings. */
  points: number;
  /** Series marked as holes. */
  holes: string[];
  /** The first failure, reported once per gap. */
  failure: string | null;
}

/** Fewest samples a request may ask for even when the ring is tiny. */
const MIN_WINDOW_SAMPLES = 16;

/**
 * Turns gap notices into history requests and settles each gap with one `gap` event.
 *
 * @example
 * ```ts
 * backfiller.open({ from: 120, to: 180, reason: "retention" }, lastTimes);
 * // ...after the first frame following the gap has been ingested:
 * backfiller.noteFrame(frame);
 * ```
 */
export class GapBackfiller {
  private readonly options: GapBackfillerOptions;
  /** The gap waiting for its first following frame; a second gap before then merges into it. */
  private waiting: PendingGap | null = null;
  /** One per gap being filled; cancel() aborts them all. */
  private readonly controllers = new Set<AbortController>();

  /** @param options - see {@link GapBackfillerOptions}. */
  constructor(options: GapBackfillerOptions) {
    this.options = options;
  }

  /**
   * A gap was detected. Call before ingesting any frame that follows it.
   * @param notice - the seq range and reason.
   * @param starts - newest sample time of each affected series before the gap.
   */
  open(notice: GapNotice, starts: Map<string, number>): void {
    const waiting = this.waiting;
    if (waiting === null) {
      this.waiting = { notice: { ...notice }, starts };
      return;
    }
    // Still no frame since the previous gap: one time window covers both.
    if (notice.reason === "epoch" || waiting.notice.reason === "epoch") {
      if (waiting.notice.reason !== "epoch") waiting.notice = { ...notice };
      return;
    }
    waiting.notice.from = Math.min(waiting.notice.from, notice.from);
    // Only epoch gaps have an unknown end, and they were handled above.
    if (waiting.notice.to !== null && notice.to !== null) waiting.notice.to = Math.max(waiting.notice.to, notice.to);
  }

  /**
   * A data frame was ingested. The first one after a gap closes its time window.
   * @param frame - the frame just ingested.
   */
  noteFrame(frame: DataFrame): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    let end = Infinity;
    for (const id in frame.series) {
      const t = frame.series[id].t;
      if (t.length > 0 && t[0] < end) end = t[0];
    }
    if (end === Infinity) return;
    this.waiting = null;
    void this.fill(waiting, end);
  }

  /** Abort every request; settled events of the aborted gaps are not emitted. */
  cancel(): void {
    this.waiting = null;
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }

  private async fill(gap: PendingGap, end: number): Promise<void> {
    const { store, history } = this.options;
    let fromTime = Infinity;
    const jobs: BackfillJob[] = [];
    for (const [id, start] of gap.starts) {
      if (!(start < end)) continue;
      if (start < fromTime) fromTime = start;
      const info = store.info(id);
      const ring = store.series(id);
      if (info === undefined || ring === undefined) continue;
      // Only what the ring can hold is worth fetching: older samples would be pushed out.
      const intervalMs = info.rateHz > 0 ? 1000 / info.rateHz : 1;
      const span = Math.max(ring.capacity, MIN_WINDOW_SAMPLES) * intervalMs;
      const from = Math.max(start + 1, end - span);
      const to = end - 1;
      if (from <= to) jobs.push({ id, from, to, rateHz: info.rateHz });
    }
    const tally: Tally = { points: 0, holes: [], failure: null };
    if (history === null) {
      for (const job of jobs) this.hole(job, tally);
    } else {
      const controller = new AbortController();
      this.controllers.add(controller);
      await runHistoryBatches(jobs, {
        history,
        concurrency: this.options.concurrency,
        signal: controller.signal,
        onReply: (batch, series) => this.mergeBatch(batch, series, tally),
        onFailure: (batch, message) => {
          tally.failure ??= message;
          for (const job of batch.jobs) this.hole(job, tally);
        },
      });
      this.controllers.delete(controller);
      if (controller.signal.aborted) return;
    }
    if (tally.failure !== null) this.options.onFailure(tally.failure);
    this.options.onChanged();
    const { from, to, reason } = gap.notice;
    const { points, holes } = tally;
    this.options.onSettled({ from, to, reason, fromTime: fromTime === Infinity ? NaN : fromTime, toTime: end, backfilled: holes.length === 0, points, holes });
  }

  /** Merge every series of one reply; a series the reply lacks becomes a hole. */
  private mergeBatch(batch: HistoryBatch, series: Record<string, HistoryBatchSeries>, tally: Tally): void {
    for (const job of batch.jobs) {
      // Own keys only: an id such as "constructor" must not find Object.prototype's member.
      const columns = Object.hasOwn(series, job.id) ? series[job.id] : undefined;
      if (columns === undefined) {
        tally.failure ??= `history of ${job.id}: the server has no such metric`;
        this.hole(job, tally);
      } else {
        tally.points += this.merge(job, columns.t, columns.v, tally.holes);
      }
    }
  }

  /** Nothing for this window: mark it, never interpolate. */
  private hole(job: BackfillJob, tally: Tally): void {
    this.options.store.markHole(job.id, job.from, job.to);
    tally.holes.push(job.id);
  }

  /** Merge one reply: only samples strictly inside the window; uncovered edges become holes. */
  private merge(job: BackfillJob, t: number[], v: unknown[], holes: string[]): number {
    const [lo, hi] = jobSlice(t, job);
    const added = this.options.store.backfill(job.id, t.slice(lo, hi), v.slice(lo, hi));
    const info = this.options.store.info(job.id);
    const intervalMs = info !== undefined && info.rateHz > 0 ? 1000 / info.rateHz : 0;
    // A reply that stops short (a server-side cap) leaves the rest unfilled: say so.
    const firstT = hi > lo ? t[lo] : Infinity;
    const lastT = hi > lo ? t[hi - 1] : -Infinity;
    let marked = false;
    if (firstT - job.from >= intervalMs && intervalMs > 0 && firstT !== Infinity) {
      this.options.store.markHole(job.id, job.from, firstT - 1);
      marked = true;
    }
    if (job.to - lastT >= intervalMs && intervalMs > 0 && lastT !== -Infinity) {
      this.options.store.markHole(job.id, lastT + 1, job.to);
      marked = true;
    }
    if (hi === lo && job.to - job.from >= intervalMs && intervalMs > 0) {
      this.options.store.markHole(job.id, job.from, job.to);
      marked = true;
    }
    if (marked) holes.push(job.id);
    return added;
  }
}
