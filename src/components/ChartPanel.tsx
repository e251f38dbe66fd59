/** The frame around a chart: title, a short description, optional status, and the chart. */
import { Show, type JSX } from "solid-js";
import "./ChartPanel.css";

export interface ChartPanelProps {
  title: string;
  subtitle?: string;
  /** Shown at the right of the title bar (e.g. "frozen"). */
  badge?: string;
  class?: string;
  children: JSX.Element;
}

export function ChartPanel(props: ChartPanelProps) {
  return (
    <section class={`panel ${props.class ?? ""}`} aria-label={props.title}>
      <header class="panel__head">
        <h2 class="panel__title">{props.title}</h2>
        <Show when={props.subtitle}>
          <span class="panel__subtitle" title={props.subtitle}>
            {props.subtitle}
          </span>
        </Show>
        <Show when={props.badge}>
          <span class="badge panel__badge">{props.badge}</span>
        </Show>
      </header>
      <div class="panel__body">{props.children}</div>
    </section>
  );
}
