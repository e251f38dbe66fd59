/**
 * `useSeries`: one series' ring, and a version that changes when that series received samples.
 *
 * @module
 */
import { useMemo, useSyncExternalStore } from "react";
import type { RingBuffer, WebSocketManager } from "@pulseboard/realtime-client";

/** The part of the client {@link useSeries} reads. */
export type SeriesSource = Pick<WebSocketManager, "on" | "series">;

/** What {@link useSeries} returns. */
export interface SeriesView {
  /**
   * The series' ring (undefined before the catalogue lists it). The same mutable object on
   * every render: read its zero-copy `times()` / `values()` views during the render, or
   * depend on `version`, not on `ring`, in `useMemo` and `useEffect`.
   */
  readonly ring: RingBuffer | undefined;
  /** Counts the notifications that changed this series (and catalogue changes): the re-render trigger. */
  readonly version: number;
}

/**
 * A version counter per (client, series): the snapshot `useSyncExternalStore` compares. The
 * ring itself cannot be the snapshot: it is the same object after every append, so React
 * would never re-render.
 */
function seriesStore(manager: SeriesSource, id: string) {
  let version = 0;
  return {
    getSnapshot: () => version,
    subscribe(onChange: () => void): () => void {
      const bump = (): void => {
        version++;
        onChange();
      };
      const offs = [
        // At most one `data` notification per paint (the client's frame batcher).
        manager.on("data", ({ changed }) => {
          if (changed.has(id)) bump();
        }),
        // A new catalogue may replace the ring.
        manager.on("hello", bump),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
  };
}

/**
 * Follow one series: the component re-renders when, and only when, this series received
 * samples (at most once per paint), or a new catalogue arrived.
 *
 * @param manager - the client.
 * @param id - the metric id, e.g. `"cpu.usage"`.
 * @returns `{ ring, version }`, see {@link SeriesView}.
 * @example
 * ```ts
 * const { ring } = useSeries(manager, "cpu.usage");
 * return createElement("span", null, ring && ring.length > 0 ? ring.lastValue.toFixed(1) : "–");
 * ```
 */
export function useSeries(manager: SeriesSource, id: string): SeriesView {
  const store = useMemo(() => seriesStore(manager, id), [manager, id]);
  const version = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return { ring: manager.series(id), version };
}
