/**
 * Gaps the server reports, against the real mock server: a pause longer than the retention
 * window, and a restart of the server's stream (new epoch). Each is reported once with its
 * seq range, the time span is refilled from `/api/history` with the generator's values, and
 * what cannot be refilled is marked as a hole instead of being interpolated.
 */
import { WebSocket } from "ws";
import { afterEach, expect, it } from "vitest";
import { startMockServer, type RunningMockServer } from "@pulseboard/mock-server";
import { WebSocketManager } from "../src/client/manager.js";
import type { FetchLike } from "../src/transports/types.js";
import type { GapEvent, WebSocketManagerOptions } from "../src/client/types.js";
import { checkSeries, sleep, until } from "./helpers/live.js";

let server: RunningMockServer | undefined;
let manager: WebSocketManager | undefined;
afterEach(async () => {
  manager?.close();
  await server?.close();
});

async function connected(options: Partial<WebSocketManagerOptions> = {}, hosts = 2) {
  server = await startMockServer({ port: 0, tickMs: 20, rateHz: 50, hosts, eventsRate: 5, retentionMs: 300 });
  const m = new WebSocketManager({ url: server.wsUrl, WebSocket, startFrom: "retained", backoff: { minMs: 10, maxMs: 40 }, ...options });
  manager = m;
  const gaps: GapEvent[] = [];
  m.on("gap", (g) => gaps.push(g));
  m.connect();
  await until(() => m.state === "open", 3000, "open");
  await sleep(200);
  return { m, gaps, srv: server };
}

it("reports a gap beyond retention with its range and backfills it with the generator's values", async () => {
  const { m, gaps } = await connected();
  m.close();
  const lastSeq = m.stats().seq;
  const lastTime = m.series("cpu.usage")?.lastTime ?? NaN;
  await sleep(800); // longer than the 300 ms retention
  m.connect();
  await until(() => gaps.length === 1, 3000, "gap event");
  await sleep(100);
  const gap = gaps[0];
  expect(gap).toMatchObject({ from: lastSeq + 1, reason: "retention", backfilled: true, holes: [] });
  expect(gap.to, "a retention gap's end is known").not.toBeNull();
  const to = gap.to!;
  expect(to).toBeGreaterThan(gap.from + 10);
  expect(gap.fromTime).toBeLessThanOrEqual(lastTime);
  expect(gap.toTime - gap.fromTime).toBeGreaterThan(400); // 800 ms away, the last 300 ms replayed
  expect(gap.points).toBeGreaterThan(0);
  const stats = m.stats();
  expect(stats).toMatchObject({ gapsReported: 1, gapsBackfilled: 1, pointsBackfilled: gap.points });
  // The cursor skipped exactly the seqs of the gap; everything else was applied once.
  expect(stats.framesApplied).toBe(stats.seq - (to - gap.from + 1));
  // The rings are complete across the gap: consecutive grid times, generator values.
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  expect(m.holes("cpu.usage")).toEqual([]);
});

/** Every history request the client makes, with the ids it asked for; `answer` may replace the reply. */
function historyRecorder(answer: (ids: string[]) => Response | undefined = () => undefined) {
  const requests: string[][] = [];
  const realFetch = globalThis.fetch;
  const fetch: FetchLike = (url, init) => {
    if (!url.includes("/api/history")) return realFetch(url, init);
    const query = new URL(url).searchParams;
    expect(query.has("metric")).toBe(false);
    const ids = (query.get("metrics") ?? "").split(",");
    requests.push(ids);
    return Promise.resolve(answer(ids) ?? realFetch(url, init));
  };
  return { fetch, requests };
}

/**
 * Once every series holds a sample (hosts are 1 Hz), disconnect for longer than the retention,
 * reconnect, and wait for the gap to settle: every series is then affected by the gap.
 */
async function outage(m: WebSocketManager, gaps: GapEvent[]): Promise<GapEvent> {
  await until(() => m.catalogue().every((info) => (m.series(info.id)?.length ?? 0) > 0), 3000, "a sample of every series");
  m.close();
  await sleep(800);
  m.connect();
  await until(() => gaps.length === 1, 5000, "gap event");
  await sleep(100);
  return gaps[0];
}

it("backfills a gap across 320 series with one history request (one per series before)", async () => {
  const { fetch, requests } = historyRecorder();
  const { m, gaps } = await connected({ fetch }, 300);
  const gap = await outage(m, gaps);
  expect(gap).toMatchObject({ reason: "retention", backfilled: true, holes: [] });
  expect(m.catalogue()).toHaveLength(320);
  // Every series was asked for, in a single batch: 320 ids take about 5.4 KB of URL.
  expect(requests).toHaveLength(1);
  expect(new Set(requests.flat())).toEqual(new Set(m.catalogue().map((info) => info.id)));
  expect(m.stats()).toMatchObject({ gapsBackfilled: 1, pointsBackfilled: gap.points });
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  expect(check.samples).toBeGreaterThan(320);
});

