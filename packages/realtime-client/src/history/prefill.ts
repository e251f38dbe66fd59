/**
 * Loading history behind the stream's first sample: `manager.loadHistory(windowMs)` and the
 * `history.prefillMs` option. Charts then open full instead of filling from the right.
 *
 * Where each series' window lies, and why:
 *
 * - It ends where the series' data begins, so history and stream meet without overlap or gap:
 *   just before its oldest held sample; for a series with no sample yet, just after the
 *   newest sample the stream delivered to any series (frames cover consecutive time windows,
 *   so every sample the stream has yet to deliver is newer). A load therefore waits for the
 *   stream's first samples: before them the edge is unknown. With `startFrom: "live"` the
 *   frames the server held at subscribe time are skipped, so a window ended at the estimated
 *   server time when the hello came would miss the samples of the ticks between the hello
 *   and the subscription (seen: one 20 ms sample per series lost in 5 loads of 8).
 * - It reaches back `windowMs`, but no further than the ring has room for: older samples
 *   would only push newer ones out.
 *
 * Requests go through the gap backfill's batching and concurrency (./runner.ts).
 * Replies are merged with `SeriesStore.backfill`: samples already held are skipped, the series
 * are marked changed for the next `data` notification, and a ring that live samples filled in
 * the meantime drops its oldest samples, counted as overflow. A window history cannot provide
 * is not marked as a hole, unlike a gap's: nothing was lost from the stream.
 *
 * @module
 */

import { jobSlice, type BackfillJob, type HistoryBatch } from "./batches.js";
import { runHistoryBatches } from "./runner.js";
import type { HistoryClient } from "./history-client.js";
import type { HistoryBatchSeries } from "@pulseboard/protocol";
import type { SeriesStore } from "../store/series-store.js";
import type { LoadHistoryResult } from "../client/types.js";

/** Options of {@link HistoryPrefiller}. */
export interface HistoryPrefillerOptions {
  store: SeriesStore;
  history: HistoryClient;
  /** Requests in flight at most per load. */
  concurrency: number;
  /** Ids loaded when the caller names none: the subscribed part of the catalogue. */
  subscribed: () => readonly string[];
  /** Where the window of a series without samples ends (exclusive): see the module doc. */
  streamEdge: () => number;
  /** Samples were merged into rings: count them and schedule a notification. */
  onMerged: (points: number) => void;
  /** A request failed; reported once per load. */
  onFailure: (message: string) => void;
}

/** The outcome of one load, filled in as replies arrive. */
interface LoadTally {
  points: number;
  filled: Set<string>;
  failed: string[];
  /** Jobs answered or failed; the others were aborted. */
  settled: Set<string>;
  failure: string | null;
}

const NOTHING_LOADED: LoadHistoryResult = Object.freeze({ points: 0, series: 0, failed: Object.freeze([]) });

/**
 * Loads past windows into the rings of a {@link SeriesStore}.
 *
 * @example
 * ```ts
 * prefiller.catalogueInstalled();                 // on every hello
 * const { points, failed } = await prefiller.load(60_000);
 * prefiller.cancel();                             // on close()
 * ```
 */
export class HistoryPrefiller {
  private readonly options: HistoryPrefillerOptions;
  private catalogueKnown = false;
  /** The stream applied its first samples: where it begins is known. */
  private streamKnown = false;
  /** Loads waiting for the catalogue and the stream's first samples: resolved true then, false on cancel. */
  private waiters: ((ready: boolean) => void)[] = [];
  /** One per load in flight; cancel() aborts them all. */
  private readonly controllers = new Set<AbortController>();

  /** @param options - see {@link HistoryPrefillerOptions}. */
  constructor(options: HistoryPrefillerOptions) {
    this.options = options;
  }

  /** A catalogue was installed: rings exist, loads waiting for them start. */
  catalogueInstalled(): void {
    this.catalogueKnown = true;
    if (this.streamKnown) this.release(true);
  }

