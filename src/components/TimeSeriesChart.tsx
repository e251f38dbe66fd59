/**
 * A live line/area chart of several series, aligned by timestamp with the client's
 * `TimeAligner` (zero-copy views of the rings while their timestamps agree; `null`, drawn as a
 * gap, where one series misses a sample).
 *
 * The uPlot instance is created once (createLiveChart, wired by useLiveChart). When one of the
 * chart's series changes, the chart only asks the redraw queue for a turn; the queue draws a
 * few charts per frame, skips off-screen ones and paces each to its ms-per-pixel. Hovering
 * freezes this chart (and moves the cursor of the others through uPlot's cursor sync);
 * pausing freezes all.
 */
import { createMemo, createSignal, untrack } from "solid-js";
import { TimeAligner } from "@pulseboard/realtime-client";
import { useDashboard } from "../app/dashboard-context.ts";
import { timeChartOptions } from "../charts/time-series-options.ts";
import { formatValue, NO_VALUE } from "../format.ts";
import { createThrottledSignal } from "@pulseboard/solid";
import type { LegendItem } from "./ChartLegend.tsx";
import { cursorTime, LiveChartPanel, useLiveChart } from "./LiveChartPanel.tsx";

/** One series of a chart. */
export interface ChartSeriesSpec {
  id: string;
  color: string;
  /** Legend text; defaults to the catalogue label. */
  label?: string;
  /** "y2" puts the series on a right-hand axis (different magnitude). @default "y" */
  scale?: "y" | "y2";
}

export interface TimeSeriesChartProps {
  title: string;
  subtitle?: string;
  /** The series, fixed for the chart's lifetime (the uPlot instance is built once). */
  initialSeries: readonly ChartSeriesSpec[];
  /** Fill under the lines. */
  fill?: boolean;
  /** Keep this value (usually 0) in view on the left axis. */
  floor?: number;
  class?: string;
}

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { realtime, view, windowMs, metric } = useDashboard();
  // The uPlot instance is built once: these are read once.
  const specs = props.initialSeries;
  const fill = untrack(() => props.fill);
  const ids = specs.map((s) => s.id);
  const aligner = new TimeAligner();
  const [cursor, setCursor] = createSignal<number | null>(null);

  const live = useLiveChart({
    ids,
    windowMs,
    options: timeChartOptions({
      windowMs,
      floor: untrack(() => props.floor),
      onCursor: setCursor,
      series: specs.map((s) => ({ label: s.label ?? s.id, color: s.color, scale: s.scale, fill: fill })),
    }),
    data: (px) => aligner.align(ids.map((id) => realtime.manager.series(id)), windowMs, px),
  });

  // Legend: the value under the cursor, else the latest value (4 times a second at most).
  const tick = createThrottledSignal(() => ids.forEach((id) => view.series(id)), 250, { equals: false });
  const latest = view.createHeldMemo(() => {
    tick();
    return ids.map((id) => untrack(() => realtime.manager.series(id))?.lastValue ?? NaN);
  });
  const items = createMemo((): LegendItem[] => {
    const index = cursor();
    const plot = live.chart.plot();
    return specs.map((s, i) => {
      const info = metric(s.id);
      const raw = index !== null && plot !== undefined ? (plot.data[i + 1]?.[index] ?? NaN) : latest()[i];
      return {
        label: s.label ?? info?.label ?? s.id,
        color: s.color,
        value: Number.isFinite(raw) ? formatValue(raw as number, info?.unit ?? "") : NO_VALUE,
        visible: live.visible()[i],
      };
    });
  });

  return (
    <LiveChartPanel title={props.title} subtitle={props.subtitle} class={props.class} chart={live} legend={items()} time={cursorTime(live.chart, cursor())} />
  );
}
