/**
 * Frame rate and main-thread load of a page, as the fps tests measure and print them: frames
 * counted with requestAnimationFrame inside the page ({@link measureFrames}), and how busy the
 * renderer's main thread was over the same window (Chrome DevTools Protocol
 * `Performance.getMetrics`: task, script, layout and style time over wall time).
 */
import type { CDPSession, Page } from "playwright-core";
import { measureFrames } from "./page-probes.ts";

export interface FrameStats {
  fps: number;
  p95: number;
  worst: number;
  frames: number;
}

/** Shares of wall time the renderer's main thread spent on tasks, and on script, layout and style within them. */
export interface MainThreadLoad {
  busy: number;
  script: number;
  layout: number;
  style: number;
}

/** The renderer's cumulative counters, in seconds (`Timestamp` is the clock they are read at). */
export async function performanceCounters(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return new Map(metrics.map((m) => [m.name, m.value]));
}

export function mainThreadLoad(before: Map<string, number>, after: Map<string, number>): MainThreadLoad {
  const delta = (name: string): number => {
    const a = before.get(name);
    const b = after.get(name);
    if (a === undefined || b === undefined) throw new Error(`Performance.getMetrics has no ${name}`);
    return b - a;
  };
  const wall = delta("Timestamp");
  return {
    busy: delta("TaskDuration") / wall,
    script: delta("ScriptDuration") / wall,
    layout: delta("LayoutDuration") / wall,
    style: delta("RecalcStyleDuration") / wall,
  };
}

/** A CDP session on `page` with the Performance domain enabled (see {@link meterFrames}). */
export async function openFrameMeter(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  return cdp;
}

/**
 * Counts frames for `ms` and measures the main thread's load over the same window, while
 * `during` (if given) drives the page; `during` should finish within the window.
 */
export async function meterFrames(page: Page, cdp: CDPSession, ms: number, during?: () => Promise<void>): Promise<FrameStats & MainThreadLoad> {
  const before = await performanceCounters(cdp);
  const frames = page.evaluate(measureFrames(ms)) as Promise<FrameStats>;
  if (during !== undefined) await Promise.all([frames, during()]);
  const stats = await frames;
  const load = mainThreadLoad(before, await performanceCounters(cdp));
  return { ...stats, ...load };
}

/** The `[fps] …` line the fps tests print. */
export function frameLine(name: string, ms: number, r: FrameStats & MainThreadLoad, points: string): string {
  const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;
  return (
    `[fps] ${name}: ${r.fps.toFixed(1)} fps over ${ms / 1000} s (${r.frames} frames), ` +
    `p95 frame ${r.p95.toFixed(1)} ms, worst ${r.worst.toFixed(1)} ms, ` +
    `main thread busy ${pct(r.busy)} (script ${pct(r.script)}, layout ${pct(r.layout)}, style ${pct(r.style)}), ` +
    `stream ${points} points`
  );
}
