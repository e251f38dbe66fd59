/**
 * HTTP responses per second by status class, as stacked bars (one per second). A uPlot
 * instance with bar paths, fed through the same lifecycle and redraw queue as the line charts
 * (useLiveChart).
 */
import { createMemo, createSignal, untrack } from "solid-js";
import uPlot from "uplot";
import { useDashboard } from "../app/dashboard-context.ts";
import { BAR_MS, StackedRates } from "@pulseboard/realtime-client";
import { timeChartOptions } from "../charts/time-series-options.ts";
import { formatValue, NO_VALUE } from "../format.ts";
import { createThrottledSignal } from "@pulseboard/solid";
import type { LegendItem } from "./ChartLegend.tsx";
import { cursorTime, LiveChartPanel, useLiveChart } from "./LiveChartPanel.tsx";

/** A status class, bottom of the stack first. */
export interface StatusClassSpec {
  id: string;
  label: string;
  color: string;
}

export interface StatusBarsChartProps {
  title: string;
  subtitle?: string;
  /** Classes, bottom of the stack first; fixed for the chart's lifetime. */
  initialClasses: readonly StatusClassSpec[];
  /** Seconds shown. @default 60 */
  seconds?: number;
  class?: string;
}

export function StatusBarsChart(props: StatusBarsChartProps) {
  const { realtime, view, metric } = useDashboard();
  const classes = props.initialClasses;
  const seconds = untrack(() => props.seconds ?? 60);
  const windowMs = seconds * BAR_MS;
  const stack = new StackedRates(classes.length, seconds);
  const [cursor, setCursor] = createSignal<number | null>(null);

  const bars = uPlot.paths.bars?.({ size: [0.72, 24], align: 0 });
  // Series order is the draw order: the full stack first (see stacked-rates.ts).
  const drawOrder = classes.slice().reverse();
  const live = useLiveChart({
    ids: classes.map((c) => c.id),
    windowMs,
    options: timeChartOptions({
      windowMs,
      floor: 0,
      onCursor: setCursor,
      series: drawOrder.map((c) => ({ label: c.label, color: c.color, paths: bars, fill: c.color })),
    }),
    data: (_px, visible) => stack.compute(classes.map((c) => realtime.manager.series(c.id)), visible),
    plotIndex: (i) => classes.length - i,
    // A hidden class leaves the stack: the ones above it move down.
    redrawOnToggle: true,
  });

  const tick = createThrottledSignal(() => classes.forEach((c) => view.series(c.id)), 500, { equals: false });
  const latest = view.createHeldMemo(() => (tick(), stack.latest.slice()));
  const items = createMemo((): LegendItem[] => {
    const index = cursor();
    const plot = live.chart.plot();
    const visible = live.visible();
    return classes.map((c, i) => {
      let value = latest()[i];
      if (index !== null && plot !== undefined) {
        // Stacks are cumulative: a class's own rate is its stack minus the one below it.
        const own = plot.data[classes.length - i]?.[index] ?? NaN;
        const below = i === 0 ? 0 : (plot.data[classes.length - i + 1]?.[index] ?? NaN);
        value = (own as number) - (below as number);
      }
      return {
        label: c.label,
        color: c.color,
        value: visible[i] && Number.isFinite(value) ? formatValue(value, metric(c.id)?.unit ?? "req/s") : NO_VALUE,
        visible: visible[i],
      };
    });
  });

  return (
    <LiveChartPanel title={props.title} subtitle={props.subtitle} class={props.class} chart={live} legend={items()} time={cursorTime(live.chart, cursor())} />
  );
}
