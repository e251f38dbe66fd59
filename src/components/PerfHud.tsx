/**
 * The performance HUD: what the stream does (messages, points), what the dashboard does with
 * it (notifications, renders) and what the browser manages (frames). The gap between the
 * first and the last rows is throttling and frame batching at work.
 *
 * It is docked: a strip between the header and the board, in the page's flow, so it never
 * covers a panel (a floating box hid the hosts table's CPU column and could not be moved).
 */
import { createSignal, For, onCleanup, onMount, untrack } from "solid-js";
import { useDashboard } from "../app/dashboard-context.ts";
import { createFrameRate } from "../app/perf-counters.ts";
import { formatBytes, formatCompact, formatRate } from "../format.ts";
import "./PerfHud.css";

interface Rates {
  notifications: number;
  renders: number;
}

export function PerfHud() {
  const { realtime, perf } = useDashboard();
  const fps = createFrameRate();
  const [rates, setRates] = createSignal<Rates>({ notifications: 0, renders: 0 });
  const [heap, setHeap] = createSignal<number | null>(null);

  onMount(() => {
    let last = { at: performance.now(), notifications: untrack(realtime.stats).notifications, renders: perf.renders };
    const sample = (): void => {
      const now = performance.now();
      const notifications = realtime.manager.stats().notifications;
      const seconds = (now - last.at) / 1000;
      setRates({ notifications: (notifications - last.notifications) / seconds, renders: (perf.renders - last.renders) / seconds });
      last = { at: now, notifications, renders: perf.renders };
      // Chromium only; absent elsewhere, and the HUD then says so.
      const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      setHeap(memory?.usedJSHeapSize ?? null);
    };
    const timer = setInterval(sample, 1000);
    onCleanup(() => clearInterval(timer));
  });

  const rows = () => {
    const s = realtime.stats();
    return [
      ["Messages", formatRate(s.messagesPerSecond)],
      ["Points", formatRate(s.pointsPerSecond)],
      ["Notifications", formatRate(rates().notifications)],
      ["Renders", formatRate(rates().renders)],
      ["Frames", `${fps()} fps`],
      // Overflow is the rings evicting their oldest samples (normal once they are full); the
      // rest is data that could not be kept: not finite, out of order, unknown metric.
      ["Dropped points", formatCompact(s.pointsDropped - s.pointsDroppedBy.overflow)],
      ["Evicted (rings full)", formatCompact(s.pointsDroppedBy.overflow)],
      ["Lag", s.lagMs === null ? "–" : `${Math.round(s.lagMs)} ms`],
      ["Heap", heap() === null ? "n/a" : formatBytes(heap() ?? 0)],
    ] as const;
  };

  return (
    <aside class="hud" id="perf-hud" aria-labelledby="perf-hud-title">
      <h2 class="hud__title" id="perf-hud-title">
        Performance
      </h2>
      <dl class="hud__grid num">
        <For each={rows()}>
          {([name, value]) => (
            <div class="hud__figure">
              <dt>{name}</dt>
              <dd data-testid={`hud-${name.toLowerCase().replace(/\W+/g, "-")}`}>{value}</dd>
            </div>
          )}
        </For>
      </dl>
    </aside>
  );
}
