/**
 * A chart legend made of toggle buttons: keyboard-accessible (uPlot's own legend is a table
 * that only reacts to clicks), with the value at the cursor, or the latest value.
 *
 * The buttons are created once per series and their text is updated in place (`Index`, not
 * `For`: the items are new objects on every update, and `For` would rebuild each button 4
 * times a second, taking keyboard focus away from the one the user tabbed to).
 *
 * Labels and units come from the server's catalogue: each is cut to a bounded width with an
 * ellipsis (ChartLegend.css), and the full text is the tooltip.
 */
import { Index } from "solid-js";
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
      <Index each={props.items}>
        {(item, index) => (
          <li class="legend__entry">
            <button
              type="button"
              class="legend__item"
              aria-pressed={item().visible}
              title={`${item().visible ? "Hide" : "Show"} ${item().label}: ${item().value}`}
              onClick={() => props.onToggle(index)}
            >
              <span class="legend__swatch" style={{ background: item().color }} aria-hidden="true" />
              <span class="legend__label">{item().label}</span>
              <span class="legend__value num">{item().value}</span>
            </button>
          </li>
        )}
      </Index>
    </ul>
  );
}
