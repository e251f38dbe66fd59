/**
 * Frame rate of the dashboard in headless Chromium (software rendering, no GPU), measured
 * with requestAnimationFrame inside the page, at the mock server's default rate and at
 * 20 metrics x 1000 Hz. It prints the figures; it only asserts that the page keeps drawing,
 * since absolute numbers depend on the machine.
 */
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

const browserPromise = launchChromium();
afterAll(async () => (await browserPromise).close());

async function measure(flags: string): Promise<FrameStats & { points: string }> {
  const dashboard = await startDashboard(flags);
  try {
    const browser = await browserPromise;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${dashboard.url}?hud`);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2500); // history prefill, first redraws, JIT warm-up
    const stats = (await page.evaluate(measureFrames(MEASURE_MS))) as FrameStats;
    const points = (await page.getByTestId("hud-points").textContent()) ?? "?";
    await page.close();
    return { ...stats, points };
  } finally {
    await dashboard.close();
  }
}

describe("frame rate", () => {
  it.each([
    ["default rate (10 Hz core metrics, 200 hosts)", ""],
    ["20 metrics x 1000 Hz", "--rate 1000"],
  ])("keeps drawing at %s", async (name, flags) => {
    const r = await measure(flags);
    console.log(
      `[fps] ${name}: ${r.fps.toFixed(1)} fps over ${MEASURE_MS / 1000} s (${r.frames} frames), ` +
        `p95 frame ${r.p95.toFixed(1)} ms, worst ${r.worst.toFixed(1)} ms, stream ${r.points} points`,
    );
    expect(r.fps).toBeGreaterThan(5);
  });
});
