/**
 * A metric card: label, current value with unit, trend against the previous window, a
 * sparkline and a live dot. The dot shows the page's one liveness decision (app/liveness.ts):
 * live, stalled (connected, but nothing arrives), paused or offline.
 *
 * Updates are fine-grained and throttled: the card tracks only its own series, and at most
 * 4 times a second (a number that changes 60 times a second cannot be read). While the view
 * is paused, it keeps what it showed.
 */
import { createMemo, untrack } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { TrendMeter, type LiveIndicator } from "@pulseboard/realtime-client";
import { formatChange, formatValueParts } from "../format.ts";
import { createThrottledSignal } from "@pulseboard/solid";
import { Sparkline } from "./Sparkline.tsx";
import "./MetricCard.css";

export interface MetricCardProps {
  /** Metric id from the catalogue. */
  id: string;
  color: string;
  /** Short label instead of the catalogue's (which stays in the tooltip). */
  label?: string;
  /** Whether a rising value is good news (colours the trend). @default false */
  higherIsBetter?: boolean;
}

const DOT_TITLES: Record<LiveIndicator, string> = {
  live: "Live",
  stalled: "Stalled: connected, but no data is arriving",
  paused: "Paused",
  offline: "Not connected",
};

/** Refresh period of card text, ms. */
const CARD_REFRESH_MS = 250;

export function MetricCard(props: MetricCardProps) {
  const { view, metric, liveness, windowMs } = useDashboard();
  const trend = new TrendMeter();
  const info = () => metric(props.id);

  // Tracks this card's series only (untracked while paused), at most every CARD_REFRESH_MS.
  const tick = createThrottledSignal(() => view.series(props.id), CARD_REFRESH_MS, { equals: false });
  const shown = view.createHeldMemo(() => {
    tick();
    const ring = untrack(() => view.series(props.id));
    return {
      ring,
      value: ring?.lastValue ?? NaN,
      trend: trend.measure(ring, untrack(info)?.kind ?? "gauge"),
    };
  });

  const parts = createMemo(() => formatValueParts(shown().value, info()?.unit ?? ""));
  const direction = () => (shown().trend > 0.0005 ? "up" : shown().trend < -0.0005 ? "down" : "flat");
  const good = () => (direction() === "flat" ? "neutral" : (direction() === "up") === (props.higherIsBetter ?? false) ? "good" : "bad");

  return (
    <article class="card" data-metric={props.id} style={{ "--card-accent": props.color }}>
      <header class="card__head">
        <h2 class="card__label" title={info()?.label ?? props.id}>
          {props.label ?? info()?.label ?? props.id}
        </h2>
        <span class="card__dot" data-liveness={liveness.indicator()} title={DOT_TITLES[liveness.indicator()]} aria-hidden="true" />
      </header>
      <p class="card__value num">
        <span class="card__number" data-testid="card-value">
          {parts().value}
        </span>
        <span class="card__unit" title={parts().unit}>
          {parts().unit}
        </span>
      </p>
      <p class="card__trend num" data-direction={direction()} data-judgement={good()} title={`vs previous ${trend.windowMs / 1000} s`}>
        <span aria-hidden="true">{direction() === "up" ? "▲" : direction() === "down" ? "▼" : "■"}</span>
        {formatChange(shown().trend)}
        <span class="card__trend-label">vs prev {trend.windowMs / 1000}s</span>
      </p>
      <Sparkline ring={shown().ring} revision={shown()} color={props.color} windowMs={windowMs} label={`${info()?.label ?? props.id}, last ${windowMs / 1000} s`} />
    </article>
  );
}
