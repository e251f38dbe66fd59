/**
 * `createRowVirtualizer`: the virtual list wiring shared by the event log and the hosts
 * table. Rows have one fixed height, so nothing is measured; the viewport either observes
 * its element (the browser) or has a fixed size (jsdom has no layout: tests pass one).
 *
 * @module
 */
import { createVirtualizer } from "@tanstack/solid-virtual";

/** A viewport size in CSS pixels. */
export interface ViewportSize {
  width: number;
  height: number;
}

/** Options of {@link createRowVirtualizer}. */
export interface RowVirtualizerOptions {
  /** Number of rows (tracked: the list follows it). */
  count: () => number;
  /** The scrolling element (a ref; read after mount). */
  scroller: () => HTMLElement | undefined;
  /** Height of every row, px. */
  rowHeight: number;
  /** Rows rendered beyond the visible ones, each side. */
  overscan: number;
  /** A fixed viewport size instead of observing the element; read once. */
  fixedSize?: ViewportSize;
}

/**
 * @param options - see {@link RowVirtualizerOptions}.
 * @returns the virtualizer (`getVirtualItems()`, `getTotalSize()` are tracked).
 * @example
 * ```tsx
 * let scroller!: HTMLDivElement;
 * const rows = createRowVirtualizer({ count: () => items().length, scroller: () => scroller, rowHeight: 28, overscan: 6 });
 * <div ref={scroller}><For each={rows.getVirtualItems()}>{(item) => <Row top={item.start} />}</For></div>
 * ```
 */
export function createRowVirtualizer(options: RowVirtualizerOptions) {
  const { fixedSize, rowHeight } = options;
  return createVirtualizer({
    get count() {
      return options.count();
    },
    getScrollElement: () => options.scroller() ?? null,
    estimateSize: () => rowHeight,
    overscan: options.overscan,
    ...(fixedSize === undefined
      ? {}
      : {
          initialRect: fixedSize,
          observeElementRect: (_instance: unknown, cb: (rect: ViewportSize) => void) => {
            cb(fixedSize);
            return () => {};
          },
        }),
  });
}