  /** The stream applied samples: the edge of series without samples is known, waiting loads start. */
  streamStarted(): void {
    if (this.streamKnown) return;
    this.streamKnown = true;
    if (this.catalogueKnown) this.release(true);
  }

  /**
   * Load the `windowMs` behind each series' data.
   * @param windowMs - how far back, in ms (finite, > 0; validated by the caller).
   * @param metrics - ids to load; the subscribed ones when undefined.
   * @returns what was loaded. Never rejects: failures are listed in `failed`.
   */
  async load(windowMs: number, metrics: readonly string[] | undefined): Promise<LoadHistoryResult> {
    if (!(this.catalogueKnown && this.streamKnown) && !(await new Promise<boolean>((resolve) => this.waiters.push(resolve)))) {
      return metrics === undefined ? NOTHING_LOADED : { ...NOTHING_LOADED, failed: [...new Set(metrics)] };
    }
    const tally: LoadTally = { points: 0, filled: new Set(), failed: [], settled: new Set(), failure: null };
    const jobs = this.plan(windowMs, metrics ?? this.options.subscribed(), tally);
    const controller = new AbortController();
    this.controllers.add(controller);
    await runHistoryBatches(jobs, {
      history: this.options.history,
      concurrency: this.options.concurrency,
      signal: controller.signal,
      onReply: (batch, series) => this.merge(batch, series, tally),
      onFailure: (batch, message) => {
        tally.failure ??= message;
        for (const job of batch.jobs) this.fail(job.id, tally);
      },
    });
    this.controllers.delete(controller);
    if (controller.signal.aborted) {
      for (const job of jobs) if (!tally.settled.has(job.id)) tally.failed.push(job.id);
    } else if (tally.failure !== null) {
      this.options.onFailure(tally.failure);
    }
    return { points: tally.points, series: tally.filled.size, failed: tally.failed };
  }

  /** Abort every load: requests in flight, and loads still waiting for a catalogue or the first samples. */
  cancel(): void {
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    this.release(false);
  }

  private release(ready: boolean): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(ready);
  }

  /** One job per series with room in its ring; ids outside the catalogue fail at once. */
  private plan(windowMs: number, ids: readonly string[], tally: LoadTally): BackfillJob[] {
    const { store } = this.options;
    const edge = this.options.streamEdge();
    const jobs: BackfillJob[] = [];
    for (const id of new Set(ids)) {
      const info = store.info(id);
      const ring = store.series(id);
      if (info === undefined || ring === undefined) {
        tally.failed.push(id);
        continue;
      }
      const room = ring.capacity - ring.length;
      if (room <= 0) continue;
      const intervalMs = info.rateHz > 0 ? 1000 / info.rateHz : 1;
      const end = ring.length > 0 ? ring.firstTime : edge;
      const from = Math.max(end - windowMs, end - room * intervalMs);
      const to = end - 1;
      if (from <= to) jobs.push({ id, from, to, rateHz: info.rateHz });
    }
    return jobs;
  }

  private merge(batch: HistoryBatch, series: Record<string, HistoryBatchSeries>, tally: LoadTally): void {
    let points = 0;
    for (const job of batch.jobs) {
      // Own keys only: an id such as "constructor" must not find Object.prototype's member.
      const columns = Object.hasOwn(series, job.id) ? series[job.id] : undefined;
      if (columns === undefined) {
        tally.failure ??= `history of ${job.id}: the server has no such metric`;
        this.fail(job.id, tally);
        continue;
      }
      tally.settled.add(job.id);
      const [lo, hi] = jobSlice(columns.t, job);
      const added = this.options.store.backfill(job.id, columns.t.slice(lo, hi), columns.v.slice(lo, hi));
      if (added > 0) tally.filled.add(job.id);
      points += added;
    }
    tally.points += points;
    if (points > 0) this.options.onMerged(points);
  }

  private fail(id: string, tally: LoadTally): void {
    tally.settled.add(id);
    tally.failed.push(id);
  }
}
