/**
 * The dashboard in real Chromium against the real mock server: live numbers, charts that
 * draw, pause that freezes the view while data keeps coming, a theme that survives a
 * reload, and a screenshot of the whole dashboard.
 *
 * The screenshot goes to test-results/dashboard.png on every run (look at it after a failure);
 * `npm run screenshot` also writes docs/img/dashboard.png, the picture in the README, so that
 * an ordinary test run never changes a tracked file.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startDashboard, type Dashboard } from "./harness.ts";
import { CARD_VALUES, CHART_FINGERPRINT, CHART_PIXELS } from "./page-probes.ts";

const SCREENSHOT = fileURLToPath(new URL("../../test-results/dashboard.png", import.meta.url));
const README_SCREENSHOT = fileURLToPath(new URL("../../docs/img/dashboard.png", import.meta.url));

let dashboard: Dashboard;
let browser: Browser;
let page: Page;

const cardValue = (id: string) => page.locator(`[data-metric="${id}"] [data-testid="card-value"]`);

beforeAll(async () => {
  [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
  // A dark system scheme: the first visit follows it (the theme test starts from dark).
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, colorScheme: "dark" });
  page = await context.newPage();
  await page.goto(dashboard.url);
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

describe("dashboard", () => {
  it("shows live numbers that change", async () => {
    await expect.poll(() => cardValue("requests.rate").textContent(), { timeout: 5000 }).toMatch(/^\d/);
    const first = await page.evaluate(CARD_VALUES);
    await expect.poll(() => page.evaluate(CARD_VALUES), { timeout: 5000 }).not.toBe(first);
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/WebSocket · RTT \d+ ms/);
  });

  it("draws every chart (canvas pixels are not empty) and keeps redrawing them", async () => {
    await expect.poll(async () => Math.min(...((await page.evaluate(CHART_PIXELS)) as number[])), { timeout: 5000 }).toBeGreaterThan(1000);
    const pixels = (await page.evaluate(CHART_PIXELS)) as number[];
    expect(pixels.length).toBe(5);
    const before = await page.evaluate(CHART_FINGERPRINT);
    await expect.poll(() => page.evaluate(CHART_FINGERPRINT), { timeout: 5000 }).not.toBe(before);
  });

  it("pause freezes the view while points keep arriving; resume goes live again", async () => {
    await page.getByRole("button", { name: "Pause" }).click();
    await page.waitForTimeout(150); // the frame already in flight
    const values = await page.evaluate(CARD_VALUES);
    const charts = await page.evaluate(CHART_FINGERPRINT);
    const badge = page.getByTestId("paused-points");
    const points = async () => Number.parseFloat(((await badge.textContent()) ?? "").replace(/[^\d.]/g, ""));
    const firstCount = await points();

    await page.waitForTimeout(1000);
    expect(await page.evaluate(CARD_VALUES)).toBe(values);
    expect(await page.evaluate(CHART_FINGERPRINT)).toBe(charts);
    expect(await points()).toBeGreaterThan(firstCount); // ingest went on

    await page.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => page.evaluate(CARD_VALUES), { timeout: 3000 }).not.toBe(values);
    await expect.poll(() => page.evaluate(CHART_FINGERPRINT), { timeout: 3000 }).not.toBe(charts);
    expect(await badge.count()).toBe(0);
  });

  it("remembers the theme across a reload", async () => {
    const theme = () => page.evaluate("document.documentElement.dataset.theme");
    expect(await theme()).toBe("dark");
    await page.getByTestId("theme-toggle").click();
    expect(await theme()).toBe("light");
    await page.reload();
    expect(await theme()).toBe("light");
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await page.getByTestId("theme-toggle").click();
    expect(await theme()).toBe("dark");
  });

  it("saves a screenshot of the full dashboard", async () => {
    await page.reload();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    // History prefill and a few seconds of stream: full charts, trends, sparklines.
    await expect.poll(async () => Math.min(...((await page.evaluate(CHART_PIXELS)) as number[])), { timeout: 5000 }).toBeGreaterThan(1000);
    await page.mouse.move(1430, 890);
    await page.waitForTimeout(2500);
    await mkdir(fileURLToPath(new URL("../../test-results/", import.meta.url)), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT });
    expect(png.byteLength).toBeGreaterThan(20_000); // a blank page compresses to a few KB
    if (process.env.UPDATE_SCREENSHOT === "1") await copyFile(SCREENSHOT, README_SCREENSHOT);
  });
});
