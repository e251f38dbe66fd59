/**
 * Counters for the performance HUD: how often the dashboard actually draws, and how many
 * frames the browser manages. They make the batching visible: thousands of points per
 * second, a few dozen notifications, a handful of renders.
 *
 * @module
 */
import { createSignal, onCleanup, type Accessor } from "solid-js";

/** Render counter shared by every component that draws. */
export class PerfCounters {
  /** Chart and sparkline draws so far. */
  renders = 0;

  /** Count one draw. */
  countRender(): void {
    this.renders++;
  }
}

/**
 * Frames per second measured with requestAnimationFrame, for as long as the owner lives
 * (the HUD creates it only while open: the loop itself costs a little every frame).
 *
 * @returns frames in the last second, updated every second.
 */
export function createFrameRate(): Accessor<number> {
  const [fps, setFps] = createSignal(0);
  let frames = 0;
  let since = performance.now();
  let handle = 0;
  const loop = (now: number): void => {
    frames++;
    if (now - since >= 1000) {
      setFps(Math.round((frames * 1000) / (now - since)));
      frames = 0;
      since = now;
    }
    handle = requestAnimationFrame(loop);
  };
  handle = requestAnimationFrame(loop);
  onCleanup(() => cancelAnimationFrame(handle));
  return fps;
}
