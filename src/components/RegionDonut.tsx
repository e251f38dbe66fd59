/**
 * Traffic share by region: an SVG donut (uPlot has no pie) with animated transitions and
 * text labels. Shares move slowly, so it updates once a second; each update glides over
 * 600 ms instead of jumping.
 */
import { createMemo, For, Show, untrack } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { PALETTE } from "../charts/chart-colors.ts";
import { createTween } from "../charts/createTween.ts";
import { polar, ringSegment, slices } from "@pulseboard/realtime-client";
import { createThrottledSignal } from "@pulseboard/solid";
import { ChartPanel } from "./ChartPanel.tsx";
import "./RegionDonut.css";

const COLORS = [PALETTE.blue, PALETTE.green, PALETTE.orange, PALETTE.purple, PALETTE.teal, PALETTE.pink, PALETTE.yellow];
const SIZE = 200;
const OUTER = 92;
const INNER = 60;

export interface RegionDonutProps {
  /** Catalogue group whose members are the slices. @default "region-share" */
  group?: string;
  class?: string;
}

/** "Traffic share: Europe" -> "Europe". */
const shortLabel = (label: string): string => label.replace(/^[^:]*:\s*/, "");

/** Characters of a region name that fit inside the ring at the centre label's size. */
const CENTER_LABEL_CHARS = 16;

/**
 * `text` cut to at most `max` characters, the last an ellipsis: SVG text cannot end in a CSS
 * ellipsis, and a catalogue label can be any length. Counts code points (no emoji is split)
 * and stops reading at the cut, however long the text.
 */
function clip(text: string, max: number): string {
  const head: string[] = [];
  for (const ch of text) {
    head.push(ch);
    if (head.length > max) return `${head.slice(0, max - 1).join("").trimEnd()}…`;
  }
  return text;
}

export function RegionDonut(props: RegionDonutProps) {
  const { realtime, view } = useDashboard();
  const members = createMemo(() => realtime.catalogue().filter((m) => m.group === (props.group ?? "region-share")));

  const tick = createThrottledSignal(() => members().forEach((m) => view.series(m.id)), 1000, { equals: false });
  const shares = view.createHeldMemo(() => {
    tick();
    return untrack(members).map((m) => realtime.manager.series(m.id)?.lastValue ?? NaN);
  });
  const shown = createTween(shares, 600);
  const geometry = createMemo(() => slices(shown()));
  const top = createMemo(() => {
    const values = shares();
    let best = -1;
    values.forEach((v, i) => {
      if (Number.isFinite(v) && (best < 0 || v > values[best])) best = i;
    });
    return best;
  });

  return (
    <ChartPanel title="Traffic by region" subtitle="share of requests, %" class={props.class} badge={view.paused() ? "Paused" : undefined}>
      <div class="donut">
        <svg class="donut__svg" viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label="Traffic share by region">
          <circle cx={SIZE / 2} cy={SIZE / 2} r={(OUTER + INNER) / 2} class="donut__track" stroke-width={OUTER - INNER} fill="none" />
          <For each={geometry()}>
            {(slice, i) => (
              <path d={ringSegment(SIZE / 2, SIZE / 2, OUTER, INNER, slice.start, slice.end)} fill={COLORS[i() % COLORS.length]} class="donut__slice" />
            )}
          </For>
          <For each={geometry()}>
            {(slice) => (
              <Show when={slice.fraction >= 0.07}>
                <text
                  class="donut__pct num"
                  x={polar(SIZE / 2, SIZE / 2, (OUTER + INNER) / 2, slice.mid)[0]}
                  y={polar(SIZE / 2, SIZE / 2, (OUTER + INNER) / 2, slice.mid)[1]}
                  text-anchor="middle"
                  dominant-baseline="central"
                >
                  {Math.round(slice.fraction * 100)}%
                </text>
              </Show>
            )}
          </For>
          <Show when={top() >= 0}>
            <text class="donut__center-value num" x={SIZE / 2} y={SIZE / 2 - 6} text-anchor="middle">
              {(shares()[top()] ?? 0).toFixed(1)}%
            </text>
            <text class="donut__center-label" x={SIZE / 2} y={SIZE / 2 + 14} text-anchor="middle">
              <title>{shortLabel(members()[top()]?.label ?? "")}</title>
              {clip(shortLabel(members()[top()]?.label ?? ""), CENTER_LABEL_CHARS)}
            </text>
          </Show>
        </svg>
        <ul class="donut__legend">
          <For each={members()}>
            {(m, i) => (
              <li class="donut__item">
                <span class="donut__swatch" style={{ background: COLORS[i() % COLORS.length] }} aria-hidden="true" />
                <span class="donut__name" title={shortLabel(m.label)}>
                  {shortLabel(m.label)}
                </span>
                <span class="donut__value num">{Number.isFinite(shares()[i()]) ? `${shares()[i()].toFixed(1)}%` : "–"}</span>
              </li>
            )}
          </For>
        </ul>
      </div>
    </ChartPanel>
  );
}
