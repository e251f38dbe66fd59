/**
 * The dashboard layout: header, metric cards, live charts, region donut, event log and hosts.
 * Cards and charts are tables of specs, rendered by one loop each. It reads services from the
 * context (see App for how they are created).
 */
import { createSignal, For, Show, untrack } from "solid-js";
import { PALETTE } from "../charts/chart-colors.ts";
import { EventLog } from "./EventLog.tsx";
import { Header } from "./Header.tsx";
import { HostsTable } from "./HostsTable.tsx";
import { MetricCard } from "./MetricCard.tsx";
import { PerfHud } from "./PerfHud.tsx";
import { RegionDonut } from "./RegionDonut.tsx";
import { StatusBarsChart, type StatusClassSpec } from "./StatusBarsChart.tsx";
import { TimeSeriesChart, type ChartSeriesSpec } from "./TimeSeriesChart.tsx";
import "./Dashboard.css";

const CARDS = [
  { id: "requests.rate", color: PALETTE.teal, higherIsBetter: true },
  { id: "errors.rate", color: PALETTE.red, label: "Errors" },
  { id: "latency.p95", color: PALETTE.orange },
  { id: "users.active", color: PALETTE.purple, higherIsBetter: true },
  { id: "cpu.usage", color: PALETTE.blue },
  { id: "memory.usage", color: PALETTE.pink },
  { id: "queue.depth", color: PALETTE.yellow },
  { id: "revenue.total", color: PALETTE.green, higherIsBetter: true, label: "Revenue (total)" },
];

/** A live chart of the board: `area` is its grid area (Dashboard.css); every chart keeps 0 in view. */
type ChartSpec = { area: string; title: string; subtitle: string } & (
  | { kind: "lines"; fill?: boolean; series: readonly ChartSeriesSpec[] }
  | { kind: "bars"; classes: readonly StatusClassSpec[] }
);

/** The charts, in reading (and tab) order. */
const CHARTS: readonly ChartSpec[] = [
  { kind: "lines", area: "traffic", title: "Traffic", subtitle: "requests/s · errors/s on the right axis", fill: true, series: [
    { id: "requests.rate", color: PALETTE.teal, label: "Requests" },
    { id: "errors.rate", color: PALETTE.red, label: "Errors", scale: "y2" },
  ] },
  { kind: "lines", area: "latency", title: "Latency", subtitle: "ms", series: [
    { id: "latency.p50", color: PALETTE.green, label: "p50" },
    { id: "latency.p95", color: PALETTE.yellow, label: "p95" },
    { id: "latency.p99", color: PALETTE.red, label: "p99" },
  ] },
  { kind: "bars", area: "status", title: "HTTP status", subtitle: "responses/s, stacked per second", classes: [
    { id: "http.2xx", label: "2xx", color: PALETTE.green },
    { id: "http.3xx", label: "3xx", color: PALETTE.blue },
    { id: "http.4xx", label: "4xx", color: PALETTE.orange },
    { id: "http.5xx", label: "5xx", color: PALETTE.red },
  ] },
  { kind: "lines", area: "system", title: "System", subtitle: "%", fill: true, series: [
    { id: "cpu.usage", color: PALETTE.blue, label: "CPU" },
    { id: "memory.usage", color: PALETTE.pink, label: "Memory" },
  ] },
  { kind: "lines", area: "users", title: "Users and jobs", subtitle: "active users · queue depth on the right axis", fill: true, series: [
    { id: "users.active", color: PALETTE.purple, label: "Active users" },
    { id: "users.peak", color: PALETTE.pink, label: "5 min peak" },
    { id: "queue.depth", color: PALETTE.yellow, label: "Queue", scale: "y2" },
  ] },
];

export interface DashboardProps {
  source: string;
  /** Open the performance HUD at start. @default false */
  hud?: boolean;
}

export function Dashboard(props: DashboardProps) {
  const [hud, setHud] = createSignal(untrack(() => props.hud ?? false));
  return (
    <div class="app">
      <Header source={props.source} hudOpen={hud()} onToggleHud={() => setHud(!hud())} />
      <Show when={hud()}>
        <PerfHud />
      </Show>
      <main class="board">
        <section class="board__cards" aria-label="Key metrics">
          <For each={CARDS}>{(card) => <MetricCard id={card.id} color={card.color} label={card.label} higherIsBetter={card.higherIsBetter} />}</For>
        </section>
        <For each={CHARTS}>
          {(chart) =>
            chart.kind === "bars" ? (
              <StatusBarsChart class={`board__${chart.area}`} title={chart.title} subtitle={chart.subtitle} initialClasses={chart.classes} />
            ) : (
              <TimeSeriesChart class={`board__${chart.area}`} title={chart.title} subtitle={chart.subtitle} fill={chart.fill} floor={0} initialSeries={chart.series} />
            )
          }
        </For>
        <RegionDonut class="board__regions" />
        <EventLog class="board__events" />
        <HostsTable class="board__hosts" />
      </main>
    </div>
  );
}
