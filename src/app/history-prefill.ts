/**
 * Open with a full chart: fill the rings with the last window of history from
 * `GET /api/history` once, when the stream starts.
 *
 * `startFrom: "retained"` replays what the server still holds (up to two minutes), which is
 * enough in production but not after a server restart; the server computes any past window on
 * request, so a page that opens should not show an empty minute. History is merged into the
 * rings with the ring's own `insertSorted` (by time, no duplicates), then the stream's next
 * flush, 50 ms later, redraws everything.
 *
 * @module
 */
import { validateHistoryResponse, type MetricInfo } from "@pulseboard/realtime-client";
import type { ManagerLike } from "../realtime/index.ts";

/** Options of {@link prefillHistory}. */
export interface PrefillOptions {
  manager: ManagerLike;
  /** HTTP base of the stream, e.g. `http://127.0.0.1:5173`. */
  httpUrl: string;
  source: string;
  /** How far back, in ms. */
  windowMs: number;
  /** Most points per series (history is sampled more coarsely above it). @default 2000 */
  maxPoints?: number;
  /** Which metrics to fill. @default everything but the per-host family */
  include?: (info: MetricInfo) => boolean;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * @param options - see {@link PrefillOptions}.
 * @returns the number of samples added (failures are skipped: this is a nicety, not data the
 *   stream depends on).
 */
export async function prefillHistory(options: PrefillOptions): Promise<number> {
  const { manager, httpUrl, source, windowMs } = options;
  const maxPoints = options.maxPoints ?? 2000;
  const include = options.include ?? ((m: MetricInfo) => m.group !== "hosts");
  const get = options.fetch ?? ((url: string) => fetch(url));
  const jobs = manager
    .catalogue()
    .filter(include)
    .map(async (info) => {
      const ring = manager.series(info.id);
      if (ring === undefined) return 0;
      const to = ring.length > 0 ? ring.firstTime - 1 : Date.now();
      const from = to - windowMs;
      const step = Math.max(Math.ceil(1000 / info.rateHz), Math.ceil(windowMs / maxPoints));
      const query = new URLSearchParams({ source, metric: info.id, from: String(Math.floor(from)), to: String(Math.floor(to)), step: String(step) });
      try {
        const response = await get(`${httpUrl}/api/history?${query}`);
        if (!response.ok) return 0;
        const checked = validateHistoryResponse(await response.json());
        return checked.ok ? ring.insertSorted(checked.value.t, checked.value.v) : 0;
      } catch {
        return 0;
      }
    });
  const added = await Promise.all(jobs);
  return added.reduce((a, b) => a + b, 0);
}
