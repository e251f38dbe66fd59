/**
 * The dashboard in real Chromium while the mock server injects network faults (docs/protocol.md,
 * "Fault injection"): dropped connections, refused WebSocket upgrades, a half-open (stalled)
 * socket, garbage frames and frames lost on a socket that stays open. Each scenario asserts what a person watching sees (the connection
 * status, numbers that keep changing, a page that neither crashes nor reloads) and that the data
 * stays correct: every seq applied exactly once, no gap, and the charted series equal to the
 * generator's values on an unbroken time grid.
 *
 * A fault acts on a whole server, so each scenario runs its own dashboard. They run concurrently:
 * the stall and the polling fallback each take about 10 s of the client's own timers (the
 * dashboard's 6 s heartbeat timeout and 5 s WebSocket probe, stream-config.ts).
 *
 * The tests reach the page's client through the dev build's debug handle, `window.pulseboard`.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it, type ExpectStatic } from "vitest";
import { DEFAULTS as MOCK_DEFAULTS, generateValue, type FaultSpec } from "@pulseboard/mock-server";
import { MANAGER_DEFAULTS, type ManagerStats } from "@pulseboard/realtime-client";
import { stallThresholdMs } from "../../src/app/liveness.ts";
import { dashboardClientOptions } from "../../src/app/stream-config.ts";
import { injectFault, launchChromium, startDashboard, type Dashboard } from "./harness.ts";
import {
  CARD_VALUES,
  CHART_PIXELS,
  CLIENT,
  CLIENT_READY,
  CLIENT_STATS,
  RECORD_STATUS,
  STATUS_LOG,
  seriesSnapshot,
  statusReached,
} from "./page-probes.ts";

/** What the dashboard configures (stream-config.ts), with the client's defaults under it. */
const CONFIG = dashboardClientOptions({ protocol: "http:", host: "127.0.0.1" }, "default");
const HEARTBEAT_TIMEOUT_MS = CONFIG.heartbeat?.timeoutMs ?? MANAGER_DEFAULTS.heartbeat.timeoutMs;
const PROBE_INTERVAL_MS = CONFIG.fallback?.probeIntervalMs ?? MANAGER_DEFAULTS.fallback.probeIntervalMs;
const HOLE_WAIT_MS = CONFIG.holeRepair?.waitMs ?? MANAGER_DEFAULTS.holeRepair.waitMs;
/** Silence after which the status shows "Stalled", for the mock server's tick. */
const STALLED_AFTER_MS = stallThresholdMs(MOCK_DEFAULTS.tickMs);

/** The mock server's defaults: `--seed 1`, and the page watches source `default`. */
const SEED = 1;
const SOURCE = "default";
/**
 * What Chromium logs while the `outage` fault resets every WebSocket upgrade and API request of
 * the page's server: a failed WebSocket, and fetches that got no response.
 */
const OUTAGE_CONSOLE_ERRORS: readonly RegExp[] = [
  /^WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/ws\?source=default' failed: Connection closed before receiving a handshake response$/,
  /^Failed to load resource: net::ERR_EMPTY_RESPONSE$/,
];

/** Series compared with the generator: core metrics (prefilled from history, then streamed) and a host. */
const CHECKED = ["cpu.usage", "requests.rate", "latency.p99", "revenue.total", "host.h-00001.cpu"];

interface StatusEntry {
  /** performance.now() in the page. */
  t: number;
  state: string;
  /** The status shows "Stalled" (up, but nothing arrives). */
  stalled: boolean;
  label: string;
  detail: string;
  /** What the metric cards' live dots show, distinct values joined by commas ("live"). */
  dots: string;
}

