/**
 * `GET /api/history`: past windows recomputed from the deterministic generator.
 *
 * Two forms share one window and one grid rule. `metric=id` answers one series (the original
 * form, unchanged); `metrics=a,b,c` answers many in one reply, which is what a client filling
 * a gap across its whole catalogue needs: a handful of requests instead of one per series.
 *
 * Grid rule: a metric's `step` is its interval, or the requested `step` rounded up to a
 * multiple of it; points lie on multiples of `step` within [from, to]. They are therefore grid
 * times, and each value equals the one the stream carried for that time.
 */
import {
  HISTORY_BATCH_MAX_METRICS,
  HISTORY_BATCH_MAX_POINTS,
  HISTORY_MAX_POINTS,
  type HistoryBatchResponse,
  type HistoryBatchSeries,
  type HistoryResponse,
} from "@pulseboard/protocol";
import type { Catalogue } from "./catalogue.js";
import type { SourceGenerator } from "./generator.js";
import { HttpError } from "./http-util.js";
import { describeUnknown, resolveMetrics } from "./subscriptions.js";

/** Most points one single-metric (`metric=`) reply may hold. */
export const MAX_HISTORY_POINTS = HISTORY_MAX_POINTS;
/** Most points, over all series, of one batched (`metrics=`) reply. */
export const MAX_HISTORY_BATCH_POINTS = HISTORY_BATCH_MAX_POINTS;
/** Most ids in one `metrics=` list. */
export const MAX_HISTORY_BATCH_METRICS = HISTORY_BATCH_MAX_METRICS;

/** The window of a history request, already validated (`from <= to`, `to` capped at now). */
export interface HistoryWindow {
  source: string;
  from: number;
  to: number;
  /** Requested spacing in ms; undefined for each metric's native interval. */
  step: number | undefined;
}

/** Where one metric's points lie in a window: `count` grid times from `first`, `step` apart. */
interface GridSpan {
  step: number;
  first: number;
  count: number;
}

function gridSpan(intervalMs: number, window: HistoryWindow): GridSpan {
  const step = Math.ceil((window.step ?? intervalMs) / intervalMs) * intervalMs;
  const first = Math.ceil(window.from / step) * step;
  const count = first > window.to ? 0 : Math.floor((window.to - first) / step) + 1;
  return { step, first, count };
}

function columns(generator: SourceGenerator, metric: string, span: GridSpan): { t: number[]; v: number[] } {
  const fn = generator.valueFunction(metric)!;
  const t = new Array<number>(span.count);
  const v = new Array<number>(span.count);
  for (let i = 0; i < span.count; i++) {
    t[i] = span.first + i * span.step;
    v[i] = fn(t[i]);
  }
  return { t, v };
}

/**
 * The `metric=` form: one series. An unknown id is a 400 `unknown_metric`, a window of more
 * than {@link MAX_HISTORY_POINTS} points a 400 `too_large`.
 */
export function singleHistory(catalogue: Catalogue, generator: SourceGenerator, metric: string, window: HistoryWindow): HistoryResponse {
  const interval = catalogue.intervalOf(metric);
  if (interval === undefined) throw new HttpError(400, "unknown_metric", describeUnknown([metric]).replace("; subscribed to the known ones", ""));
  const span = gridSpan(interval, window);
  if (span.count > MAX_HISTORY_POINTS) {
    throw new HttpError(400, "too_large", `${span.count} points exceed the limit of ${MAX_HISTORY_POINTS}; narrow the window or raise step`);
  }
  const { t, v } = columns(generator, metric, span);
  return { source: window.source, metric, from: window.from, to: window.to, step: span.step, t, v };
}

/**
 * The `metrics=a,b,c` form: every known id at its own step, unknown ids listed in
 * `unknownMetrics` and otherwise ignored (a client whose catalogue went stale still gets the
 * rest, as with `/api/poll`). The point cap is checked on the whole reply before anything is
 * computed, so an oversized request costs the server nothing but the count.
 *
 * @param requested - the ids as listed, possibly with duplicates (answered once).
 */
export function batchHistory(catalogue: Catalogue, generator: SourceGenerator, requested: readonly string[], window: HistoryWindow): HistoryBatchResponse {
  if (requested.length === 0) throw new HttpError(400, "bad_message", '"metrics" lists no metric ids');
  if (requested.length > MAX_HISTORY_BATCH_METRICS) {
    throw new HttpError(400, "too_many_metrics", `${requested.length} metric ids exceed the limit of ${MAX_HISTORY_BATCH_METRICS} per history request; split them`);
  }
  const { known, unknown } = resolveMetrics(catalogue, requested);
  const ids = known as string[];
  const spans = new Array<GridSpan>(ids.length);
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    spans[i] = gridSpan(catalogue.intervalOf(ids[i])!, window);
    total += spans[i].count;
  }
  if (total > MAX_HISTORY_BATCH_POINTS) {
    throw new HttpError(
      400,
      "too_large",
      `${total} points over ${ids.length} metrics exceed the limit of ${MAX_HISTORY_BATCH_POINTS} per reply; split the ids over several requests, narrow the window or raise step`,
    );
  }
  const series: Record<string, HistoryBatchSeries> = {};
  for (let i = 0; i < ids.length; i++) series[ids[i]] = { step: spans[i].step, ...columns(generator, ids[i], spans[i]) };
  const body: HistoryBatchResponse = { source: window.source, from: window.from, to: window.to, series };
  if (unknown.length > 0) body.unknownMetrics = unknown;
  return body;
}
