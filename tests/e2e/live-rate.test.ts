/**
 * The header's "points/s" is the stream's live rate from the moment the page opens. The
 * dashboard starts from the server's retained backlog and prefills a minute of history, so
 * its first second receives tens of thousands of points: none of them is traffic, and the
 * figure must never read more than the server actually produces per second.
 *
 * Before the rate counted live points only, this page read 3 000-4 000 points/s for its first
 * seconds (8 s of backlog replayed at once) where the server produced 400.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricInfo } from "@pulseboard/realtime-client";
import { launchChromium, startDashboard, type Dashboard } from "./harness.ts";

let dashboard: Dashboard;
let browser: Browser;
let page: Page;

/** "7.6K points/s" -> 7600. */
function parseRate(text: string): number {
  const match = /([\d.]+)([KMG]?) points\/s/.exec(text);
  if (match === null) return Number.NaN;
  const scale = { "": 1, K: 1e3, M: 1e6, G: 1e9 }[match[2] as "" | "K" | "M" | "G"];
  return Number.parseFloat(match[1]) * scale;
}

beforeAll(async () => {
  [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe("header points/s", () => {
  it("counts live points only: the replayed backlog and the history prefill never read as traffic", async () => {
    // What the server produces per second: every metric of the catalogue at its rate.
    const catalogue = (await (await fetch(`${dashboard.url}api/metrics`)).json()) as { metrics: MetricInfo[] };
    const produced = catalogue.metrics.reduce((sum, m) => sum + m.rateHz, 0);
    expect(produced).toBeGreaterThan(0);
    expect((await fetch(`${dashboard.url}api/snapshot`)).ok).toBe(true);
    // Create the source (a snapshot does), then let the server retain some seconds of backlog, as it
    // would for any page opened on a server that has been running.
    await new Promise((resolve) => setTimeout(resolve, 8000));

    await page.goto(dashboard.url);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    const meta = page.locator(".header__meta");
    const samples: number[] = [];
    for (let i = 0; i < 16; i++) {
      samples.push(parseRate((await meta.textContent()) ?? ""));
      await page.waitForTimeout(250);
    }
    console.log(`[live-rate] produced ${produced} points/s; header over the first 4 s: ${samples.join(", ")}`);
    for (const rate of samples) {
      expect(rate).not.toBeNaN();
      // Frames produced during the handshake arrive together just after it: a young 5 s
      // window reads up to about 1.5x the rate for a moment. The backlog read 10x.
      expect(rate).toBeLessThanOrEqual(produced * 2);
    }
    // And it is the live rate, not zero: after a few seconds it matches what the server produces.
    await expect.poll(async () => parseRate((await meta.textContent()) ?? "") / produced, { timeout: 8000 }).toBeGreaterThan(0.75);
  });
});
