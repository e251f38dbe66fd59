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
import { afterAll, describe, expect, it } from "vitest";
import { frameLine, meterFrames, openFrameMeter, type FrameStats, type MainThreadLoad } from "./frame-meter.ts";
import { launchChromium, startDashboard } from "./harness.ts";

const MEASURE_MS = 4000;

const browserPromise = launchChromium();
afterAll(async () => (await browserPromise).close());

async function measure(flags: string): Promise<FrameStats & MainThreadLoad & { points: string }> {
  const dashboard = await startDashboard(flags);
  try {
    const browser = await browserPromise;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await openFrameMeter(page);
    await page.goto(`${dashboard.url}?hud`);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2500); // history prefill, first redraws, JIT warm-up
    const measured = await meterFrames(page, cdp, MEASURE_MS);
    const points = (await page.getByTestId("hud-points").textContent()) ?? "?";
    await cdp.detach();
    await page.close();
    return { ...measured, points };
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
    console.log(frameLine(name, MEASURE_MS, r, r.points));
    expect(r.fps).toBeGreaterThan(5);
    expect(r.busy).toBeGreaterThan(0);
    expect(r.busy).toBeLessThan(1);
  });
});
