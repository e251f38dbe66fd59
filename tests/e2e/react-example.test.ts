/**
 * The React example (packages/react/examples/live), served by Vite with the mock server
 * attached as `npm start` serves the dashboard, in real Chromium: under StrictMode it ends with
 * one open socket, shows the state `open`, a message rate, and values the deterministic
 * generator produced moments ago, which keep changing.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, generateValue } from "@pulseboard/mock-server";
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

/** The grid times of the last `withinMs` at which the generator gives the value as printed. */
function matchingTimes(id: string, printed: string, at: number, withinMs: number): number[] {
  const times: number[] = [];
  // Every 10 ms covers any grid of the catalogue (its rates are at most 100 Hz).
  for (let t = Math.floor(at / 10) * 10; t > at - withinMs; t -= 10) {
    if (generateValue(DEFAULTS.seed, "default", id, t).toFixed(1) === printed) times.push(t);
  }
  return times;
}

describe("the React example", () => {
  it("streams generator values into the page through the hooks, over one socket", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    let open = 0;
    page.on("websocket", (socket) => {
      if (new URL(socket.url()).pathname !== "/ws") return;
      open++;
      socket.on("close", () => open--);
    });
    try {
      await page.goto(`${dashboard.url}packages/react/examples/live/index.html`);
      await page.locator("#state", { hasText: "open" }).waitFor({ timeout: 20_000 });
      const cpu = page.locator('[data-metric="cpu.usage"] output');
      await expect.poll(() => cpu.textContent(), { timeout: 10_000, message: "a CPU value" }).toMatch(/^\d+\.\d$/);

      const printed = (await cpu.textContent())!;
      const matches = matchingTimes("cpu.usage", printed, Date.now(), 5000);
      expect(matches.length, `no time in the last 5 s at which the generator gives cpu.usage = ${printed}`).toBeGreaterThan(0);
      // The value moves on: the component re-renders with the stream.
      await expect.poll(() => cpu.textContent(), { timeout: 10_000, message: "the CPU value changes" }).not.toBe(printed);
      await expect.poll(async () => Number(/(\d+) msg\/s/.exec((await page.locator("main p").textContent()) ?? "")?.[1] ?? 0), { timeout: 5000 }).toBeGreaterThan(0);
      for (const id of ["memory.usage", "requests.rate"]) expect(await page.locator(`[data-metric="${id}"] output`).textContent()).toMatch(/^\d+\.\d$/);
      // StrictMode connected, closed and connected again: one socket is left.
      expect(open).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
