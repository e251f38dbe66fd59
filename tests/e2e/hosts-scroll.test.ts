/**
 * The hosts table with 10 000 hosts updating once a second, scrolled with the mouse wheel from
 * top to bottom and back while the frame rate and the renderer's main-thread load are measured
 * as in fps.test.ts. It prints the figures in the same format, and asserts what the table
 * promises: only a window of rows exists in the DOM at any moment, the scroll reaches the last
 * host, the visible rows show values, and the page keeps drawing (a loose floor: absolute
 * numbers depend on the machine).
 */
import { afterAll, expect, it } from "vitest";
import { frameLine, meterFrames, openFrameMeter } from "./frame-meter.ts";
import { launchChromium, startDashboard } from "./harness.ts";

const HOSTS = 10_000;
const MEASURE_MS = 3000;
/** Wheel events per pass from top to bottom (each a delta of 1/30 of the scroll range, some 330 rows). */
const WHEELS_PER_PASS = 30;
/** The wheel keeps going for the whole measurement, and until it has been down and back up once, but no longer than this. */
const SCROLL_LIMIT_MS = 10_000;
/** The virtualization promise: far fewer row elements than hosts, whatever the scroll position. */
const MAX_ROWS = 200;

const SCROLLER = '[data-testid="hosts-scroller"]';

/** Every host series has a value: `boolean` (the client's debug handle, as page-probes.ts uses it). */
const ALL_HOSTS_HAVE_VALUES = `(() => {
  const client = window.pulseboard?.manager;
  if (client === undefined) return false;
  const hosts = client.catalogue().filter((m) => m.group === "hosts");
  return hosts.length === ${HOSTS} && hosts.every((m) => Number.isFinite(client.series(m.id)?.lastValue));
})()`;

/**
 * Counts the host rows in the DOM after every change to the table's rows, keeping the largest
 * count in `window.__hostsRowsMax` and the number of changes in `window.__hostsRowsChanges`.
 */
const WATCH_ROWS = `(() => {
  const scroller = document.querySelector('${SCROLLER}');
  const count = () => scroller.querySelectorAll('[role=row]').length;
  window.__hostsRowsMax = count();
  window.__hostsRowsChanges = 0;
  new MutationObserver(() => {
    window.__hostsRowsChanges++;
    window.__hostsRowsMax = Math.max(window.__hostsRowsMax, count());
  }).observe(scroller, { childList: true, subtree: true });
})()`;

interface RowsWatch {
  max: number;
  changes: number;
}
const ROWS_WATCH = `({ max: window.__hostsRowsMax, changes: window.__hostsRowsChanges })`;

interface TableView {
  scrollTop: number;
  maxScroll: number;
  rows: number;
  /** Rows entirely inside the scroller's box. */
  visible: { index: number; label: string; value: string }[];
}

/** What the table shows: `TableView`. After two frames when `settle` (the rows follow the scroll event of the next frame). */
const tableView = (settle: boolean): string => `(async () => {
  if (${settle}) for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
  const scroller = document.querySelector('${SCROLLER}');
  const box = scroller.getBoundingClientRect();
  const rows = [...scroller.querySelectorAll('[role=row]')];
  const visible = rows
    .filter((row) => {
      const r = row.getBoundingClientRect();
      return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    })
    .map((row) => ({
      index: Number(row.getAttribute("aria-rowindex")),
      label: row.querySelector(".hosts__name")?.textContent ?? "",
      value: row.querySelector(".hosts__value")?.textContent ?? "",
    }))
    .sort((a, b) => a.index - b.index);
  return { scrollTop: scroller.scrollTop, maxScroll: scroller.scrollHeight - scroller.clientHeight, rows: rows.length, visible };
})()`;

/** Every visible row names a host and shows its CPU. */
function expectValues(view: TableView, where: string): void {
  expect(view.visible.length, `visible rows ${where}`).toBeGreaterThan(3);
  for (const row of view.visible) {
    expect(row.label, `row ${row.index} ${where}`).toMatch(/^CPU h-\d{5}$/);
    expect(row.value, `row ${row.index} ${where}`).toMatch(/^\d+(\.\d)?%$/);
  }
}

