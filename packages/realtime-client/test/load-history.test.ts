/**
 * `loadHistory()` and `history.prefillMs` against the real mock server: the window behind each
 * series' data is filled with the generator's values in a request or two for the whole
 * catalogue, meets the stream without a gap or a duplicate, stays within ring capacity, and
 * reaches listeners through the usual `data` notification.
 */
import { WebSocket } from "ws";
import { afterEach, expect, it } from "vitest";
import { generateValue, startMockServer, type RunningMockServer } from "@pulseboard/mock-server";
import { WebSocketManager } from "../src/client/manager.js";
import type { FetchLike } from "../src/transports/types.js";
import type { WebSocketManagerOptions } from "../src/client/types.js";
import { checkSeries, sleep, until } from "./helpers/live.js";

let server: RunningMockServer | undefined;
let manager: WebSocketManager | undefined;
afterEach(async () => {
  manager?.close();
  await server?.close();
});

/** Every history request, with its window; `delayMs` holds each reply back. */
function historyRecorder(delayMs = 0) {
  const requests: { ids: string[]; from: number; to: number }[] = [];
  const realFetch = globalThis.fetch;
  const fetch: FetchLike = async (url, init) => {
    if (!url.includes("/api/history")) return realFetch(url, init);
    const query = new URL(url).searchParams;
    requests.push({ ids: (query.get("metrics") ?? "").split(","), from: Number(query.get("from")), to: Number(query.get("to")) });
    const response = await realFetch(url, init);
    // Held back like a slow network: an abort ends the wait, as it would end a real request.
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, delayMs);
      init.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new Error("aborted"));
      });
    });
    return response;
  };
  return { fetch, requests };
}

async function start(options: Partial<WebSocketManagerOptions> = {}, hosts = 2) {
  server = await startMockServer({ port: 0, tickMs: 20, rateHz: 50, hosts, eventsRate: 0 });
  const m = new WebSocketManager({ url: server.wsUrl, WebSocket, backoff: { minMs: 10, maxMs: 40 }, ...options });
  manager = m;
  return m;
}

/** Oldest held sample time per series. */
function oldest(m: WebSocketManager): Map<string, number> {
  return new Map(m.catalogue().map((info) => [info.id, m.series(info.id)?.firstTime ?? NaN]));
}

it("fills the window behind the oldest held sample with the generator's values, one request for 320 series", async () => {
  const { fetch, requests } = historyRecorder();
  const m = await start({ fetch }, 300);
  m.connect();
  await until(() => (m.series("cpu.usage")?.length ?? 0) >= 10, 3000, "live data");
  const before = oldest(m);
  const pointsBefore = m.stats().pointsReceived;

  const result = await m.loadHistory(2000);

  expect(m.catalogue()).toHaveLength(320);
  expect(requests).toHaveLength(1);
  expect(new Set(requests[0].ids)).toEqual(new Set(m.catalogue().map((info) => info.id)));
  expect(result.failed).toEqual([]);
  expect(result.series).toBe(320); // 1 Hz hosts too: two samples each in two seconds
  // The cpu window ends just before its oldest held sample and reaches back two seconds.
  const cpuStart = before.get("cpu.usage")!;
  expect(m.series("cpu.usage")!.firstTime).toBe(cpuStart - 2000);
  // Every series is contiguous on its grid and equals the generator, across the join.
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  const stats = m.stats();
  expect(stats.pointsPrefilled).toBe(result.points);
  expect(stats.pointsReceived - pointsBefore).toBeGreaterThanOrEqual(result.points);
  expect(stats.pointsBackfilled).toBe(0);
  expect(stats.pointsDroppedBy).toEqual({ overflow: 0, nonFinite: 0, outOfOrder: 0, unknownMetric: 0 });
  expect(m.holes("cpu.usage")).toEqual([]);
});

it("waits for the catalogue when called before connect(), and never duplicates what the stream delivers", async () => {
  const m = await start();
  const loading = m.loadHistory(1000);
  m.connect();
  const result = await loading;
  expect(result.failed).toEqual([]);
  expect(result.points).toBeGreaterThan(0);
  await sleep(300); // the stream goes on after the history
  const check = checkSeries(m);
  expect(check.broken).toEqual([]); // a repeated time would break the grid as well
  expect(check.wrongValues).toBe(0);
  expect(m.series("cpu.usage")!.firstTime).toBeLessThanOrEqual(m.series("cpu.usage")!.lastTime - 1000);
});

