/**
 * Filling gaps from history.
 *
 * When the server says seqs `from..to` can no longer be replayed (older than its retention,
 * or its stream restarted), the samples those frames carried are still computable:
 * `GET /api/history` recomputes any past window. The backfiller turns a seq gap into a time
 * window per series and merges what history returns into the rings. What history cannot
 * provide is marked as a hole (`SeriesStore.markHole`), never interpolated.
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

import type { Clock } from "./clock.js";
import type { DataFrame } from "./protocol-types.js";
import { validateHistoryResponse } from "./protocol.js";
import type { SeriesStore } from "./series-store.js";
import { getJson } from "./transports/http.js";
import type { FetchLike } from "./transports/types.js";
import type { GapEvent, GapReason } from "./types.js";

/** Options of {@link HistoryClient}. */
export interface HistoryClientOptions {
  httpUrl: string;
  source: string;
  token: string | undefined;
  fetch: FetchLike;
  clock: Clock;
  /** Largest accepted reply body, in bytes. */
  maxBytes: number;
  /** Abort a request after this many ms. */
  timeoutMs: number;
}

/** One history reply, or why there is none. */
export type HistoryResult = { ok: true; t: number[]; v: unknown[] } | { ok: false; message: string };

/**
 * `GET /api/history?source=&metric=&from=&to=`: one metric's samples in [from, to], on its
 * native grid (the same samples the stream carried).
 *
 * @example
 * ```ts
 * const history = new HistoryClient({ httpUrl, source: "default", token: undefined, fetch, clock: systemClock,
 *   maxBytes: 4 << 20, timeoutMs: 5000 });
 * const result = await history.fetchSeries("cpu.usage", from, to, controller.signal);
 * ```
 */
export class HistoryClient {
  private readonly options: HistoryClientOptions;

  /** @param options - see {@link HistoryClientOptions}. */
  constructor(options: HistoryClientOptions) {
    this.options = options;
  }

  /**
   * Fetch and validate one window. Never throws.
   * @param metric - metric id.
   * @param from - first time (inclusive, ms).
   * @param to - last time (inclusive, ms).
   * @param signal - aborts the request.
   * @returns the samples or a failure sentence.
   */
  async fetchSeries(metric: string, from: number, to: number, signal: AbortSignal): Promise<HistoryResult> {
    const { httpUrl, source, fetch, clock, token, maxBytes, timeoutMs } = this.options;
    const params = new URLSearchParams({ source, metric, from: String(Math.ceil(from)), to: String(Math.floor(to)) });
    const result = await getJson(`${httpUrl}/api/history?${params.toString()}`, { fetch, clock, token, maxBytes, timeoutMs, signal });
    if (!result.ok) return { ok: false, message: `history of ${metric}: ${result.failure.message}` };
    const checked = validateHistoryResponse(result.value);
    if (!checked.ok) return { ok: false, message: `history of ${metric}: ${checked.message}` };
    return { ok: true, t: checked.value.t, v: checked.value.v };
  }
}

/** A gap as the manager learned it. */
export interface GapNotice {
  from: number;
  to: number;
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
  private readonly controllers = new Set<AbortController>();
  private generation = 0;

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
    waiting.notice.to = Math.max(waiting.notice.to, notice.to);
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
    this.generation++;
    this.waiting = null;
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }

  private async fill(gap: PendingGap, end: number): Promise<void> {
    const { store, history } = this.options;
    const generation = this.generation;
    let fromTime = Infinity;
    const jobs: { id: string; from: number; to: number }[] = [];
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
      if (from <= to) jobs.push({ id, from, to });
    }
    let points = 0;
    const holes: string[] = [];
    let failure: string | null = null;
    if (history === null) {
      for (const job of jobs) {
        store.markHole(job.id, job.from, job.to);
        holes.push(job.id);
      }
    } else {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < jobs.length && generation === this.generation) {
          const job = jobs[next++];
          const controller = new AbortController();
          this.controllers.add(controller);
          const result = await history.fetchSeries(job.id, job.from, job.to, controller.signal);
          this.controllers.delete(controller);
          if (generation !== this.generation) return;
          if (result.ok) {
            points += this.merge(job, result.t, result.v, holes);
          } else {
            failure ??= result.message;
            store.markHole(job.id, job.from, job.to);
            holes.push(job.id);
          }
        }
      };
      const workers: Promise<void>[] = [];
      for (let i = 0; i < Math.min(this.options.concurrency, jobs.length); i++) workers.push(worker());
      await Promise.all(workers);
      if (generation !== this.generation) return;
    }
    if (failure !== null) this.options.onFailure(failure);
    this.options.onChanged();
    const { from, to, reason } = gap.notice;
    this.options.onSettled({ from, to, reason, fromTime: fromTime === Infinity ? NaN : fromTime, toTime: end, backfilled: holes.length === 0, points, holes });
  }

  /** Merge one reply: only samples strictly inside the window; uncovered edges become holes. */
  private merge(job: { id: string; from: number; to: number }, t: number[], v: unknown[], holes: string[]): number {
    let lo = 0;
    while (lo < t.length && t[lo] < job.from) lo++;
    let hi = t.length;
    while (hi > lo && t[hi - 1] > job.to) hi--;
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
