/**
 * The client README's Quick start, run as written in real Chromium: it is the file
 * packages/realtime-client/examples/quick-start/main.ts (packages/realtime-client/test/examples.test.ts
 * checks that README and file are identical), served by Vite with the mock server attached,
 * as `npm start` serves the dashboard. Copied verbatim, it must draw a chart a person can
 * read: a visible line, an x axis in the present (uPlot reads times as seconds unless told
 * `ms: 1`; the client's are milliseconds), and a legend below the plot, not on it (uPlot's
 * CSS imported).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startDashboard, type Dashboard } from "./harness.ts";

let browser: Browser;
let dashboard: Dashboard;

beforeAll(async () => {
  [browser, dashboard] = await Promise.all([launchChromium(), startDashboard()]);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

/**
 * The series' stroke as its legend marker shows it (`rgb(r, g, b)`, or "" when the series has
 * none), and how many pixels inside uPlot's plotting area (the `.u-over` box) are drawn in it.
 */
const LINE = `(() => {
  const canvas = document.querySelector(".uplot canvas");
  const over = document.querySelector(".uplot .u-over");
  const marker = document.querySelectorAll(".uplot .u-legend .u-series")[1]?.querySelector(".u-marker");
  if (!canvas || !over || !marker) return { color: "", pixels: 0 };
  const color = getComputedStyle(marker).borderTopColor;
  const rgb = /^rgb\\((\\d+), (\\d+), (\\d+)\\)$/.exec(color);
  if (!rgb || getComputedStyle(marker).borderTopStyle === "none") return { color: "", pixels: 0 };
  const [r, g, b] = rgb.slice(1).map(Number);
  const dpr = canvas.width / canvas.getBoundingClientRect().width;
  const [x, y, w, h] = ["left", "top", "width", "height"].map((k) => Math.round(parseFloat(over.style[k]) * dpr));
  const data = canvas.getContext("2d").getImageData(x, y, w, h).data;
  let pixels = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 128 && Math.abs(data[i] - r) < 48 && Math.abs(data[i + 1] - g) < 48 && Math.abs(data[i + 2] - b) < 48) pixels++;
  }
  return { color, pixels };
})()`;

describe("the client README's Quick start", () => {
  it("draws a visible line against a current time axis, with the legend below the plot", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    try {
      const wsUrl = `${dashboard.url.replace(/^http/, "ws")}ws`;
      await page.goto(`${dashboard.url}packages/realtime-client/examples/quick-start/index.html?url=${encodeURIComponent(wsUrl)}`);
      await page.locator(".uplot canvas").waitFor({ timeout: 15_000 });

      // A line in the series' own colour, across the plot once a few seconds of data are in.
      await expect
        .poll(async () => ((await page.evaluate(LINE)) as { pixels: number }).pixels, { timeout: 10_000, interval: 200, message: "pixels of the series' stroke in the plot" })
        .toBeGreaterThan(300);

      // The x axis is in the present: hover the plot and read the time the legend shows for it.
      const over = (await page.locator(".uplot .u-over").boundingBox())!;
      await page.mouse.move(over.x + over.width * 0.9, over.y + over.height / 2);
      const xLabel = (await page.locator(".u-legend .u-series").first().locator(".u-value").textContent()) ?? "";
      const now = new Date();
      expect(xLabel, "the legend's time under the cursor").toContain(String(now.getFullYear()));
      expect(xLabel).toContain(`${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`);

      // uPlot's CSS is there: the cursor overlay lies on the plot, and the legend below it.
      const canvas = (await page.locator(".uplot canvas").boundingBox())!;
      const legend = (await page.locator(".uplot .u-legend").boundingBox())!;
      expect(over.y, "the cursor overlay lies on the canvas").toBeLessThan(canvas.y + canvas.height);
      expect(legend.y, "the legend starts below the plot").toBeGreaterThanOrEqual(canvas.y + canvas.height - 1);
      expect(problems).toEqual([]);
      const line = (await page.evaluate(LINE)) as { color: string; pixels: number };
      console.log(`[readme] quick start: ${line.pixels} pixels of ${line.color}, cursor time "${xLabel}", legend ${Math.round(legend.y - canvas.y - canvas.height)} px below the plot`);
    } finally {
      await page.close();
    }
  });
});
