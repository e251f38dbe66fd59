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
 * (`GET /api/history?metrics=a,b,c`, asked by ./history-client.ts, grouped by ./batches.ts,
 * fetched by ./runner.ts): a gap costs a handful of requests rather than one per series. A batch
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

import type { DataFrame, HistoryBatchSeries } from "@pulseboard/protocol";
import type { GapEvent, GapReason } from "../client/types.js";
import type { SeriesStore } from "../store/series-store.js";
import { jobSlice, type BackfillJob, type HistoryBatch } from "./batches.js";
import type { HistoryClient } from "./history-client.js";
import { runHistoryBatches } from "./runner.js";

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
