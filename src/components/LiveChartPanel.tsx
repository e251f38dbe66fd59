/**
 * What every live uPlot chart of the dashboard does the same way, around
 * {@link createLiveChart}: ask for a redraw when one of its series changes, freeze while the
 * view is paused, repaint on a theme change, show or hide a series from the legend (never
 * the last visible one), and say "Paused" / "Frozen while hovered" in the panel's badge.
 * {@link LiveChartPanel} is the frame: title, legend, plot.
 *
 * @module
 */
import { createEffect, createSignal, on, Show, type Accessor } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { readChartColors } from "../charts/chart-colors.ts";
import { createLiveChart, type LiveChart, type LiveChartConfig } from "../charts/createLiveChart.ts";
import { formatClock } from "../format.ts";
import { ChartLegend, type LegendItem } from "./ChartLegend.tsx";
import { ChartPanel } from "./ChartPanel.tsx";
import "./TimeSeriesChart.css";

/** Configuration of {@link useLiveChart}. */
export interface DashboardChartConfig {
  /** The series the chart draws (a sample on any of them asks for a redraw); fixed. */
  ids: readonly string[];
  /** Time span on the x axis, ms. */
  windowMs: number;
  /** uPlot options without the size. */
  options: LiveChartConfig["options"];
  /** Data for a redraw; `visible[i]` says whether the series of `ids[i]` is shown. */
  data: (pixelColumns: number, visible: readonly boolean[]) => ReturnType<LiveChartConfig["data"]>;
  /** uPlot series index of `ids[i]`. @default i + 1 */
  plotIndex?: (i: number) => number;
  /** Redraw after showing or hiding a series (when the others' data depend on it, as stacks do). @default false */
  redrawOnToggle?: boolean;
}

/** What {@link useLiveChart} returns. */
export interface DashboardChart {
  chart: LiveChart;
  /** The plot's container: give it to {@link LiveChartPanel}. */
  ref(el: HTMLDivElement): void;
  /** Which series are shown, in the order of `ids`. */
  visible: Accessor<readonly boolean[]>;
  /** Show or hide the series of `ids[i]`; the last visible one stays. */
  toggle(i: number): void;
  /** The panel's badge: "Paused", "Frozen while hovered" or nothing. */
  badge: Accessor<string | undefined>;
}

/**
 * A live chart wired to the dashboard's view, redraw queue and theme, for the lifetime of
 * the current component.
 * @param config - see {@link DashboardChartConfig}.
 * @returns see {@link DashboardChart}.
 */
export function useLiveChart(config: DashboardChartConfig): DashboardChart {
  const { view, queue, theme } = useDashboard();
  const { ids, plotIndex = (i: number) => i + 1 } = config;
  const [visible, setVisible] = createSignal<readonly boolean[]>(ids.map(() => true));
  let box: HTMLDivElement | undefined;

  const chart = createLiveChart(() => box, {
    windowMs: config.windowMs,
    queue,
    options: config.options,
    // Runs at draw time, outside any tracking scope: reads the rings as they are now.
    data: (px) => config.data(px, visible()),
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

  const toggle = (i: number): void => {
    const next = visible().slice();
    next[i] = !next[i];
    // Never hide the last visible series: an empty chart looks broken.
    if (!next.some(Boolean)) return;
    setVisible(next);
    chart.plot()?.setSeries(plotIndex(i), { show: next[i] });
    if (config.redrawOnToggle === true) chart.request();
  };

  return {
    chart,
    ref: (el) => (box = el),
    visible,
    toggle,
    badge: () => (view.paused() ? "Paused" : chart.hovering() ? "Frozen while hovered" : undefined),
  };
}

/**
 * The time of the sample under the cursor.
 * @param chart - the live chart.
 * @param index - the cursor's data index (uPlot's `cursor.idx`), null when not hovering.
 * @returns "14:03:07.042", or undefined when there is no cursor.
 */
export function cursorTime(chart: LiveChart, index: number | null): string | undefined {
  const t = index === null ? undefined : chart.plot()?.data[0]?.[index];
  return t === undefined || t === null ? undefined : formatClock(t);
}

export interface LiveChartPanelProps {
  title: string;
  subtitle?: string;
  class?: string;
  chart: DashboardChart;
  legend: readonly LegendItem[];
  /** Time under the cursor (see {@link cursorTime}), shown over the plot while hovering. */
  time?: string;
}

/** A live chart's panel: title and badge, a legend of toggle buttons, the plot. */
export function LiveChartPanel(props: LiveChartPanelProps) {
  return (
    <ChartPanel title={props.title} subtitle={props.subtitle} badge={props.chart.badge()} class={props.class}>
      <ChartLegend items={props.legend} onToggle={(i) => props.chart.toggle(i)} />
      <div class="chart" ref={(el) => props.chart.ref(el)} data-testid="chart">
        {/* Over the plot, out of the flow: showing it never resizes the chart under the pointer. */}
        <Show when={props.time}>
          <span class="chart__time num" data-testid="chart-time">
            {props.time}
          </span>
        </Show>
      </div>
    </ChartPanel>
  );
}