const browserPromise = launchChromium();
afterAll(async () => (await browserPromise).close());

it("scrolls the hosts table with 10 000 hosts smoothly, rendering only a window of rows", async () => {
  const dashboard = await startDashboard(`--hosts ${HOSTS}`);
  try {
    const browser = await browserPromise;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("crash", () => problems.push("the page crashed"));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    const cdp = await openFrameMeter(page);
    await page.goto(`${dashboard.url}?hud`);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 15_000 });
    const table = page.getByRole("table", { name: "CPU by host" });
    await expect.poll(() => table.getAttribute("aria-rowcount"), { timeout: 15_000 }).toBe(String(HOSTS + 1));
    await expect.poll(() => page.getByRole("region", { name: "Hosts" }).locator(".panel__subtitle").textContent()).toMatch(/^10\.0K hosts/);
    await page.waitForFunction(ALL_HOSTS_HAVE_VALUES, undefined, { timeout: 15_000 });
    await page.waitForTimeout(1000); // first redraws, JIT warm-up

    const top = (await page.evaluate(tableView(true))) as TableView;
    expect(top.scrollTop).toBe(0);
    expect(top.maxScroll).toBeGreaterThan((HOSTS - 100) * 28);
    expectValues(top, "at the top");
    expect(top.visible[0]?.index).toBe(2); // the first host, under the header row

    await page.evaluate(WATCH_ROWS);
    const box = (await page.locator(SCROLLER).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

    const rowCounts: number[] = [];
    let maxScrollTop = 0;
    let bottom: TableView | undefined;
    let back: TableView | undefined;
    const scroll = async (): Promise<void> => {
      const start = Date.now();
      const step = Math.ceil(top.maxScroll / WHEELS_PER_PASS);
      let direction = 1;
      while (Date.now() - start < (back === undefined ? SCROLL_LIMIT_MS : MEASURE_MS)) {
        await page.mouse.wheel(0, direction * step);
        const view = (await page.evaluate(tableView(false))) as TableView;
        rowCounts.push(view.rows);
        maxScrollTop = Math.max(maxScrollTop, view.scrollTop);
        if (direction === 1 && view.scrollTop >= view.maxScroll - 1) {
          bottom ??= (await page.evaluate(tableView(true))) as TableView;
          direction = -1;
        } else if (direction === -1 && view.scrollTop <= 0) {
          back ??= (await page.evaluate(tableView(true))) as TableView;
          direction = 1;
        }
      }
    };
    const r = await meterFrames(page, cdp, MEASURE_MS, scroll);
    const rows = (await page.evaluate(ROWS_WATCH)) as RowsWatch;
    const points = (await page.getByTestId("hud-points").textContent()) ?? "?";
    console.log(frameLine("hosts table scroll, 10 000 hosts", MEASURE_MS, r, points));
    await cdp.detach();

    // Only a window of rows, at every change of the rows and at every sample.
    expect(rows.changes, "row changes while scrolling").toBeGreaterThan(0);
    expect(rows.max, "row elements after any change").toBeLessThan(MAX_ROWS);
    expect(Math.max(...rowCounts), "row elements at any wheel event").toBeLessThan(MAX_ROWS);
    // The scroll went all the way down, showing the last host, and came back up.
    expect(maxScrollTop, "largest scrollTop").toBeGreaterThanOrEqual(top.maxScroll - 28);
    expect(bottom, "the wheel reached the bottom of the table").toBeDefined();
    expect(bottom!.visible.at(-1)?.index, "last visible row at the bottom (aria-rowindex)").toBe(HOSTS + 1);
    expectValues(bottom!, "at the bottom");
    expect(back, "the wheel scrolled back to the top").toBeDefined();
    expect(back!.visible[0]?.index).toBe(2);
    expectValues(back!, "back at the top");

    expect(problems).toEqual([]);
    expect(r.fps).toBeGreaterThan(5);
    expect(r.busy).toBeGreaterThan(0);
    expect(r.busy).toBeLessThan(1);
    await page.close();
  } finally {
    await dashboard.close();
  }
});
