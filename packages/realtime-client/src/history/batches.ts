/**
 * Grouping a gap's per-series windows into few batched history requests.
 *
 * A gap affects every series at once, and `GET /api/history?metrics=a,b,c` answers many series
 * over one window. Three limits bound a request: the ids per request, the points per reply
 * (the server's cap, and what the client accepts in bytes), and the URL length (proxies and
 * servers refuse long request lines; Node's default is 16 KiB for the whole header block).
 *
 * One window serves every series of a request, so a series whose own window is shorter is
 * fetched over more time than it needs (the surplus is discarded when merging). Windows of one
 * gap normally end together and start within one sample interval of each other, so this costs
 * nothing; but after a long outage a 1 Hz series may want an hour while a 10 Hz one wants the
 * few minutes its ring holds, and sharing a window would fetch ten times too much of the
 * latter. Jobs are therefore sorted by start, and a job joins a request only while sharing
 * its window at most doubles what it fetches.
 *
 * @module
 */

/** One series' window to refill, in epoch ms (inclusive; may be fractional). */
export interface BackfillJob {
  id: string;
  from: number;
  to: number;
  /** Samples per second from the catalogue; 0 or less counts as one per ms (the worst case). */
  rateHz: number;
}

/** One history request: the union of its jobs' windows. */
export interface HistoryBatch {
  from: number;
  to: number;
  jobs: BackfillJob[];
}

/** What one request may carry. */
export interface BatchLimits {
  /** Most ids per request. */
  maxIds: number;
  /** Most points per reply, summed over its series. */
  maxPoints: number;
  /** Longest `metrics=` value in URL characters: ids percent-encoded, commas literal. */
  maxListChars: number;
}

/** A series may always be fetched with this many samples beyond its own window. */
const SHARED_WINDOW_SLACK_POINTS = 16;

function perMs(rateHz: number): number {
  return rateHz > 0 ? rateHz / 1000 : 1;
}

/**
 * An upper bound on the points of one series in [from, to]: on any grid of its rate there are
 * at most span × rate + 1 of them; one more absorbs float rounding of non-integer rates.
 * @param rateHz - samples per second (0 or less: one per ms).
 * @param from - window start, ms.
 * @param to - window end, ms.
 * @returns the estimated points.
 */
export function estimatePoints(rateHz: number, from: number, to: number): number {
  return Math.max(0, to - from) * perMs(rateHz) + 2;
}

/**
 * URL characters an id adds to a `metrics=` list, with its separating comma.
 * @param id - a metric id.
 * @returns the characters it costs.
 */
export function listChars(id: string): number {
  return encodeURIComponent(id).length + 1;
}

function batchOf(jobs: BackfillJob[]): HistoryBatch {
  let from = Infinity;
  let to = -Infinity;
  for (const job of jobs) {
    if (job.from < from) from = job.from;
    if (job.to > to) to = job.to;
  }
  return { from, to, jobs };
}

/**
 * Pack jobs into as few requests as the limits allow. Every job lands in exactly one batch; a
 * job that alone exceeds a limit gets a batch of its own (the server's answer decides).
 *
 * @param jobs - the windows to refill, one per series.
 * @param limits - see {@link BatchLimits}.
 * @returns the batches, in ascending order of their start.
 * @example
 * ```ts
 * const batches = planHistoryBatches(jobs, { maxIds: 1000, maxPoints: 131_072, maxListChars: 8000 });
 * for (const batch of batches) await history.fetchBatch(batch.jobs.map((job) => job.id), batch.from, batch.to, signal);
 * ```
 */
export function planHistoryBatches(jobs: readonly BackfillJob[], limits: BatchLimits): HistoryBatch[] {
  const sorted = [...jobs].sort((a, b) => a.from - b.from);
  const batches: HistoryBatch[] = [];
  let current: BackfillJob[] = [];
  let from = 0;
  let to = 0;
  let rateSum = 0;
  let chars = 0;
  const close = (): void => {
    if (current.length > 0) batches.push({ from, to, jobs: current });
    current = [];
  };
  for (const job of sorted) {
    const rate = perMs(job.rateHz);
    const cost = listChars(job.id);
    if (current.length > 0) {
      // Sorted by start, so the batch's start stays `from`; its end may grow.
      const end = Math.max(to, job.to);
      const points = Math.max(0, end - from) * (rateSum + rate) + 2 * (current.length + 1);
      const surplus = (job.from - from) * rate;
      const fits =
        current.length < limits.maxIds &&
        chars + cost <= limits.maxListChars &&
        points <= limits.maxPoints &&
        surplus <= estimatePoints(job.rateHz, job.from, job.to) + SHARED_WINDOW_SLACK_POINTS;
      if (fits) {
        current.push(job);
        to = end;
        rateSum += rate;
        chars += cost;
        continue;
      }
      close();
    }
    current = [job];
    from = job.from;
    to = job.to;
    rateSum = rate;
    chars = cost;
  }
  close();
  return batches;
}

/**
 * Halve a batch the server refused as too large (its cap may be lower than this client
 * assumed). Each half gets the union window of its own jobs.
 * @param batch - a batch of at least two jobs.
 * @returns the two halves.
 */
export function splitBatch(batch: HistoryBatch): [HistoryBatch, HistoryBatch] {
  const half = Math.ceil(batch.jobs.length / 2);
  return [batchOf(batch.jobs.slice(0, half)), batchOf(batch.jobs.slice(half))];
}

/**
 * Where a job's own window lies in a reply: the batch's window is the union of its jobs', so a
 * reply may reach beyond the window of any one job, and that surplus must not be merged.
 * @param t - ascending reply times.
 * @param job - the job the reply is read for.
 * @returns `[lo, hi)`: the index of the first time inside the window and one past the last.
 * @example
 * ```ts
 * const [lo, hi] = jobSlice(columns.t, job);
 * store.backfill(job.id, columns.t.slice(lo, hi), columns.v.slice(lo, hi));
 * ```
 */
export function jobSlice(t: ArrayLike<number>, job: BackfillJob): [number, number] {
  let lo = 0;
  while (lo < t.length && t[lo] < job.from) lo++;
  let hi = t.length;
  while (hi > lo && t[hi - 1] > job.to) hi--;
  return [lo, hi];
}
