/**
 * A live line/area chart of several series that share timestamps (see
 * src/charts/aligned-window.ts for how they are aligned without copying).
 *
 * The uPlot instance is created once (createLiveChart). When one of the chart's series
 * changes, the chart only asks the redraw queue for a turn; the queue draws a few charts per
 * frame, skips off-screen ones and paces each to its ms-per-pixel. Hovering freezes this
 * chart (and moves the cursor of the others through uPlot's cursor sync); pausing freezes all.
 */
import { createEffect, createMemo, createSignal, on, untrack } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { AlignedWindow } from "../charts/aligned-window.ts";
import { readChartColors } from "../charts/chart-colors.ts";
import { createLiveChart } from "../charts/createLiveChart.ts";
import { timeChartOptions } from "../charts/time-series-options.ts";
import { formatValue, NO_VALUE } from "../format.ts";
import { createThrottledSignal } from "../realtime/index.ts";
import { ChartLegend, type LegendItem } from "./ChartLegend.tsx";
import { ChartPanel } from "./ChartPanel.tsx";
import "./TimeSeriesChart.css";

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
  const { realtime, view, queue, windowMs, theme, metric } = useDashboard();
  // The uPlot instance is built once: these are read once.
  const specs = props.initialSeries;
  const fill = untrack(() => props.fill);
  const ids = specs.map((s) => s.id);
  const aligned = new AlignedWindow();
  const [cursor, setCursor] = createSignal<number | null>(null);
  const [visible, setVisible] = createSignal(specs.map(() => true));
  let box: HTMLDivElement | undefined;

  const chart = createLiveChart(() => box, {
    windowMs,
    queue,
    options: timeChartOptions({
      windowMs,
      floor: untrack(() => props.floor),
      onCursor: setCursor,
      series: specs.map((s) => ({ label: s.label ?? s.id, color: s.color, scale: s.scale, fill: fill })),
    }),
    // Runs at draw time, outside any tracking scope: reads the rings as they are now.
    data: (px) => aligned.compute(ids.map((id) => realtime.manager.series(id)), windowMs, px),
  });

  // Any of this chart's series changed (and the view is live): ask for a redraw.
  createEffect(() => {
    for (const id of ids) view.series(id);
    chart.request();
  });
  createEffect(() => chart.setFrozen("pause", view.paused()));
  createEffect(
    on(
      theme.theme,
      () => {
        readChartColors();
        chart.repaint();
      },
      { defer: true },
    ),
  );

  // Legend: the value under the cursor, else the latest value (4 times a second at most).
  const tick = createThrottledSignal(() => ids.forEach((id) => view.series(id)), 250, { equals: false });
  const latest = view.createHeldMemo(() => {
    tick();
    return ids.map((id) => untrack(() => realtime.manager.series(id))?.lastValue ?? NaN);
  });
  const items = createMemo((): LegendItem[] => {
    const index = cursor();
    const plot = chart.plot();
    return specs.map((s, i) => {
      const info = metric(s.id);
      const raw = index !== null && plot !== undefined ? (plot.data[i + 1]?.[index] ?? NaN) : latest()[i];
      return {
        label: s.label ?? info?.label ?? s.id,
        color: s.color,
        value: Number.isFinite(raw) ? formatValue(raw as number, info?.unit ?? "") : NO_VALUE,
        visible: visible()[i],
      };
    });
  });

  const toggle = (i: number): void => {
    const next = visible().slice();
    next[i] = !next[i];
    // Never hide the last visible series: an empty chart looks broken.
    if (!next.some(Boolean)) return;
    setVisible(next);
    chart.plot()?.setSeries(i + 1, { show: next[i] });
  };

  const badge = () => (view.paused() ? "Paused" : chart.hovering() ? "Frozen while hovered" : undefined);

  return (
    <ChartPanel title={props.title} subtitle={props.subtitle} badge={badge()} class={props.class}>
      <ChartLegend items={items()} onToggle={toggle} />
      <div class="chart" ref={(el) => (box = el)} data-testid="chart" />
    </ChartPanel>
  );
}
