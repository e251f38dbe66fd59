/**
 * A small canvas line of the last `windowMs` of a series, for cards and table rows.
 *
 * It draws only when `revision` changes (the parent throttles that), reduces the window to
 * min/max per pixel column with the client's `decimateMinMax` into a buffer it reuses, and
 * strokes 1 device pixel wide (wider lines leave the canvas fast path in software rendering).
 */
import { createEffect, on, onCleanup, onMount } from "solid-js";
import { decimateMinMax, type RingBuffer } from "@pulseboard/realtime-client";
import { useDashboard } from "../app/dashboard-context.ts";
import { withAlpha } from "../charts/chart-colors.ts";

export interface SparklineProps {
  ring: RingBuffer | undefined;
  /** Changes whenever the sparkline should redraw. */
  revision: unknown;
  color: string;
  windowMs: number;
  /** Accessible description, e.g. "CPU usage, last 60 s". */
  label: string;
  /** Fill under the line. @default true */
  fill?: boolean;
}

export function Sparkline(props: SparklineProps) {
  const { perf } = useDashboard();
  let canvas!: HTMLCanvasElement;
  let width = 0;
  let height = 0;
  let scratch = { t: new Float64Array(0), v: new Float64Array(0) };

  const draw = (): void => {
    const ctx = canvas.getContext("2d");
    const ring = props.ring;
    if (ctx === null || width === 0 || height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    } else {
      ctx.clearRect(0, 0, w, h);
    }
    if (ring === undefined || ring.length < 2) return;
    const to = ring.lastTime;
    const span = ring.window(to - props.windowMs, to);
    if (scratch.t.length < 2 * w + 2) scratch = { t: new Float64Array(2 * w + 2), v: new Float64Array(2 * w + 2) };
    const d = decimateMinMax(span.times, span.values, w, scratch);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < d.length; i++) {
      const v = d.v[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi >= lo)) return;
    const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.05 || 1;
    lo -= pad;
    hi += pad;
    const t0 = to - props.windowMs;
    const x = (t: number): number => ((t - t0) / props.windowMs) * (w - 1);
    const y = (v: number): number => h - 1 - ((v - lo) / (hi - lo)) * (h - 2);
    ctx.beginPath();
    ctx.moveTo(x(d.t[0]), y(d.v[0]));
    for (let i = 1; i < d.length; i++) ctx.lineTo(x(d.t[i]), y(d.v[i]));
    ctx.lineWidth = 1;
    ctx.strokeStyle = props.color;
    ctx.stroke();
    if (props.fill !== false) {
      ctx.lineTo(x(d.t[d.length - 1]), h);
      ctx.lineTo(x(d.t[0]), h);
      ctx.closePath();
      ctx.fillStyle = withAlpha(props.color, 0.14);
      ctx.fill();
    }
    perf.countRender();
  };

  onMount(() => {
    const measure = (): void => {
      width = canvas.clientWidth;
      height = canvas.clientHeight;
    };
    measure();
    const resize = new ResizeObserver(() => {
      measure();
      draw();
    });
    resize.observe(canvas);
    onCleanup(() => resize.disconnect());
  });

  createEffect(on(() => props.revision, draw));

  return <canvas ref={(el) => (canvas = el)} class="sparkline" role="img" aria-label={props.label} />;
}
