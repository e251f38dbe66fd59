/**
 * The production build in real Chromium: the dashboard built by Vite (`vite build`, as in
 * `npm run build`) and served by Vite's preview server with the mock metrics server attached
 * (`npm run preview`). It goes live, its numbers change, its charts draw, the page logs no
 * error, and the dev-only debug handle (`window.pulseboard`, docs/architecture.md,
 * "Debugging") is neither on the page nor in the bundle.
 *
 * The build goes to a temporary directory, removed afterwards: a test run leaves the
 * repository's dist/ as it was.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard, launchChromium, startPreview, type PreviewDashboard } from "./harness.ts";
import { CARD_VALUES, CHART_PIXELS } from "./page-probes.ts";

let outDir: string;
let dashboard: PreviewDashboard | undefined;
let browser: Browser | undefined;
let page: Page;
/** Page errors, console errors, crashes, reloads. */
const problems: string[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "pulseboard-preview-"));
  const [, launched] = await Promise.all([buildDashboard(outDir), launchChromium()]);
  browser = launched;
  dashboard = await startPreview(outDir);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("crash", () => problems.push("the page crashed"));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  let loads = 0;
  page.on("load", () => {
    if (++loads > 1) problems.push("the page reloaded");
  });
  await page.goto(dashboard.url);
  try {
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 10_000 });
  } catch (error) {
    const status = await page.locator(".connection[role=status]").textContent().catch(() => null);
    throw new Error(`the production build never showed "Live" within 10 s (status: ${JSON.stringify(status)}; ${problems.join("; ") || "no page errors"})`, { cause: error });
  }
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

describe("production build (vite build + vite preview)", () => {
  it("serves the built bundle, not the sources", async () => {
    const html = await (await fetch(dashboard!.url)).text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toContain("/src/main.tsx");
  });

  it("shows live numbers that change", async () => {
    await expect.poll(() => page.evaluate(CARD_VALUES), { timeout: 5000, message: "no card shows a number" }).toMatch(/(^|\|)\d/);
    const first = await page.evaluate(CARD_VALUES);
    await expect.poll(() => page.evaluate(CARD_VALUES), { timeout: 5000, message: "card values did not change within 5 s" }).not.toBe(first);
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/WebSocket · RTT \d+ ms/);
  });

  it("draws the charts", async () => {
    await expect
      .poll(async () => Math.max(0, ...((await page.evaluate(CHART_PIXELS)) as number[])), { timeout: 5000, message: "no chart canvas has drawn pixels" })
      .toBeGreaterThan(1000);
  });

  it("has no debug handle: window.pulseboard is absent from the page and from the bundle", async () => {
    expect(await page.evaluate("typeof window.pulseboard")).toBe("undefined");
    const assets = join(outDir, "assets");
    const scripts = (await readdir(assets)).filter((name) => name.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const name of scripts) {
      // The dev build assigns `window.pulseboard = handle` (src/app/debug-handle.ts).
      expect(await readFile(join(assets, name), "utf8"), `assets/${name}`).not.toMatch(/\.pulseboard\s*=/);
    }
  });

  it("logs no page error or console error", () => {
    expect(problems).toEqual([]);
  });
});
