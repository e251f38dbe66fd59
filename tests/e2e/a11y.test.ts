/**
 * Accessibility and first impressions in real Chromium: an axe-core audit of the live page
 * with the performance HUD closed and open (no critical violation), the system's colour
 * scheme chosen on a first visit, and the time under the cursor shown while hovering a chart.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startDashboard, type Dashboard } from "./harness.ts";

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let dashboard: Dashboard;
let browser: Browser;

beforeAll(async () => {
  [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

async function open(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  await page.goto(dashboard.url);
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
  return page;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page as it is now; returns its violations. */
async function audit(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) {
    await page.addScriptTag({ content: await readFile(AXE_SOURCE, "utf8") });
  }
  return (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
  })))`)) as AxeViolation[];
}

const critical = (violations: AxeViolation[]) =>
  violations.filter((v) => v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);

describe("accessibility", () => {
  it("has no critical axe violation with the HUD closed, then open", async () => {
    const page = await open({ colorScheme: "dark" });
    try {
      await expect.poll(() => page.locator('[data-testid="card-value"]').first().textContent(), { timeout: 5000 }).toMatch(/^\$?\d/);
      const hudButton = page.getByRole("button", { name: "HUD" });
      expect(await hudButton.getAttribute("aria-pressed")).toBe("false");
      expect(critical(await audit(page))).toEqual([]);

      await hudButton.click();
      await page.getByRole("complementary", { name: "Performance" }).waitFor();
      expect(await hudButton.getAttribute("aria-controls")).toBe("perf-hud");
      expect(critical(await audit(page))).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

describe("first visit", () => {
  for (const scheme of ["dark", "light"] as const) {
    it(`follows a ${scheme} system colour scheme`, async () => {
      const page = await open({ colorScheme: scheme });
      try {
        expect(await page.evaluate("localStorage.getItem('pulseboard.theme')")).toBeNull();
        expect(await page.evaluate("document.documentElement.dataset.theme")).toBe(scheme);
        expect(await page.evaluate("getComputedStyle(document.documentElement).colorScheme")).toBe(scheme);
      } finally {
        await page.context().close();
      }
    });
  }
});

describe("hovering a chart", () => {
  it("shows the time under the cursor, and hides it when the pointer leaves", async () => {
    const page = await open({ colorScheme: "dark" });
    try {
      const traffic = page.getByRole("region", { name: "Traffic" });
      await expect.poll(() => traffic.locator(".legend__value").first().textContent(), { timeout: 5000 }).toMatch(/^\d/);
      const plot = (await traffic.locator(".u-over").boundingBox())!;
      // Three quarters of the way across a 60 s window: about 15 s before the newest sample.
      await page.mouse.move(plot.x + plot.width * 0.75, plot.y + plot.height / 2);
      const time = traffic.getByTestId("chart-time");
      await time.waitFor({ timeout: 2000 });
      const text = (await time.textContent()) ?? "";
      expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
      // How far before now that time is, on the page's own clock and time zone (mod 24 h).
      const behindMs = (await page.evaluate(`(() => {
        const [h, m, s] = ${JSON.stringify(text)}.split(":").map(Number);
        const now = new Date();
        const at = new Date(now);
        at.setHours(h, m, 0, 0);
        at.setTime(at.getTime() + s * 1000);
        return (((now.getTime() - at.getTime()) % 86400000) + 86400000) % 86400000;
      })()`)) as number;
      expect(behindMs).toBeGreaterThan(10_000);
      expect(behindMs).toBeLessThan(22_000);

      await page.mouse.move(plot.x + plot.width / 2, plot.y - 60); // off the chart
      await expect.poll(() => time.count(), { timeout: 2000 }).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});
