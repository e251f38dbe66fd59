/**
 * A chart legend made of toggle buttons: keyboard-accessible (uPlot's own legend is a table
 * that only reacts to clicks), with the value at the cursor, or the latest value.
 */
import { For } from "solid-js";
import "./ChartLegend.css";

export interface LegendItem {
  label: string;
  color: string;
  /** Formatted value to show next to the label. */
  value: string;
  visible: boolean;
}

export interface ChartLegendProps {
  items: readonly LegendItem[];
  onToggle: (index: number) => void;
}

export function ChartLegend(props: ChartLegendProps) {
  return (
    <ul class="legend">
      <For each={props.items}>
        {(item, index) => (
          <li>
            <button
              type="button"
              class="legend__item"
              aria-pressed={item.visible}
              title={item.visible ? `Hide ${item.label}` : `Show ${item.label}`}
              onClick={() => props.onToggle(index())}
            >
              <span class="legend__swatch" style={{ background: item.color }} aria-hidden="true" />
              <span class="legend__label">{item.label}</span>
              <span class="legend__value num">{item.value}</span>
            </button>
          </li>
        )}
      </For>
    </ul>
  );
}
