/**
 * `createLiveChart`: one uPlot instance for the lifetime of a component.
 *
 * The rules it encodes:
 * - the chart is created ONCE, on mount, and only ever fed with `setData` (rebuilding a
 *   uPlot per update is the most common cause of leaks and jank);
 * - it draws when the {@link RedrawQueue} says so, never directly when data arrives, and not
 *   faster than its pixels can show: `windowMs / plot width` ms per device pixel;
 * - off-screen (IntersectionObserver) it does not draw at all;
 * - it follows its container's size (ResizeObserver);
 * - it can be frozen (paused dashboard, pointer over the chart): the data on screen is copied
 *   once, because the ring views it was drawn from keep moving underneath;
 * - on cleanup every observer, listener, ticket and the uPlot instance go away.
 *
 * @module
 */
import { createSignal, onCleanup, onMount, type Accessor } from "solid-js";
import uPlot from "uplot";
import type { RedrawQueue } from "@pulseboard/realtime-client";

/** Why a chart is frozen; it stays frozen while any reason holds. */
export type FreezeReason = "pause" | "hover";

/** Configuration of {@link createLiveChart}. */
export interface LiveChartConfig {
  /** uPlot options without the size, which comes from the container. */
  options: Omit<uPlot.Options, "width" | "height">;
  /** Data for a redraw; `pixelColumns` is the plot's width in device pixels. */
  data: (pixelColumns: number) => uPlot.AlignedData;
  /** Time span on the x axis, in ms (paces redraws: ms per pixel). */
  windowMs: number;
  queue: RedrawQueue;
  /** Freeze while the pointer is over the chart, so values can be read. @default true */
  freezeOnHover?: boolean;
  /** Called with the plot once it exists. */
  onCreate?: (plot: uPlot) => void;
}

/** Handle of a live chart. */
export interface LiveChart {
  /** Data changed: redraw when the queue allows. */
  request(): void;
  /** Freeze or unfreeze the view for a reason. */
  setFrozen(reason: FreezeReason, frozen: boolean): void;
  /** Whether the view is frozen. */
  frozen(): boolean;
  /** Whether the pointer is over the chart (a signal). */
  hovering: Accessor<boolean>;
  /** The plot (undefined before mount and after cleanup). */
  plot(): uPlot | undefined;
  /** Redraw at once with the same data (theme change). */
  repaint(): void;
}

/** Size used before layout (jsdom, or a container not yet laid out). */
const FALLBACK = { width: 400, height: 180 };

/**
 * Create a uPlot chart in `container` on mount, destroy it on cleanup.
 *
 * @param container - accessor of the element to draw into (a ref).
 * @param config - see {@link LiveChartConfig}.
 * @returns the chart handle.
 * @example
 * ```tsx
 * let box!: HTMLDivElement;
 * const aligner = new TimeAligner();
 * const chart = createLiveChart(() => box, { options, windowMs: 60_000, queue,
 *   data: (px) => aligner.align([manager.series("cpu.usage")], 60_000, px) });
 * createEffect(() => { live.series("cpu.usage"); chart.request(); });
 * return <div ref={box} />;
 * ```
 */
export function createLiveChart(container: () => HTMLElement | undefined, config: LiveChartConfig): LiveChart {
  let plot: uPlot | undefined;
  const [hovering, setHovering] = createSignal(false);
  const reasons = new Set<FreezeReason>();
  const pixelColumns = (): number => (plot === undefined ? FALLBACK.width : Math.max(1, plot.bbox.width));

  const ticket = config.queue.register({
    draw() {
      if (plot === undefined || reasons.size > 0) return;
      plot.setData(config.data(pixelColumns()));
    },
    minIntervalMs: () => config.windowMs / pixelColumns(),
  });

  const freeze = (): void => {
    if (plot === undefined) return;
    // One copy per freeze (not per frame): what is on screen stays valid while rings move.
    // A column with nulls (a series missing a sample) stays an array: a Float64Array would turn them into 0.
    const copy = plot.data.map((column) => (Array.isArray(column) ? column.slice() : Float64Array.from(column as ArrayLike<number>))) as unknown as uPlot.AlignedData;
    plot.setData(copy, false);
  };

  onMount(() => {
    const el = container();
    if (el === undefined) return;
    const rect = el.getBoundingClientRect();
    const size = (w: number, h: number) => ({ width: Math.floor(w) || FALLBACK.width, height: Math.floor(h) || FALLBACK.height });
    plot = new uPlot({ ...config.options, ...size(rect.width, rect.height) } as uPlot.Options, config.data(size(rect.width, rect.height).width * devicePixelRatio), el);
    config.onCreate?.(plot);
    if (reasons.size > 0) freeze();

    const resize = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1].contentRect;
      if (plot !== undefined && box.width > 0 && box.height > 0) plot.setSize(size(box.width, box.height));
    });
    resize.observe(el);

    let visibility: IntersectionObserver | undefined;
    if (typeof IntersectionObserver === "function") {
      visibility = new IntersectionObserver((entries) => ticket.setVisible(entries[entries.length - 1].isIntersecting));
      visibility.observe(el);
    }

    const enter = (): void => {
      setHovering(true);
      setFrozen("hover", true);
    };
    const leave = (): void => {
      setHovering(false);
      setFrozen("hover", false);
    };
    if (config.freezeOnHover !== false) {
      el.addEventListener("pointerenter", enter);
      el.addEventListener("pointerleave", leave);
    }

    onCleanup(() => {
      el.removeEventListener("pointerenter", enter);
      el.removeEventListener("pointerleave", leave);
      resize.disconnect();
      visibility?.disconnect();
    });
  });

  onCleanup(() => {
    ticket.dispose();
    plot?.destroy();
    plot = undefined;
  });

  function setFrozen(reason: FreezeReason, on: boolean): void {
    const was = reasons.size > 0;
    if (on) reasons.add(reason);
    else reasons.delete(reason);
    const is = reasons.size > 0;
    if (!was && is) freeze();
    if (was && !is) ticket.request();
  }

  return {
    request: () => {
      if (reasons.size === 0) ticket.request();
    },
    setFrozen,
    frozen: () => reasons.size > 0,
    hovering,
    plot: () => plot,
    repaint: () => plot?.redraw(false, true),
  };
}
