/**
 * uPlot options shared by the dashboard's live charts: time axis in milliseconds (so ring
 * views are used as they are, no conversion), a fixed-width window that ends at the newest
 * sample, theme colours read at draw time, lines 1 device pixel wide, synced cursors, and
 * no built-in legend (the dashboard's legend is accessible buttons, see ChartLegend).
 *
 * @module
 */
import type uPlot from "uplot";
import { formatCompact } from "../format.ts";
import { chartColors, withAlpha } from "./chart-colors.ts";

/** Key shared by every chart: hovering one moves the cursor of all. */
export const CURSOR_SYNC_KEY = "pulseboard";

/** One plotted series. */
export interface PlotSeries {
  label: string;
  color: string;
  /** Scale key: "y" (left axis) or "y2" (right axis). @default "y" */
  scale?: "y" | "y2";
  /** Fill under the line: true for a translucent area, a colour for a solid fill (bars). @default false */
  fill?: boolean | string;
  /** Custom path builder (bars). */
  paths?: uPlot.Series.PathBuilder;
}

/** Specification of a live chart. */
export interface TimeChartSpec {
  series: readonly PlotSeries[];
  windowMs: number;
  /** Lowest value of the left scale kept in view (0 for rates and percentages). */
  floor?: number;
  /** Called with the hovered index (null when the pointer leaves). */
  onCursor?: (index: number | null) => void;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const clockLabel = (t: number): string => {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
};

/** A 1-device-pixel line width in CSS pixels (uPlot multiplies by the pixel ratio). */
export const hairline = (): number => 1 / (globalThis.devicePixelRatio || 1);

function axis(side: "x" | "y" | "y2"): uPlot.Axis {
  const base: uPlot.Axis = {
    stroke: () => chartColors.axis,
    font: "11px system-ui, sans-serif",
    grid: { stroke: () => chartColors.grid, width: hairline() },
    ticks: { show: false },
    gap: 4,
  };
  if (side === "x") {
    return { ...base, space: 70, size: 24, values: (_u, splits) => splits.map(clockLabel) };
  }
  return {
    ...base,
    scale: side,
    side: side === "y" ? 3 : 1,
    size: 46,
    space: 28,
    grid: side === "y" ? base.grid : { show: false },
    values: (_u, splits) => splits.map((v) => formatCompact(v, Math.abs(v) < 10 && !Number.isInteger(v) ? 1 : 0)),
  };
}

/**
 * Build the options of a live time chart.
 * @param spec - see {@link TimeChartSpec}.
 * @returns uPlot options without width and height.
 */
export function timeChartOptions(spec: TimeChartSpec): Omit<uPlot.Options, "width" | "height"> {
  const usesRight = spec.series.some((s) => s.scale === "y2");
  const floor = spec.floor;
  const yRange: uPlot.Range.Function = (_u, min, max) => {
    if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [floor ?? 0, 1];
    const lo = floor !== undefined ? Math.min(floor, min) : min;
    const span = max - lo || Math.abs(max) || 1;
    return [floor !== undefined && lo >= floor ? lo : lo - span * 0.08, max + span * 0.08];
  };
  return {
    ms: 1,
    pxAlign: 0,
    legend: { show: false },
    // Without a right axis, room for the last time label, which is centred on its tick.
    padding: [8, usesRight ? 4 : 28, 0, 0],
    cursor: {
      sync: { key: CURSOR_SYNC_KEY, setSeries: false },
      drag: { x: false, y: false, setScale: false },
      points: { size: 6, width: hairline() },
    },
    scales: {
      x: {
        time: true,
        // A fixed span ending at the newest sample: the chart scrolls at constant speed and
        // does not stretch while the buffer is still filling.
        range: (_u, _min, max) => {
          const end = max ?? Date.now();
          return [end - spec.windowMs, end];
        },
      },
      y: { range: yRange },
      ...(usesRight ? { y2: { range: yRange } } : {}),
    },
    axes: [axis("x"), axis("y"), ...(usesRight ? [axis("y2")] : [])],
    series: [
      {},
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          scale: s.scale ?? "y",
          stroke: s.color,
          width: hairline(),
          fill: s.fill === true ? withAlpha(s.color, 0.13) : typeof s.fill === "string" ? s.fill : undefined,
          paths: s.paths,
          points: { show: false },
          spanGaps: false,
        }),
      ),
    ],
    hooks: {
      setCursor: [(u) => spec.onCursor?.(u.cursor.idx ?? null)],
    },
  };
}
