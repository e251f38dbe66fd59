/**
 * The central guarantee, end to end against the real mock server: through repeated forced
 * disconnects and transport switches (drop, stall, refused upgrades), the client applies
 * every seq the server produced exactly once, 1..N without a hole, and every sample it holds
 * equals the generator's value for its (metric, t).
 */
import { expect, it } from "vitest";
import { checkSeries, serverPosition, sleep, until, useLiveServer } from "./helpers/live.js";

const live = useLiveServer();

it("loses and repeats nothing over 24 forced disconnects and transport switches", { timeout: 40_000 }, async () => {
  const srv = await live.start({ tickMs: 20, rateHz: 50, hosts: 4, eventsRate: 20 });
  const m = live.manager({
    startFrom: "retained",
    backoff: { minMs: 10, maxMs: 50 },
    heartbeat: { intervalMs: 100, timeoutMs: 300 },
    fallback: { afterFailures: 3, pollWaitMs: 200, probeIntervalMs: 200 },
  });
  let disconnects = 0;
  let switches = 0;
  m.on("error", (e) => {
    if (e.code === "connection_lost" || e.code === "heartbeat_timeout") disconnects++;
  });
  m.on("transport", () => switches++);
  m.connect();
  await until(() => m.state === "open", 3000, "open");

  const faults = ["drop", "stall", "drop", "refuse-upgrades"] as const;
  for (let round = 0; round < 24; round++) {
    await sleep(60); // let some live frames through between faults
    const kind = faults[round % faults.length];
    const before = { disconnects, switches };
    if (kind === "drop") srv.service.faults.inject({ kind: "drop" });
    if (kind === "stall") srv.service.faults.inject({ kind: "stall", durationMs: 350 });
    if (kind === "refuse-upgrades") {
      srv.service.faults.inject({ kind: "refuse-upgrades", durationMs: 400 });
      srv.service.faults.inject({ kind: "drop" });
    }
    // Each round ends when the fault took effect and the stream is back on WebSocket.
    await until(() => disconnects > before.disconnects, 3000, `round ${round} (${kind}) disconnect`);
    if (kind === "refuse-upgrades") await until(() => switches >= before.switches + 2, 5000, `round ${round} return to WebSocket`);
    await until(() => m.state === "open" && m.transport === "websocket", 5000, `round ${round} (${kind}) recovery`);
  }

  // Quiesce, then compare with the server.
  await sleep(150);
  const position = await serverPosition(srv.url);
  await until(() => m.stats().seq >= position.seq, 2000, "catch up");
  const stats = m.stats();
  expect(disconnects + switches).toBeGreaterThanOrEqual(20);
  expect(stats.epoch).toBe(position.epoch);
  expect(stats.gapsReported).toBe(0);
  // The cursor only moves one seq at a time when a frame is applied (skips are gaps, and
  // there were none), so applied === seq means every seq 1..N was applied exactly once.
  expect(stats.framesApplied).toBe(stats.seq);
  expect(stats.seq).toBeGreaterThanOrEqual(position.seq);
  const check = checkSeries(m);
  expect(check.broken).toEqual([]);
  expect(check.wrongValues).toBe(0);
  expect(check.samples).toBeGreaterThan(1000);
  const events = m.events();
  for (let i = 1; i < events.length; i++) expect(events[i].t >= events[i - 1].t).toBe(true);
  expect(new Set(events.map((e) => `${e.t}:${e.id}`)).size).toBe(events.length);
  console.info(
    `${disconnects} disconnects + ${switches} transport switches; ${stats.seq} frames applied once each, ` +
      `${stats.duplicatesDropped} replayed duplicates dropped, ${stats.reconnects} reconnects, ${stats.fallbacks} fallbacks, ` +
      `${check.samples} samples verified against the generator`,
  );
});
