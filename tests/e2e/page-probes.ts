/**
 * Functions evaluated inside the page, written as strings: the test runner's transform may
 * add helpers (such as esbuild's `__name`) to compiled functions, which do not exist in the
 * page. Each is an expression Playwright evaluates as is.
 */

/** Non-transparent pixels of every chart canvas: `number[]`, one per chart. */
export const CHART_PIXELS = `(() => [...document.querySelectorAll(".chart canvas")].map((c) => {
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}))()`;

/** A cheap fingerprint of every chart canvas's pixels: `string`. */
export const CHART_FINGERPRINT = `(() => [...document.querySelectorAll(".chart canvas")].map((c) => {
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < data.length; i += 7) h = (h * 31 + data[i]) | 0;
  return h;
}).join(","))()`;

/** Text of every metric card value: `string`. */
export const CARD_VALUES = `[...document.querySelectorAll('[data-testid="card-value"]')].map((e) => e.textContent).join("|")`;

/**
 * Frames per second over `ms`, counted with requestAnimationFrame, with the 95th percentile
 * and the longest frame interval: `{ fps, p95, worst, frames }`.
 */
export const measureFrames = (ms: number): string => `new Promise((resolve) => {
  const gaps = [];
  let first = 0, last = 0;
  const loop = (t) => {
    if (first === 0) first = t; else gaps.push(t - last);
    last = t;
    if (t - first < ${ms}) requestAnimationFrame(loop);
    else {
      gaps.sort((a, b) => a - b);
      resolve({ fps: (gaps.length * 1000) / (last - first), p95: gaps[Math.floor(gaps.length * 0.95)], worst: gaps[gaps.length - 1], frames: gaps.length });
    }
  };
  requestAnimationFrame(loop);
})`;
