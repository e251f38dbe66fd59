/**
 * Running planned history batches: at most `concurrency` requests in flight, and a batch the
 * server refuses as too large split in two and queued again.
 *
 * Gap backfill (./gap-backfill.ts) and `loadHistory()` (./prefill.ts) both fetch through
 * here, so both obey the same limits; each run keeps its own `concurrency` in flight.
 *
 * @module
 */

import { planHistoryBatches, splitBatch, type BackfillJob, type HistoryBatch } from "./batches.js";
import type { HistoryClient } from "./history-client.js";
import type { HistoryBatchSeries } from "@pulseboard/protocol";

/** Options of {@link runHistoryBatches}. */
export interface HistoryRunOptions {
  history: HistoryClient;
  /** Requests in flight at most (browsers allow about six per host). */
  concurrency: number;
  /** Aborts every request of the run; no callback follows. */
  signal: AbortSignal;
  /** A batch was answered; ids the server does not know are absent from `series`. */
  onReply: (batch: HistoryBatch, series: Record<string, HistoryBatchSeries>) => void;
  /** A batch failed for good (splitting cannot help). */
  onFailure: (batch: HistoryBatch, message: string) => void;
}

/**
 * Fetch the windows of `jobs` in as few requests as the client's limits allow.
 *
 * @param jobs - one window per series.
 * @param options - see {@link HistoryRunOptions}.
 * @returns resolves when every batch settled, or soon after `signal` aborted.
 * @example
 * ```ts
 * const controller = new AbortController();
 * await runHistoryBatches(jobs, { history, concurrency: 4, signal: controller.signal,
 *   onReply: (batch, series) => merge(batch, series), onFailure: (batch, message) => report(batch, message) });
 * ```
 */
export async function runHistoryBatches(jobs: readonly BackfillJob[], options: HistoryRunOptions): Promise<void> {
  const { history, signal } = options;
  const queue = planHistoryBatches(jobs, history.limits());
  let next = 0;
  let running = 0;
  const workers: Promise<void>[] = [];
  const worker = async (): Promise<void> => {
    while (next < queue.length && !signal.aborted) {
      const batch = queue[next++];
      const ids = batch.jobs.map((job) => job.id);
      const result = await history.fetchBatch(ids, batch.from, batch.to, signal);
      if (signal.aborted) return;
      if (result.ok) options.onReply(batch, result.series);
      else if (result.tooLarge && batch.jobs.length > 1) {
        // The server's caps may be lower than this client assumed: ask for half as much,
        // in parallel again (a one-batch run started a single worker).
        queue.push(...splitBatch(batch));
        spawn();
      } else {
        options.onFailure(batch, result.message);
      }
    }
  };
  // A worker takes its first batch before its first await, so this loop cannot overshoot.
  const spawn = (): void => {
    while (running < options.concurrency && next < queue.length) {
      running++;
      workers.push(worker().finally(() => running--));
    }
  };
  spawn();
  // Workers are only added by running workers, so this reaches every one of them.
  for (let i = 0; i < workers.length; i++) await workers[i];
}
