/**
 * Layout against text the dashboard does not control, in real Chromium at a laptop's and a
 * phone's width: 100 000-character metric labels, units, event texts, event sources, host
 * names and source names (the mock server pads them: `--long-labels`, `--long-units`,
 * `--long-event-text`). The page never becomes wider than the viewport, every such text stays
 * inside its panel on one line with an ellipsis and its full text as the tooltip, and legends
 * keep their height (one row per item, three at most).
 *
 * Also: the docked performance HUD covers nothing, and the connection's failure reason is
 * readable on a phone.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startDashboard, type Dashboard } from "./harness.ts";

const LONG = 100_000;
/** A laptop, the narrowest width of the wall layout (12 columns), a phone. */
const WIDTHS = [1440, 1200, 390] as const;
const viewport = (width: number) => ({ width, height: width >= 1200 ? 900 : 3200 });

let browser: Browser;
/** Long labels (host names too), event texts and sources; few hosts and events keep the frames small. */
let longLabels: Dashboard;
/** Long units (the hello frame holds labels or units of 100 000 characters, not both: 4 MiB). */
let longUnits: Dashboard;
/** The stock mock server. */
let plain: Dashboard;
/** A server that wants a token the page does not have: the connection fails for good. */
let locked: Dashboard;

beforeAll(async () => {
  [browser, longLabels, longUnits, plain, locked] = await Promise.all([
    launchChromium(),
    startDashboard(`--hosts 5 --events-rate 2 --long-labels ${LONG} --long-event-text ${LONG}`),
    startDashboard(`--hosts 5 --long-units ${LONG}`),
    startDashboard(),
    startDashboard("--token not-in-the-page"),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([longLabels?.close(), longUnits?.close(), plain?.close(), locked?.close()]);
});

/**
 * A page at `width`. The phone's viewport is tall enough to show the whole board: charts out
 * of view skip their redraws, and the status chart computes its legend's rates when it draws.
 */
async function open(url: string, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: viewport(width), deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** True once every element matching `selector` (at least one) has at least `length` characters. */
const textsReach = (selector: string, length: number) => `(() => {
  const all = [...document.querySelectorAll(${JSON.stringify(selector)})];
  return all.length > 0 && all.every((e) => (e.textContent ?? "").length >= ${length});
})()`;

interface LayoutReport {
  scrollWidth: number;
  clientWidth: number;
  /** Texts checked (displayed ones), per selector. */
  checked: Record<string, number>;
  problems: string[];
}

/**
 * Measures the page: document width, and for every untrusted text element that is displayed,
 * that it stays inside its box on one line and, when it does not fit, is cut with an ellipsis
 * and carries its full text as a tooltip; for every legend, that it takes one row per item
 * and three rows at most, and leaves its chart inside the panel.
 */
const LAYOUT = `(() => {
  const report = { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, checked: {}, problems: [] };
  const inside = (el, box) => {
    const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    return r.left >= b.left - 0.5 && r.right <= b.right + 0.5;
  };
  const texts = [
    // selector, the box it must stay in, where its tooltip is
    [".header__source-name", ".header", "self"],
    [".card__label", ".card", "self"],
    [".card__unit", ".card", "self"],
    [".legend__label", ".panel", "button"],
    [".legend__value", ".panel", "button"],
    [".donut__name", ".panel", "self"],
    [".event__text", ".events__viewport", "self"],
    [".event__source", ".events__viewport", "source"],
    [".hosts__name", ".hosts__table", "self"],
  ];
  for (const [selector, boxSelector, tooltip] of texts) {
    report.checked[selector] = 0;
    for (const el of document.querySelectorAll(selector)) {
      if (el.getClientRects().length === 0) continue; // not displayed (a phone hides event sources)
      report.checked[selector]++;
      const text = el.textContent ?? "";
      const where = selector + " (" + text.length + " characters)";
      if (!inside(el, el.closest(boxSelector))) report.problems.push(where + " leaves its " + boxSelector);
      if (el.getBoundingClientRect().height > 30) report.problems.push(where + " wraps: " + Math.round(el.getBoundingClientRect().height) + " px tall");
      if (el.scrollWidth <= el.clientWidth + 1) continue; // it fits
      if (getComputedStyle(el).textOverflow !== "ellipsis") report.problems.push(where + " is cut without an ellipsis");
      const title = tooltip === "self" ? el.title : tooltip === "button" ? el.closest("button").title : el.title.replace(/ \\([a-z]+\\)$/, "");
      if (!title.includes(text)) report.problems.push(where + " is cut, and its tooltip does not hold the full text");
    }
  }
  // The donut's centre label (SVG text) stays inside the ring's hole.
  for (const label of document.querySelectorAll(".donut__center-label")) {
    const svg = label.closest("svg").getBoundingClientRect();
    const hole = svg.width * (2 * 60) / 200;
    if (label.getBoundingClientRect().width > hole) report.problems.push("the donut's centre label is wider than the ring's hole");
  }
  for (const legend of document.querySelectorAll(".legend")) {
    const panel = legend.closest(".panel").getBoundingClientRect();
    const chart = legend.parentElement.querySelector(".chart").getBoundingClientRect();
    const rect = legend.getBoundingClientRect();
    const items = legend.querySelectorAll("li").length;
    const name = legend.closest(".panel").getAttribute("aria-label");
    if (rect.height > Math.min(items, 3) * 24 + 4) report.problems.push(name + " legend is " + Math.round(rect.height) + " px tall for " + items + " items");
    if (rect.right > panel.right + 0.5) report.problems.push(name + " legend leaves its panel");
    if (chart.bottom > panel.bottom + 0.5 || chart.height < 60) report.problems.push(name + " chart is pushed out of its panel (legend " + Math.round(rect.height) + " px, chart " + Math.round(chart.height) + " px, " + Math.round(panel.bottom - chart.bottom) + " px above the panel's bottom)");
  }
  return report;
})()`;

function expectBounded(report: LayoutReport, width: number): void {
  expect(report.problems).toEqual([]);
  expect(report.clientWidth).toBe(width);
  expect(report.scrollWidth).toBe(width);
}

describe("untrusted text of 100 000 characters", () => {
  for (const width of WIDTHS) {
    it(`labels, host names, event texts and sources keep the page ${width} px wide`, async () => {
      const page = await open(longLabels.url, width);
      try {
        await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
        // The donut shows region names without the label's "Traffic share: " prefix.
        for (const selector of ['[data-metric="cpu.usage"] .card__label', ".donut__name", ".hosts__name", ".event__text"]) {
          await page.waitForFunction(textsReach(selector, LONG - 100), undefined, { timeout: 15_000 });
        }
        await page.locator(".donut__center-label").waitFor({ timeout: 5000 });
        const report = (await page.evaluate(LAYOUT)) as LayoutReport;
        expect(report.checked[".hosts__name"]).toBe(5);
        expect(report.checked[".event__text"]).toBeGreaterThan(0);
        expect(report.checked[".event__source"]).toBe(width > 560 ? report.checked[".event__text"] : 0);
        expectBounded(report, width);
      } finally {
        await page.context().close();
      }
    });

    it(`units keep the page ${width} px wide and every legend within three rows`, async () => {
      const page = await open(longUnits.url, width);
      try {
        await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
        await page.waitForFunction(textsReach(".card__unit", LONG), undefined, { timeout: 15_000 });
        await page.waitForFunction(textsReach(".legend__value", LONG), undefined, { timeout: 15_000 });
        const report = (await page.evaluate(LAYOUT)) as LayoutReport;
        expect(report.checked[".legend__value"]).toBe(14); // 2 + 3 + 4 + 2 + 3 series
        expectBounded(report, width);
      } finally {
        await page.context().close();
      }
    });

    it(`a source name keeps the page ${width} px wide`, async () => {
      const source = `tenant-${"x".repeat(LONG / 2)} ${"lorem ipsum ".repeat(LONG / 24)}`.slice(0, LONG);
      const url = `${longLabels.url}?source=${encodeURIComponent(source)}`;
      const context = await browser.newContext({ viewport: viewport(width), deviceScaleFactor: 1 });
      const page = await context.newPage();
      try {
        // A request line this long exceeds Node's header limit (431), so the page itself is
        // answered here: the dashboard reads the name from its address, as it would anywhere.
        const html = await (await fetch(longLabels.url)).text();
        await page.route((u) => u.pathname === "/", (route) => route.fulfill({ contentType: "text/html", body: html }));
        await page.goto(url);
        await page.waitForFunction(textsReach(".header__source-name", LONG), undefined, { timeout: 15_000 });
        const report = (await page.evaluate(LAYOUT)) as LayoutReport;
        expect(report.checked[".header__source-name"]).toBe(1);
        expectBounded(report, width);
      } finally {
        await context.close();
      }
    });
  }
});

describe("performance HUD", () => {
  for (const width of [1440, 1200]) {
    it(`is docked at ${width} px: it covers no card or panel, and the hosts' CPU column stays visible`, async () => {
      const page = await open(plain.url, width);
      try {
        await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
        await page.getByRole("button", { name: "HUD" }).click();
        const hud = page.getByRole("complementary", { name: "Performance" });
        await hud.waitFor();
        await expect.poll(() => page.locator(".hosts__viewport .hosts__row").count(), { timeout: 5000 }).toBeGreaterThan(3);
        const covered = (await page.evaluate(`(() => {
          const hud = document.querySelector(".hud").getBoundingClientRect();
          const overlaps = (r) => r.left < hud.right && r.right > hud.left && r.top < hud.bottom && r.bottom > hud.top;
          const boxes = [...document.querySelectorAll(".card, .panel")].filter((el) => overlaps(el.getBoundingClientRect()));
          // What a pointer finds at the middle of each CPU cell in the table's view is that cell.
          const view = document.querySelector(".hosts__viewport").getBoundingClientRect();
          const cells = [...document.querySelectorAll(".hosts__viewport .hosts__row .hosts__num")].filter((cell) => {
            const r = cell.getBoundingClientRect();
            return r.top + r.height / 2 > view.top && r.top + r.height / 2 < Math.min(view.bottom, innerHeight);
          });
          const hidden = cells.filter((cell) => {
            const r = cell.getBoundingClientRect();
            return !cell.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
          });
          return { boxes: boxes.map((el) => el.getAttribute("aria-label") ?? el.dataset.metric), cells: cells.length, hiddenCells: hidden.length, hudFits: document.querySelector(".hud").scrollWidth <= document.querySelector(".hud").clientWidth };
        })()`)) as { boxes: string[]; cells: number; hiddenCells: number; hudFits: boolean };
        expect(covered.cells).toBeGreaterThan(3);
        expect(covered).toMatchObject({ boxes: [], hiddenCells: 0, hudFits: true });
        // The board still fills the viewport exactly: nothing below the fold.
        expect(await page.evaluate("document.documentElement.scrollHeight")).toBe(900);
      } finally {
        await page.context().close();
      }
    });
  }
});

describe("connection failure on a phone", () => {
  it("shows the whole reason, wrapped, inside the 390 px screen", async () => {
    const page = await open(locked.url, 390);
    try {
      await page.getByRole("status").filter({ hasText: "Connection failed" }).waitFor({ timeout: 15_000 });
      const reason = (await page.evaluate(`(() => {
        const el = document.querySelector(".connection__reason");
        const r = el.getBoundingClientRect();
        return { text: el.textContent, left: r.left, right: r.right, cut: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight, scrollWidth: document.documentElement.scrollWidth };
      })()`)) as { text: string; left: number; right: number; cut: boolean; scrollWidth: number };
      expect(reason.text).toMatch(/4401/);
      expect(reason.cut).toBe(false);
      expect(reason.left).toBeGreaterThanOrEqual(0);
      expect(reason.right).toBeLessThanOrEqual(390);
      expect(reason.scrollWidth).toBe(390);
    } finally {
      await page.context().close();
    }
  });
});