it("marks holes in the series of a failed batch only, and fills the other batches", async () => {
  // 1200 host ids need three requests of at most 8 KiB of URL, at most one of them with the
  // core metrics (the only ones sampled often enough to have points in a sub-second window).
  // Fail the first one that holds hosts only.
  const failed: string[] = [];
  const { fetch, requests } = historyRecorder((ids) => {
    if (failed.length > 0 || !ids.every((id) => id.startsWith("host."))) return undefined;
    failed.push(...ids);
    return new Response('{"error":{"code":"internal","message":"internal error"}}', { status: 500 });
  });
  const { m, gaps } = await connected({ fetch }, 1200);
  const errors: string[] = [];
  m.on("error", (e) => errors.push(e.code));
  const gap = await outage(m, gaps);
  expect(requests.length).toBeGreaterThanOrEqual(3);
  expect(requests.length).toBeLessThanOrEqual(4);
  expect(failed.length).toBeGreaterThan(0);
  expect(gap).toMatchObject({ backfilled: false });
  expect(gap.points).toBeGreaterThan(0);
  expect([...gap.holes].sort()).toEqual([...failed].sort());
  expect(errors).toEqual(["history_failed"]);
  expect(m.stats().gapsBackfilled).toBe(0);
  for (const id of failed) expect(m.holes(id)).toHaveLength(1);
  // Everything else is complete across the gap, with the generator's values; nothing was
  // invented inside the holes either.
  const check = checkSeries(m);
  expect(check.broken.filter((id) => !failed.includes(id))).toEqual([]);
  expect(check.wrongValues).toBe(0);
  const filled = m.catalogue().filter((info) => !failed.includes(info.id));
  for (const info of filled) expect(m.holes(info.id)).toEqual([]);
});

it("halves a batch the server refuses as too large until it fits", async () => {
  // A server whose cap is lower than the client assumed: at most 50 ids per reply.
  const { fetch, requests } = historyRecorder((ids) =>
    ids.length > 50 ? new Response('{"error":{"code":"too_large","message":"split the ids"}}', { status: 400 }) : undefined,
  );
  const { m, gaps } = await connected({ fetch }, 300);
  const errors: string[] = [];
  m.on("error", (e) => errors.push(e.code));
  const gap = await outage(m, gaps);
  expect(gap).toMatchObject({ backfilled: true, holes: [] });
  expect(errors).toEqual([]);
  // 320 ids: refused at 320, 160 and 80; served as 8 batches of 40 (in whatever order the
  // concurrent replies came back).
  const sizes = requests.map((ids) => ids.length).sort((a, b) => b - a);
  expect(sizes).toEqual([320, 160, 160, 80, 80, 80, 80, 40, 40, 40, 40, 40, 40, 40, 40]);
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
});

it("reports a restart as an epoch gap and fills the time the old epoch never streamed", async () => {
  const { m, gaps, srv } = await connected();
  const oldEpoch = m.stats().epoch;
  srv.service.faults.inject({ kind: "restart" });
  await until(() => gaps.length === 1, 3000, "gap event");
  await sleep(100);
  expect(gaps[0]).toMatchObject({ reason: "epoch", backfilled: true });
  expect(m.stats().epoch).not.toBe(oldEpoch);
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
});

it("marks the range as a hole when history is disabled, never interpolating", async () => {
  const { m, gaps } = await connected({ history: { backfill: false } });
  m.close();
  await sleep(800);
  m.connect();
  await until(() => gaps.length === 1, 3000, "gap event");
  const gap = gaps[0];
  expect(gap).toMatchObject({ reason: "retention", backfilled: false, points: 0 });
  expect(gap.holes).toContain("cpu.usage");
  const holes = m.holes("cpu.usage");
  expect(holes).toHaveLength(1);
  expect(holes[0].to).toBe(gap.toTime - 1);
  // Nothing was invented inside the hole.
  const ring = m.series("cpu.usage");
  expect(ring?.window(holes[0].from, holes[0].to).times.length).toBe(0);
  expect(checkSeries(m).broken).toContain("cpu.usage");
});

it("marks a hole and reports history_failed when history answers an error", async () => {
  const realFetch = globalThis.fetch;
  const fetch: FetchLike = (url, init) =>
    url.includes("/api/history") ? Promise.resolve(new Response("{}", { status: 500 })) : realFetch(url, init);
  const { m, gaps } = await connected({ fetch });
  const errors: string[] = [];
  m.on("error", (e) => errors.push(e.code));
  m.close();
  await sleep(800);
  m.connect();
  await until(() => gaps.length === 1, 3000, "gap event");
  expect(gaps[0]).toMatchObject({ backfilled: false });
  expect(errors).toContain("history_failed");
  expect(m.holes("cpu.usage")).toHaveLength(1);
  expect(m.state).toBe("open");
});