it("includes the loaded series in the next data event; a series without samples ends where the stream stands", async () => {
  // Only cpu.usage is streamed: a memory.usage change can only come from the history.
  const m = await start({ metrics: ["cpu.usage"] });
  const changed: string[][] = [];
  m.on("data", (event) => changed.push([...event.changed]));
  m.connect();
  await until(() => changed.length > 0, 3000, "first data");
  changed.length = 0;
  // Both metrics share the 20 ms grid, and every sample the stream has yet to deliver is newer
  // than the newest it delivered: that is where the empty series' window must end.
  const streamNewest = m.series("cpu.usage")!.lastTime;
  const result = await m.loadHistory(1000, { metrics: ["memory.usage", "no.such.metric"] });
  expect(result).toMatchObject({ series: 1, failed: ["no.such.metric"] });
  await until(() => changed.some((ids) => ids.includes("memory.usage")), 1000, "data event with memory.usage");
  const ring = m.series("memory.usage")!;
  expect(ring.lastTime).toBe(streamNewest);
  expect(ring.firstTime).toBe(streamNewest - 980);
  expect(ring.length).toBe(result.points);
  for (let i = 0; i < ring.length; i++) expect(ring.values()[i]).toBe(generateValue(1, "default", "memory.usage", ring.times()[i]));
});

it("asks for no more than the ring has room for, and counts what live data pushed out meanwhile", async () => {
  // 60 samples of cpu.usage (1.2 s at 50 Hz); the reply is held back while the stream adds more.
  const { fetch, requests } = historyRecorder(300);
  const m = await start({ fetch, metrics: ["cpu.usage"], capacityFor: (info) => (info.id === "cpu.usage" ? 60 : 4096) });
  m.connect();
  await until(() => (m.series("cpu.usage")?.length ?? 0) >= 10, 3000, "live data");
  const ring = m.series("cpu.usage")!;
  const room = ring.capacity - ring.length;
  const loading = m.loadHistory(60_000);
  const asked = requests[0];
  // Samples on the 20 ms grid within the window asked for: exactly the room there was.
  const fetched = Math.floor(asked.to / 20) - Math.ceil(asked.from / 20) + 1;
  expect(fetched).toBe(room);
  const result = await loading;
  expect(ring.length).toBe(60);
  // The ring keeps its newest 60 samples; the oldest fetched ones went, counted as overflow.
  const overflow = m.stats().pointsDroppedBy.overflow;
  expect(overflow).toBeGreaterThan(0);
  expect(result.points).toBe(fetched - overflow);
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
});

it("reports a failed request as history_failed and lists its series, marking no hole", async () => {
  const realFetch = globalThis.fetch;
  const fetch: FetchLike = (url, init) =>
    url.includes("/api/history") ? Promise.resolve(new Response("{}", { status: 500 })) : realFetch(url, init);
  const m = await start({ fetch });
  const errors: string[] = [];
  m.on("error", (e) => errors.push(e.code));
  m.connect();
  await until(() => m.state === "open", 3000, "open");
  const result = await m.loadHistory(1000, { metrics: ["cpu.usage", "memory.usage"] });
  expect(result).toEqual({ points: 0, series: 0, failed: ["cpu.usage", "memory.usage"] });
  expect(errors).toEqual(["history_failed"]);
  expect(m.holes("cpu.usage")).toEqual([]);
  expect(m.state).toBe("open");
});

it("close() aborts a load in flight and one still waiting for the catalogue", async () => {
  const { fetch } = historyRecorder(2000);
  const m = await start({ fetch });
  const waiting = m.loadHistory(1000, { metrics: ["cpu.usage"] });
  m.close(); // still idle: the catalogue will not come
  expect(await waiting).toEqual({ points: 0, series: 0, failed: ["cpu.usage"] });
  m.connect();
  await until(() => m.state === "open", 3000, "open");
  const errors: string[] = [];
  m.on("error", (e) => errors.push(e.code));
  const inFlight = m.loadHistory(1000, { metrics: ["cpu.usage"] });
  await sleep(50);
  m.close();
  expect(await inFlight).toEqual({ points: 0, series: 0, failed: ["cpu.usage"] });
  expect(errors).toEqual([]);
});

it("history.prefillMs loads the window once, right behind the stream's first samples", async () => {
  const { fetch, requests } = historyRecorder();
  const m = await start({ fetch, startFrom: "retained", history: { prefillMs: 2000 } });
  m.connect();
  await until(() => m.stats().pointsPrefilled > 0, 3000, "prefill");
  await sleep(300);
  expect(requests).toHaveLength(1);
  const stats = m.stats();
  // History ends where the replayed stream begins: nothing overlaps, nothing is missing.
  expect(stats.pointsDroppedBy.outOfOrder).toBe(0);
  expect(stats.duplicatesDropped).toBe(0);
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  const cpu = m.series("cpu.usage")!;
  expect(cpu.lastTime - cpu.firstTime).toBeGreaterThan(2000);
  // Once per manager: a reconnect does not load again.
  m.close();
  m.connect();
  await until(() => m.state === "open", 3000, "open again");
  await sleep(200);
  expect(requests).toHaveLength(1);
});

it("rejects a bad window or metric list at the call", async () => {
  const m = await start();
  expect(() => m.loadHistory(0)).toThrow(RangeError);
  expect(() => m.loadHistory(Number.NaN)).toThrow(/windowMs/);
  expect(() => m.loadHistory(Infinity)).toThrow(RangeError);
  expect(() => m.loadHistory(1000, { metrics: [""] })).toThrow(TypeError);
  expect(() => new WebSocketManager({ url: server!.wsUrl, WebSocket, history: { prefillMs: -1 } })).toThrow(/history.prefillMs/);
});