interface Scenario {
  dashboard: Dashboard;
  page: Page;
  /** Page errors, console errors not tolerated, crashes, reloads. */
  problems: string[];
  stats(): Promise<ManagerStats>;
  statusLog(): Promise<StatusEntry[]>;
  /** Page time now (ms, performance.now()), to compare with status log entries. */
  pageNow(): Promise<number>;
  close(): Promise<void>;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A dashboard of its own, loaded, live, with its client at hand and its status recorded.
 * @param tolerateRefusedUpgrades - accept Chromium's console error for a WebSocket upgrade
 *   answered with HTTP 503 (the `refuse-upgrades` fault), and no other.
 * @param alsoTolerated - further console errors to accept (a fault's own), matched whole.
 */
async function openScenario(tolerateRefusedUpgrades = false, alsoTolerated: readonly RegExp[] = []): Promise<Scenario> {
  const dashboard = await startDashboard();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const wsUrl = `${dashboard.url.replace(/^http/, "ws")}ws?source=${SOURCE}`;
  const tolerated = tolerateRefusedUpgrades
    ? [new RegExp(`^WebSocket connection to '${escapeRegExp(wsUrl)}' failed: Error during WebSocket handshake: Unexpected response code: 503$`)]
    : [];
  tolerated.push(...alsoTolerated);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("crash", () => problems.push("the page crashed"));
  page.on("console", (message) => {
    if (message.type() === "error" && !tolerated.some((re) => re.test(message.text()))) problems.push(`console error: ${message.text()}`);
  });
  let loads = 0;
  page.on("load", () => {
    if (++loads > 1) problems.push("the page reloaded");
  });

  await page.goto(dashboard.url);
  await page.locator('.connection[role=status][data-state="open"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(`${CARD_VALUES}.split("|").some((v) => /^\\d/.test(v))`, undefined, { timeout: 10_000 });
  await page.evaluate(CLIENT_READY);
  await page.evaluate(RECORD_STATUS);
  return {
    dashboard,
    page,
    problems,
    stats: async () => (await page.evaluate(CLIENT_STATS)) as ManagerStats,
    statusLog: async () => (await page.evaluate(STATUS_LOG)) as StatusEntry[],
    pageNow: async () => (await page.evaluate("performance.now()")) as number,
    close: async () => {
      await context.close();
      await dashboard.close();
    },
  };
}

const showLog = (log: StatusEntry[], since = 0): string =>
  log
    .filter((e) => e.t >= since)
    .map((e) => `+${Math.round(e.t - since)} ms ${e.state}${e.stalled ? " (stalled)" : ""} "${e.label}" ${e.detail}`)
    .join("\n  ");

/** Waits for an expression to become truthy in the page; on timeout, fails with `what`, the status log and the counters. */
async function waitUntil(s: Scenario, expression: string, timeoutMs: number, what: string, since = 0): Promise<void> {
  try {
    await s.page.waitForFunction(expression, undefined, { timeout: timeoutMs, polling: 100 });
  } catch (error) {
    const stats = await s.stats().catch(() => null);
    const counters = stats && { state: stats.state, transport: stats.transport, reconnects: stats.reconnects, fallbacks: stats.fallbacks, seq: stats.seq };
    throw new Error(
      `${what} (waited ${timeoutMs / 1000} s)\nstatus:\n  ${showLog(await s.statusLog(), since)}\nclient: ${JSON.stringify(counters)}`,
      { cause: error },
    );
  }
}

const fault = async (s: Scenario, spec: FaultSpec): Promise<{ from: number; at: number }> => {
  const from = (await s.statusLog()).length;
  const at = await s.pageNow();
  await injectFault(s.dashboard, spec);
  return { from, at };
};

/** The metric cards show new numbers within `ms`. */
async function expectNumbersChange(s: Scenario, expect: ExpectStatic, what: string, ms = 5000): Promise<void> {
  const before = await s.page.evaluate(CARD_VALUES);
  await expect.poll(() => s.page.evaluate(CARD_VALUES), { timeout: ms, interval: 100, message: what }).not.toBe(before);
}

/**
 * Problems of one series: times off the metric's grid, a missing or repeated sample, a value
 * that is not the generator's, or a series that stopped. Empty when it is right.
 */
function seriesProblems(id: string, series: { rateHz: number; t: number[]; v: number[] } | null): string[] {
  if (series === null) return [`${id}: no such series in the client`];
  const { t, v } = series;
  if (t.length === 0) return [`${id}: no samples`];
  const interval = Math.max(1, Math.round(1000 / series.rateHz));
  const problems: string[] = [];
  const iso = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
  for (let i = 0; i < t.length && problems.length < 5; i++) {
    if (t[i] % interval !== 0) problems.push(`${id}: t=${iso(t[i])} is off the ${interval} ms grid`);
    if (i > 0 && t[i] - t[i - 1] !== interval) {
      problems.push(`${id}: ${t[i] - t[i - 1]} ms between samples at ${iso(t[i - 1])} and ${iso(t[i])} (expected ${interval})`);
    }
    const expected = generateValue(SEED, SOURCE, id, t[i]);
    if (v[i] !== expected) problems.push(`${id}: ${v[i]} at ${iso(t[i])}, the generator says ${expected}`);
  }
  const lag = Date.now() - t[t.length - 1];
  if (lag > 5000 + interval) problems.push(`${id}: newest sample is ${lag} ms old`);
  return problems;
}

/**
 * The data is intact: no gap reported or hole marked, every frame of this fresh server's
 * stream applied exactly once (the dashboard starts from what the server retains, so from seq
 * 1), and the checked series are unbroken and equal to the generator.
 */
async function expectDataIntact(s: Scenario, expect: ExpectStatic): Promise<ManagerStats & { samplesChecked: number }> {
  const stats = await s.stats();
  expect(stats.epoch, "one epoch").not.toBeNull();
  expect(stats.gapsReported, "gaps reported").toBe(0);
  expect(stats.holesMarked, "holes marked").toBe(0);
  expect(CONFIG.startFrom).toBe("retained");
  expect(stats.framesApplied, `frames applied vs seq ${stats.seq}: each seq from 1 applied once`).toBe(stats.seq);
  expect(stats.pointsDroppedBy, "points dropped other than ring overflow").toEqual({ ...stats.pointsDroppedBy, nonFinite: 0, outOfOrder: 0, unknownMetric: 0 });
  const series = (await s.page.evaluate(seriesSnapshot(CHECKED))) as Record<string, { rateHz: number; t: number[]; v: number[] } | null>;
  expect(CHECKED.flatMap((id) => seriesProblems(id, series[id])), "series vs the generator").toEqual([]);
  return { ...stats, samplesChecked: CHECKED.reduce((n, id) => n + (series[id]?.t.length ?? 0), 0) };
}

/** What a person reads in the HUD: no point was dropped (beyond rings evicting their oldest). */
async function expectHudShowsNoDroppedPoints(s: Scenario, expect: ExpectStatic): Promise<void> {
  await s.page.getByRole("button", { name: "HUD" }).click();
  await expect.poll(() => s.page.getByTestId("hud-dropped-points").textContent(), { timeout: 3000 }).toBe("0");
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe.concurrent("dashboard under network faults", () => {
  it("dropped connections: shows Reconnecting, then Live again, and loses nothing", async ({ expect }) => {
    const s = await openScenario();
    try {
      const outages: number[] = [];
      for (let i = 1; i <= 3; i++) {
        const { from, at } = await fault(s, { kind: "drop" });
        await waitUntil(s, statusReached(from, ["reconnecting", "open"]), 10_000, `drop ${i}: the status did not go "Reconnecting…" then "Live"`, at);
        const log = (await s.statusLog()).slice(from);
        const down = log.findIndex((e) => e.state === "reconnecting");
        const up = log.findIndex((e, j) => j > down && e.state === "open");
        expect(log[down].label).toMatch(/^Reconnecting/);
        expect(log[down].detail).toMatch(/1006/);
        expect(log[up].label).toBe("Live");
        expect(log[up].detail).toMatch(/^WebSocket/);
        outages.push(log[up].t - log[down].t);
      }
      await expectNumbersChange(s, expect, "numbers did not change after the reconnects");
      const stats = await expectDataIntact(s, expect);
      expect(stats.reconnects).toBeGreaterThanOrEqual(3);
      expect(stats.transport).toBe("websocket");
      await expectHudShowsNoDroppedPoints(s, expect);
      expect(s.problems).toEqual([]);
      console.log(
        `[faults] drop x3: "Reconnecting…" for ${outages.map((ms) => Math.round(ms)).join(", ")} ms; reconnects ${stats.reconnects}, ` +
          `gaps ${stats.gapsReported}, duplicates dropped ${stats.duplicatesDropped}, frames applied ${stats.framesApplied} = seq ${stats.seq}, ${stats.samplesChecked} samples equal to the generator`,
      );
    } finally {
      await s.close();
    }
  });

  it("refused upgrades: falls back to HTTP polling with live numbers, then returns to WebSocket soon after", async ({ expect }) => {
    const s = await openScenario(true);
    try {
      // Refuse upgrades, then drop the socket: the reconnects are refused and the client falls
      // back (within a second: a few quick retries). The refusal outlasts the first WebSocket
      // probe made while polling, so that one is refused too; a later probe gets through.
      const refuseMs = PROBE_INTERVAL_MS + 2000;
      const { from, at } = await fault(s, { kind: "refuse-upgrades", durationMs: refuseMs });
      await injectFault(s.dashboard, { kind: "drop" });
      await waitUntil(s, statusReached(from, ["polling"]), 10_000, 'the status did not show "Live (polling)"', at);
      const polling = (await s.statusLog()).slice(from).find((e) => e.state === "polling")!;
      expect(polling.label).toBe("Live (polling)");
      expect(polling.detail).toMatch(/^HTTP polling/);
      await expectNumbersChange(s, expect, "numbers did not change while polling");
      expect(await s.page.locator(".connection[role=status]").getAttribute("data-state"), "still polling when the numbers changed").toBe("polling");

      // A probe every probeIntervalMs: the first one after the refusal ends gets through.
      await waitUntil(s, statusReached(from, ["polling", "open"]), refuseMs + PROBE_INTERVAL_MS + 5000, "the status did not return to WebSocket", at);
      const log = (await s.statusLog()).slice(from);
      const back = log.findIndex((e, j) => j > log.indexOf(polling) && e.state === "open");
      expect(log[back].label).toBe("Live");
      expect(log[back].detail).toMatch(/^WebSocket/);
      const afterRefusalMs = log[back].t - (at + refuseMs);
      // Within one probe interval of the refusal ending, not two (that would be 10 s or more):
      // the allowance past it is the failed probe's close and the make-before-break switch
      // (the new socket's hello, subscribe and catch-up), which took up to 2 s on a busy
      // 2-core machine running five dashboards at once.
      expect(afterRefusalMs, "back on WebSocket within a probe interval of the refusal ending").toBeLessThan(PROBE_INTERVAL_MS + 3000);
      expect((await s.stats()).fallbacks, "one fallback: the refused probe did not disturb polling").toBe(1);

      await expectNumbersChange(s, expect, "numbers did not change after returning to WebSocket");
      const stats = await expectDataIntact(s, expect);
      expect(stats.transport).toBe("websocket");
      await expectHudShowsNoDroppedPoints(s, expect);
      expect(s.problems).toEqual([]);
      console.log(
        `[faults] refuse-upgrades ${seconds(refuseMs)} + drop: "Live (polling)" after ${seconds(polling.t - at)}, back on WebSocket after ` +
          `${seconds(log[back].t - at)}, ${seconds(afterRefusalMs)} after the refusal ended (probe interval ${seconds(PROBE_INTERVAL_MS)}); fallbacks ${stats.fallbacks}, gaps ${stats.gapsReported}, ` +
          `duplicates dropped ${stats.duplicatesDropped}, frames applied ${stats.framesApplied} = seq ${stats.seq}, ${stats.samplesChecked} samples equal to the generator`,
      );
    } finally {
      await s.close();
    }
  });

  it("stall (half-open socket): shows Stalled within seconds, leaves Live at the heartbeat deadline and comes back", async ({ expect }) => {
    const s = await openScenario();
    try {
      const stallMs = HEARTBEAT_TIMEOUT_MS + 2000;
      const { from, at } = await fault(s, { kind: "stall", durationMs: stallMs });
      await waitUntil(s, statusReached(from, ["stalled"]), STALLED_AFTER_MS + 3000, 'the status did not show "Stalled" during the stall', at);
      await waitUntil(s, statusReached(from, ["stalled", "reconnecting"]), HEARTBEAT_TIMEOUT_MS + 8000, 'the status did not leave "Live" during the stall', at);
      await waitUntil(s, statusReached(from, ["stalled", "reconnecting", "open"]), stallMs - HEARTBEAT_TIMEOUT_MS + 10_000, 'the status did not return to "Live" after the stall', at);
      const log = (await s.statusLog()).slice(from);
      const stalled = log.findIndex((e) => e.stalled);
      const down = log.findIndex((e) => e.state === "reconnecting");
      const up = log.findIndex((e, j) => j > down && e.state === "open");

      // Stalled first: the client still says open, the status says nothing arrives, without
      // the round trip measured before the stall.
      expect(stalled).toBeLessThan(down);
      expect(log[stalled].state).toBe("open");
      expect(log[stalled].label).toMatch(/^Stalled — no data for \d+ s$/);
      expect(log[stalled].detail).toBe("WebSocket");
      expect(log[stalled].t - at, "not before the threshold").toBeGreaterThan(STALLED_AFTER_MS - 500);
      expect(log[stalled].t - at, "soon after the threshold").toBeLessThan(STALLED_AFTER_MS + 1500);
      expect(log.slice(stalled, down).every((e) => e.stalled && e.state === "open"), "stalled until the socket is replaced").toBe(true);
      // The cards' live dots show the same decision, in the same update.
      expect(log.slice(stalled, down).map((e) => e.dots)).toEqual(log.slice(stalled, down).map(() => "stalled"));
      expect(log[down].dots).toBe("offline");

      expect(log[down].label).toMatch(/^Reconnecting/);
      // Not before the deadline: a silent socket is dead only after heartbeat.timeoutMs.
      expect(log[down].t - at).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS - 1000);
      expect(log[up].label).toBe("Live");
      expect(log[up].stalled).toBe(false);
      expect(log[up].dots).toBe("live");
      expect(log[up].detail).toMatch(/^WebSocket/);

      await expectNumbersChange(s, expect, "numbers did not change after the stall");
      const stats = await expectDataIntact(s, expect);
      await expectHudShowsNoDroppedPoints(s, expect);
      expect(s.problems).toEqual([]);
      console.log(
        `[faults] stall ${seconds(stallMs)} (heartbeat timeout ${seconds(HEARTBEAT_TIMEOUT_MS)}): "${log[stalled].label}" after ${seconds(log[stalled].t - at)}, ` +
          `left "Live" after ${seconds(log[down].t - at)} ("${log[down].detail}"), "Live" again after ${seconds(log[up].t - at)}; reconnects ${stats.reconnects}, gaps ${stats.gapsReported}, ` +
          `duplicates dropped ${stats.duplicatesDropped}, frames applied ${stats.framesApplied} = seq ${stats.seq}, ${stats.samplesChecked} samples equal to the generator`,
      );
    } finally {
      await s.close();
    }
  });

  it("garbage frames: counted and dropped, the page stays Live and keeps updating", async ({ expect }) => {
    const s = await openScenario();
    try {
      const count = 20;
      const before = await s.stats();
      const seen = before.parseErrorsTotal + before.duplicatesDropped;
      const { from, at } = await fault(s, { kind: "garbage", count, variant: "mixed" });
      await waitUntil(
        s,
        `(() => { const s = ${CLIENT_STATS}; return s.parseErrorsTotal + s.duplicatesDropped >= ${seen + count}; })()`,
        10_000,
        `the client did not account for the ${count} garbage messages as rejected or duplicate frames`,
        at,
      );
      await expectNumbersChange(s, expect, "numbers did not change after the garbage");
      const stats = await expectDataIntact(s, expect);
      // Each garbage message counted exactly once: rejected by validation, or a duplicate seq.
      expect(stats.parseErrorsTotal + stats.duplicatesDropped - seen).toBe(count);
      const left = (await s.statusLog()).slice(from).filter((e) => e.state !== "open" || e.stalled);
      expect(left, "the status stayed Live (never stalled)").toEqual([]);
      expect(stats.reconnects).toBe(0);
      await expectHudShowsNoDroppedPoints(s, expect);
      expect(s.problems).toEqual([]);
      console.log(
        `[faults] garbage ${count} mixed: rejected ${stats.parseErrorsTotal - before.parseErrorsTotal} ` +
          `(${Object.entries(stats.parseErrors).filter(([, n]) => n > 0).map(([code, n]) => `${code} ${n}`).join(", ")}), ` +
          `duplicates ${stats.duplicatesDropped - before.duplicatesDropped}; status stayed Live, gaps ${stats.gapsReported}, ` +
          `frames applied ${stats.framesApplied} = seq ${stats.seq}, ${stats.samplesChecked} samples equal to the generator`,
      );
    } finally {
      await s.close();
    }
  });

  it("frames lost on an open socket: the client resubscribes, stays Live, catches up with the server and the charts have no hole", async ({ expect }) => {
    const s = await openScenario();
    try {
      // Under a second of the stream (a data frame per 100 ms, events about as often) lost on
      // the way while the socket stays open, as a shedding proxy does. Short enough that the
      // silence never reaches the "Stalled" threshold: what is checked is the seq.
      const lost = 10;
      const before = await s.stats();
      // When the client says it resubscribes for the hole (a `seq_hole` error), in page time.
      await s.page.evaluate(`(() => { window.__holeErrors = []; ${CLIENT}.on("error", (e) => { if (e.code === "seq_hole") window.__holeErrors.push(performance.now()); }); })()`);
      const { from, at } = await fault(s, { kind: "lose-frames", count: lost });
      // The server streams past the lost frames (and a few more): the client must follow.
      let serverSeq = 0;
      for (let i = 0; i < 100 && serverSeq < before.seq + lost + 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        serverSeq = ((await (await fetch(`${s.dashboard.url}api/snapshot?source=${SOURCE}`)).json()) as { seq: number }).seq;
      }
      await waitUntil(s, `${CLIENT_STATS}.seq >= ${serverSeq}`, 10_000, `the client's seq did not catch up with the server's ${serverSeq}`, at);
      const repairedAt = await s.pageNow();
      const [askedAt] = (await s.page.evaluate("window.__holeErrors")) as number[];
      await expectNumbersChange(s, expect, "numbers did not change after the hole");
      const stats = await expectDataIntact(s, expect);
      expect(stats.holesRepaired - before.holesRepaired, "the hole was filled by the replay").toBeGreaterThanOrEqual(1);
      expect(stats.resubscribes - before.resubscribes, "resubscribed from the cursor").toBeGreaterThanOrEqual(1);
      expect(stats.reconnects, "repaired on the same socket").toBe(0);
      expect(stats.duplicatesDropped - before.duplicatesDropped, "the held frames came again with the replay").toBeGreaterThan(0);
      const left = (await s.statusLog()).slice(from).filter((e) => e.state !== "open" || e.stalled);
      expect(left, "the status stayed Live (never stalled)").toEqual([]);
      await expectHudShowsNoDroppedPoints(s, expect);
      expect(s.problems).toEqual([]);
      console.log(
        `[faults] lose-frames ${lost}: resubscribed ${seconds(askedAt - at)} after the fault (the lost frames span about ${seconds(askedAt - at - HOLE_WAIT_MS)} of stream, ` +
          `then holeRepair.waitMs ${HOLE_WAIT_MS} ms), caught up within ${Math.round(repairedAt - askedAt)} ms of it (polled every 100 ms); ` +
          `resubscribes ${stats.resubscribes - before.resubscribes}, holes repaired ${stats.holesRepaired - before.holesRepaired}, duplicates dropped ${stats.duplicatesDropped - before.duplicatesDropped}; ` +
          `status stayed Live, gaps ${stats.gapsReported}, frames applied ${stats.framesApplied} = seq ${stats.seq} >= server ${serverSeq}, ${stats.samplesChecked} samples equal to the generator`,
      );
    } finally {
      await s.close();
    }
  });

  it("server down 30 s: says unreachable with a countdown, never Live, then recovers with no hole in the charts", async ({ expect }) => {
    const s = await openScenario(false, OUTAGE_CONSOLE_ERRORS);
    try {
      const outageMs = 30_000;
      const { from, at } = await fault(s, { kind: "outage", durationMs: outageMs });
      const downAt = Date.now();
      await waitUntil(s, statusReached(from, ["unreachable"]), 10_000, 'the status did not say "Server unreachable"', at);
      // A countdown moves while the outage lasts: the label counts a wait down second by second.
      await waitUntil(
        s,
        `(() => { const log = window.__statusLog.slice(${from}); const n = (e) => Number(/^Server unreachable — retrying in (\\d+) s$/.exec(e.label)?.[1] ?? NaN);
          return log.some((e, i) => i > 0 && log[i - 1].state === "unreachable" && e.state === "unreachable" && n(e) === n(log[i - 1]) - 1); })()`,
        outageMs - 3000,
        "the unreachable status did not count down",
        at,
      );
      // The status the page shows agrees with the client's own announced retry time.
      const sample = (await s.page.evaluate(`(() => ({ at: ${CLIENT_STATS}.nextRetryAt, now: Date.now(), state: ${CLIENT}.state,
        label: document.querySelector(".connection__label").textContent }))()`)) as { at: number | null; now: number; state: string; label: string };
      expect(sample.state).toBe("unreachable");
      const shownSeconds = Number(/retrying in (\d+) s$/.exec(sample.label)?.[1] ?? 0);
      if (sample.at !== null && shownSeconds > 0) expect(Math.abs(shownSeconds - Math.ceil((sample.at - sample.now) / 1000)), sample.label).toBeLessThanOrEqual(1);

      await waitUntil(s, statusReached(from, ["unreachable", "open"]), outageMs + PROBE_INTERVAL_MS + 15_000, 'the status did not return to "Live" after the outage', at);
      const upAt = downAt + outageMs;
      const log = (await s.statusLog()).slice(from);
      const first = log.findIndex((e) => e.state === "unreachable");
      const back = log.findIndex((e, i) => i > first && (e.state === "open" || e.state === "polling"));
      const during = log.slice(first, back);
      // From the first "unreachable" until the server answered again: never Live, never Stalled,
      // the live dots offline, and the label always the unreachable one with its countdown.
      expect(during.filter((e) => e.state !== "unreachable").map((e) => `${e.state} "${e.label}"`), "states while down").toEqual([]);
      expect(during.every((e) => /^Server unreachable — retrying (in \d+ s|now…)$/.test(e.label)), showLog(during)).toBe(true);
      expect(during.every((e) => !e.stalled && e.dots === "offline"), "no Stalled, dots offline").toBe(true);
      expect(log[first].t - at, "unreachable within seconds of the server going down").toBeLessThan(8000);
      expect(log[back].t - at, "not back before the server is").toBeGreaterThan(outageMs - 1000);
      const up = log.findIndex((e, i) => i >= back && e.state === "open");
      expect(log[up].label).toBe("Live");
      expect(log[up].detail).toMatch(/^WebSocket/);

      await expectNumbersChange(s, expect, "numbers did not change after the outage");
      // No hole: every seq applied once, no gap, and each checked series unbroken on its grid
      // across the whole outage (the rings reach back past it) and equal to the generator.
      const stats = await expectDataIntact(s, expect);
      const series = (await s.page.evaluate(seriesSnapshot(CHECKED))) as Record<string, { t: number[] } | null>;
      for (const id of CHECKED.filter((c) => !c.startsWith("host."))) {
        const t = series[id]!.t;
        expect(t[0], `${id} reaches back past the outage`).toBeLessThan(downAt);
        expect(t[t.length - 1], `${id} reaches past the outage`).toBeGreaterThan(upAt);
      }
      expect((await s.page.evaluate(CHART_PIXELS)) as number[], "every chart draws").not.toContain(0);
      expect(s.problems).toEqual([]);
      const countdown = during.map((e) => /in (\d+) s/.exec(e.label)?.[1] ?? "now").join(" ");
      console.log(
        `[faults] outage ${seconds(outageMs)}: "Server unreachable" after ${seconds(log[first].t - at)}, counting "${countdown}"; ` +
          `"${log[back].label}" after ${seconds(log[back].t - at)}, "Live" (WebSocket) after ${seconds(log[up].t - at)}; ` +
          `gaps ${stats.gapsReported}, duplicates dropped ${stats.duplicatesDropped}, frames applied ${stats.framesApplied} = seq ${stats.seq}, ${stats.samplesChecked} samples equal to the generator`,
      );
    } finally {
      await s.close();
    }
  }, 120_000);
});
