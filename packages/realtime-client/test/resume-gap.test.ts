/**
 * Gaps the server reports, against the real mock server: a pause longer than the retention
 * window, and a restart of the server's stream (new epoch). Each is reported once with its
 * seq range, the time span is refilled from `/api/history` with the generator's values, and
 * what cannot be refilled is marked as a hole instead of being interpolated.
 */
import { WebSocket } from "ws";
import { afterEach, expect, it } from "vitest";
import { startMockServer, type RunningMockServer } from "@pulseboard/mock-server";
import { WebSocketManager } from "../src/manager.js";
import type { FetchLike } from "../src/transports/types.js";
import type { GapEvent, WebSocketManagerOptions } from "../src/types.js";
import { checkSeries, sleep, until } from "./helpers/live.js";

let server: RunningMockServer | undefined;
let manager: WebSocketManager | undefined;
afterEach(async () => {
  manager?.close();
  await server?.close();
});

async function connected(options: Partial<WebSocketManagerOptions> = {}) {
  server = await startMockServer({ port: 0, tickMs: 20, rateHz: 50, hosts: 2, eventsRate: 5, retentionMs: 300 });
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
  expect(gap.to).toBeGreaterThan(gap.from + 10);
  expect(gap.fromTime).toBeLessThanOrEqual(lastTime);
  expect(gap.toTime - gap.fromTime).toBeGreaterThan(400); // 800 ms away, the last 300 ms replayed
  expect(gap.points).toBeGreaterThan(0);
  const stats = m.stats();
  expect(stats).toMatchObject({ gapsReported: 1, gapsBackfilled: 1, pointsBackfilled: gap.points });
  // The cursor skipped exactly the seqs of the gap; everything else was applied once.
  expect(stats.framesApplied).toBe(stats.seq - (gap.to - gap.from + 1));
  // The rings are complete across the gap: consecutive grid times, generator values.
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  expect(m.holes("cpu.usage")).toEqual([]);
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
