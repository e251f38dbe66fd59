/**
 * Frame rate of the dashboard in headless Chromium (software rendering, no GPU), measured
 * with requestAnimationFrame inside the page, at the mock server's default rate, at
 * 20 metrics x 1000 Hz and with the firehose profile. Headless Chromium caps frames at 60 Hz,
 * so the frame rate alone hides how much headroom is left: the same window also measures how
 * busy the renderer's main thread was (Chrome DevTools Protocol `Performance.getMetrics`:
 * task, script, layout and style time over wall time). It prints the figures; it only asserts
 * that the page keeps drawing and the thread is not saturated, since absolute numbers depend
 * on the machine.
 */
import type { CDPSession } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { launchChromium, startDashboard } from "./harness.ts";
import { measureFrames } from "./page-probes.ts";

const MEASURE_MS = 4000;

interface FrameStats {
  fps: number;
  p95: number;
  worst: number;
  frames: number;
}

/** Shares of wall time the renderer's main thread spent on tasks, and on script, layout and style within them. */
interface MainThreadLoad {
  busy: number;
  script: number;
  layout: number;
  style: number;
}

/** The renderer's cumulative counters, in seconds (`Timestamp` is the clock they are read at). */
async function performanceCounters(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return new Map(metrics.map((m) => [m.name, m.value]));
}

function mainThreadLoad(before: Map<string, number>, after: Map<string, number>): MainThreadLoad {
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

const browserPromise = launchChromium();
afterAll(async () => (await browserPromise).close());

async function measure(flags: string): Promise<FrameStats & MainThreadLoad & { points: string }> {
  const dashboard = await startDashboard(flags);
  try {
    const browser = await browserPromise;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(`${dashboard.url}?hud`);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2500); // history prefill, first redraws, JIT warm-up
    const before = await performanceCounters(cdp);
    const stats = (await page.evaluate(measureFrames(MEASURE_MS))) as FrameStats;
    const load = mainThreadLoad(before, await performanceCounters(cdp));
    const points = (await page.getByTestId("hud-points").textContent()) ?? "?";
    await cdp.detach();
    await page.close();
    return { ...stats, ...load, points };
  } finally {
    await dashboard.close();
  }
}

describe("frame rate", () => {
  it.each([
    ["default rate (10 Hz core metrics, 200 hosts)", ""],
    ["20 metrics x 1000 Hz", "--rate 1000"],
    ["firehose profile (20 x 1000 Hz + 200 channels x 1000 Hz)", "--profile firehose"],
  ])("keeps drawing at %s", async (name, flags) => {
    const r = await measure(flags);
    const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;
    console.log(
      `[fps] ${name}: ${r.fps.toFixed(1)} fps over ${MEASURE_MS / 1000} s (${r.frames} frames), ` +
        `p95 frame ${r.p95.toFixed(1)} ms, worst ${r.worst.toFixed(1)} ms, ` +
        `main thread busy ${pct(r.busy)} (script ${pct(r.script)}, layout ${pct(r.layout)}, style ${pct(r.style)}), ` +
        `stream ${r.points} points`,
    );
    expect(r.fps).toBeGreaterThan(5);
    expect(r.busy).toBeGreaterThan(0);
    expect(r.busy).toBeLessThan(1);
  });
});
