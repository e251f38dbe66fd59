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

/**
 * The page's realtime client: the dev build's debug handle (`window.pulseboard.manager`, see
 * docs/architecture.md, "Debugging"). The e2e dashboards are served by Vite in development
 * mode, where the app sets it before its first render.
 */
export const CLIENT = `window.pulseboard.manager`;

/** True once the debug handle is there; fails with a hint when the build does not expose it. */
export const CLIENT_READY = `(() => {
  if (window.pulseboard?.manager === undefined) throw new Error("window.pulseboard is not set: the dashboard exposes its client only in dev builds (import.meta.env.DEV)");
  return true;
})()`;

/** The client's counters (`ManagerStats`). */
export const CLIENT_STATS = `${CLIENT}.stats()`;

/**
 * Records what the connection status shows, each time it changes, in `window.__statusLog`:
 * `{ t, state, stalled, label, detail, dots }` (`t` in ms of performance.now(); `stalled`:
 * the status shows "Stalled", the connection up but silent; `detail` is the transport and RTT
 * while data flows, else the reason; `dots`: what the metric cards' live dots show at that
 * moment, the distinct values joined by commas). A MutationObserver sees every change, even one that
 * lasts a few milliseconds, such as a reconnect after a dropped connection.
 */
export const RECORD_STATUS = `(() => {
  const el = document.querySelector(".connection[role=status]");
  const read = () => ({
    t: performance.now(),
    state: el.dataset.state,
    stalled: el.hasAttribute("data-stalled"),
    label: el.querySelector(".connection__label")?.textContent ?? "",
    detail: (el.querySelector(".connection__detail") ?? el.querySelector(".connection__reason"))?.textContent ?? "",
    dots: [...new Set([...document.querySelectorAll(".card__dot")].map((dot) => dot.dataset.liveness))].join(","),
  });
  const log = (window.__statusLog = [read()]);
  new MutationObserver(() => {
    const now = read(), last = log[log.length - 1];
    if (now.state !== last.state || now.stalled !== last.stalled || now.label !== last.label || now.detail.replace(/RTT \\d+/, "") !== last.detail.replace(/RTT \\d+/, "")) log.push(now);
  }).observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
})()`;

/** `window.__statusLog` (see {@link RECORD_STATUS}). */
export const STATUS_LOG = `window.__statusLog`;

/**
 * True once the status log, from entry `from` on, shows `states` in that order (other
 * states may come between). `"stalled"` matches an entry showing the stalled presentation
 * (whatever the client's state); any other name matches the client's state.
 */
export const statusReached = (from: number, states: readonly string[]): string => `(() => {
  const wanted = ${JSON.stringify(states)};
  let i = 0;
  for (const entry of window.__statusLog.slice(${from})) {
    if (i < wanted.length && (wanted[i] === "stalled" ? entry.stalled : entry.state === wanted[i])) i++;
  }
  return i === wanted.length;
})()`;

/**
 * Every sample the client holds for each metric, with the metric's rate: `{ [id]: { rateHz,
 * t: number[], v: number[] } }`.
 */
export const seriesSnapshot = (ids: readonly string[]): string => `(() => {
  const client = ${CLIENT};
  const out = {};
  for (const id of ${JSON.stringify(ids)}) {
    const ring = client.series(id);
    const info = client.catalogue().find((m) => m.id === id);
    out[id] = ring === undefined || info === undefined ? null : { rateHz: info.rateHz, t: Array.from(ring.times()), v: Array.from(ring.values()) };
  }
  return out;
})()`;
